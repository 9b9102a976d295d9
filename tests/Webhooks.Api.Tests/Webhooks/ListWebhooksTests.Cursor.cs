
namespace Webhooks.Api.Tests.Webhooks;

/// <summary>The cursor of <c>GET /v1/webhooks</c>: opaque, bound to the organization and the installation, refused when malformed or changed.</summary>
public sealed partial class ListWebhooksTests
{
    [Test]
    public async Task A_cursor_is_opaque_and_reveals_neither_the_organization_nor_the_endpoint()
    {
        var (org, client) = await NewOrganizationAsync();
        var ids = await CreateManyAsync(2, client);

        var cursor = (await ListAsync("?limit=1", client)).NextCursor!;

        foreach (var id in new[] { Guid.Parse(ids[1]), org.OrgId })
        {
            foreach (var form in new[] { id.ToString("D"), id.ToString("N"), Convert.ToBase64String(id.ToByteArray()).TrimEnd('='), Convert.ToBase64String(Encoding.UTF8.GetBytes(id.ToString("N"))).TrimEnd('=') })
            {
                Assert.That(cursor, Does.Not.Contain(form).IgnoreCase, "an encrypted cursor");
            }
        }

        Assert.That(Uri.EscapeDataString(cursor), Is.EqualTo(cursor), "safe in a query string as it is");
    }

    [TestCase("abc")]
    [TestCase("!!!")]
    [TestCase("null")]
    [TestCase("eyJvcmciOiIxIiwiaWQiOiIyIn0")]
    [TestCase("CfDJ8")]
    [TestCase("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4")]
    public async Task A_malformed_cursor_is_400(string cursor)
    {
        using var response = await Client.GetAsync("/v1/webhooks" + Query(cursor: cursor));

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["cursor"] = CursorMessage });
    }

    [TestCase("garbage")]
    [TestCase("tampered")]
    public async Task A_bad_limit_and_a_bad_cursor_are_reported_together(string kind)
    {
        var (_, client) = await NewOrganizationAsync();
        await CreateManyAsync(2, client);
        var cursor = (await ListAsync("?limit=1", client)).NextCursor!;
        var bad = kind == "garbage" ? "garbage" : cursor[..10] + (cursor[10] == 'A' ? 'B' : 'A') + cursor[11..];

        using var response = await client.GetAsync("/v1/webhooks" + Query(cursor: bad).Replace("?", "?limit=0&", StringComparison.Ordinal));

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["limit"] = LimitMessage, ["cursor"] = CursorMessage });
    }

    [Test]
    public async Task An_overlong_cursor_is_400()
    {
        using var response = await Client.GetAsync("/v1/webhooks" + Query(cursor: new string('A', 5000)));

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["cursor"] = CursorMessage });
    }

    [Test]
    public async Task A_cursor_with_any_one_character_changed_is_400()
    {
        var (_, client) = await NewOrganizationAsync();
        await CreateManyAsync(3, client);
        var cursor = (await ListAsync("?limit=1", client)).NextCursor!;
        Assert.That((await ListAsync(Query(1, cursor), client)).Data, Has.Count.EqualTo(1), "the cursor itself is valid");

        // Every position but the last: the last base64url character may carry only padding bits, so
        // changing it can leave the decoded bytes, and the cursor, unchanged.
        for (var i = 0; i < cursor.Length - 1; i++)
        {
            var tampered = cursor[..i] + (cursor[i] == 'A' ? 'B' : 'A') + cursor[(i + 1)..];
            using var response = await client.GetAsync("/v1/webhooks" + Query(1, tampered));
            await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["cursor"] = CursorMessage });
        }
    }

    [Test]
    public async Task Another_organizations_cursor_is_400()
    {
        var (_, mine) = await NewOrganizationAsync();
        var (_, theirs) = await NewOrganizationAsync();
        await CreateManyAsync(2, mine);
        await CreateManyAsync(2, theirs);
        var theirCursor = (await ListAsync("?limit=1", theirs)).NextCursor!;

        using var response = await mine.GetAsync("/v1/webhooks" + Query(1, theirCursor));

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["cursor"] = CursorMessage });
        Assert.That((await ListAsync(Query(1, theirCursor), theirs)).Data, Has.Count.EqualTo(1), "the cursor is valid for its own organization");
    }

    [Test]
    public async Task A_cursor_of_another_installation_is_400()
    {
        await using var other = new ApiFactory();
        var otherOrg = await other.CreateOrganizationAsync();
        using var otherClient = other.CreateClient(otherOrg.Key);
        await WebhookResource.CreateAsync(otherClient);
        await WebhookResource.CreateAsync(otherClient);
        using var otherPage = await otherClient.GetAsync("/v1/webhooks?limit=1");
        var foreign = (await AssertPageAsync(otherPage)).NextCursor!;

        using var response = await Client.GetAsync("/v1/webhooks" + Query(1, foreign));

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["cursor"] = CursorMessage });
    }
}
