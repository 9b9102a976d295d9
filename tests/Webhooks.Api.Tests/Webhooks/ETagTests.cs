using Webhooks.Api.Http;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// <c>ETag</c> on GET, POST, PATCH and rotate (strong, <c>"&lt;id without dashes&gt;.&lt;revision&gt;"</c>);
/// <c>If-Match</c> on PATCH (and DELETE, rotate): applied only if the endpoint is unchanged since
/// that tag, else <c>412 PRECONDITION_FAILED</c> and nothing written.
/// </summary>
[TestFixture]
public sealed class ETagTests : WebhooksFixture
{
    private const string Appended = "subscription.past_due";

    [Test]
    public async Task Post_get_patch_and_rotate_send_the_current_etag()
    {
        var created = await CreateAsync();
        Assert.That(created.ETag, Is.EqualTo($"\"{Guid.Parse(created.Id):N}.1\""), "POST: revision 1");
        var (_, afterPost) = await GetWithETagAsync(created.Id);
        Assert.That(afterPost, Is.EqualTo(created.ETag), "GET shows POST's tag");

        using var patch = await PatchAsync(created.Id, """{"url":"https://hooks.example.com/etag"}""");
        var (_, patchTag) = await AssertResourceWithETagAsync(patch);
        Assert.That(RevisionOf(patchTag, created.Id), Is.EqualTo(2));
        Assert.That((await GetWithETagAsync(created.Id)).ETag, Is.EqualTo(patchTag), "GET shows PATCH's tag");

        using var rotate = await RotateAsync(created.Id);
        Assert.That(rotate.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(RevisionOf(rotate.Headers.ETag?.Tag, created.Id), Is.EqualTo(3));
        Assert.That((await GetWithETagAsync(created.Id)).ETag, Is.EqualTo(rotate.Headers.ETag!.Tag), "GET shows rotate's tag");
        Assert.That(rotate.Headers.ETag.IsWeak, Is.False);
    }

    [Test]
    public async Task A_request_that_changes_nothing_keeps_the_etag()
    {
        var created = await CreateAsync(description: "Same");

        foreach (var body in new[] { "{}", """{"description":"Same"}""", """{"api_version":"2026-04-01","active":true}""" })
        {
            foreach (var ifMatch in new[] { null, created.ETag })
            {
                using var patch = await PatchAsync(created.Id, body, ifMatch);
                var (resource, tag) = await AssertResourceWithETagAsync(patch);
                Assert.That(tag, Is.EqualTo(created.ETag), $"{body} with If-Match {ifMatch}");
                Assert.That(JsonElement.DeepEquals(resource, created.Resource), Is.True, "sending the current values changes nothing");
            }
        }

        Assert.That((await GetWithETagAsync(created.Id)).ETag, Is.EqualTo(created.ETag));
    }

    [Test]
    public async Task Every_endpoint_has_its_own_etag()
    {
        var a = await CreateAsync();
        var b = await CreateAsync();

        Assert.That(a.ETag, Is.Not.EqualTo(b.ETag));
        using var response = await PatchAsync(b.Id, """{"active":false}""", a.ETag);
        await AssertPreconditionFailedAsync(response);
    }

    [Test]
    public async Task If_match_star_matches_an_existing_endpoint()
    {
        var created = await CreateAsync();
        using (var change = await PatchAsync(created.Id, """{"description":"moved on"}"""))
        {
            await AssertResourceWithETagAsync(change);
        }

        using var response = await PatchAsync(created.Id, """{"active":false}""", "*");

        var (body, _) = await AssertResourceWithETagAsync(response);
        Assert.That(body.GetProperty("active").GetBoolean(), Is.False);
    }

    [Test]
    public async Task An_if_match_list_that_holds_the_current_tag_matches()
    {
        var created = await CreateAsync();
        using (var change = await PatchAsync(created.Id, """{"description":"moved on"}"""))
        {
            await AssertResourceWithETagAsync(change);
        }

        var (_, current) = await GetWithETagAsync(created.Id);

        using var stale = await PatchAsync(created.Id, """{"active":false}""", $"{created.ETag}, \"{Guid.NewGuid():N}.2\"");
        await AssertPreconditionFailedAsync(stale);
        using var response = await PatchAsync(created.Id, """{"active":false}""", $"{created.ETag},{current} , \"x.9\"");
        var (body, _) = await AssertResourceWithETagAsync(response);
        Assert.That(body.GetProperty("active").GetBoolean(), Is.False);
    }

    [Test]
    public async Task A_weak_tag_never_matches()
    {
        var created = await CreateAsync();

        using var response = await PatchAsync(created.Id, """{"active":false}""", "W/" + created.ETag);

        await AssertPreconditionFailedAsync(response);
        await AssertUnchangedAsync(created.Id, created.ETag);
    }

    [TestCase("unquoted")]
    [TestCase("\"\"")]
    [TestCase("\"not-a-tag\"")]
    [TestCase("other-revision")]
    public async Task A_tag_that_is_not_the_current_one_is_412_with_the_envelope_and_nothing_written(string form)
    {
        var created = await CreateAsync();
        var (before, _) = await GetWithETagAsync(created.Id);
        var ifMatch = form switch
        {
            "unquoted" => created.ETag.Trim('"'),
            "other-revision" => $"\"{Guid.Parse(created.Id):N}.2\"",
            _ => form,
        };

        using var response = await PatchAsync(created.Id, """{"url":"https://hooks.example.com/never","description":"never","active":false}""", ifMatch);

        await AssertPreconditionFailedAsync(response);
        var (after, _) = await AssertUnchangedAsync(created.Id, created.ETag);
        Assert.That(JsonElement.DeepEquals(after, before), Is.True, "nothing written");
    }

    [Test]
    public async Task Read_append_write_of_events_with_if_match()
    {
        var created = await CreateAsync();
        var (read, etag) = await GetWithETagAsync(created.Id);
        var events = WebhookResource.Events(read).Append(Appended).ToArray();

        using var response = await PatchAsync(created.Id, JsonSerializer.Serialize(new { events }), etag);

        var (body, newTag) = await AssertResourceWithETagAsync(response);
        Assert.That(WebhookResource.Events(body), Is.EqualTo(new[] { "wallet.balance_low", "wallet.balance_zero", Appended }));
        Assert.That(RevisionOf(newTag, created.Id), Is.EqualTo(RevisionOf(etag, created.Id) + 1));
    }

    [Test]
    public async Task Read_append_write_loses_to_a_writer_in_between_with_412_and_succeeds_on_a_fresh_read()
    {
        var created = await CreateAsync();
        var (read, etag) = await GetWithETagAsync(created.Id);

        // Another writer replaces the events between our read and our write.
        using (var other = await PatchAsync(created.Id, """{"events":["subscription.canceled"]}"""))
        {
            await AssertResourceWithETagAsync(other);
        }

        var (theirs, theirTag) = await GetWithETagAsync(created.Id);
        var stale = WebhookResource.Events(read).Append(Appended).ToArray();
        using var refused = await PatchAsync(created.Id, JsonSerializer.Serialize(new { events = stale }), etag);

        await AssertPreconditionFailedAsync(refused);
        var (unchanged, _) = await AssertUnchangedAsync(created.Id, theirTag);
        Assert.That(JsonElement.DeepEquals(unchanged, theirs), Is.True, "the other writer's events stay");

        var fresh = WebhookResource.Events(theirs).Append(Appended).ToArray();
        using var retried = await PatchAsync(created.Id, JsonSerializer.Serialize(new { events = fresh }), theirTag);
        var (body, _) = await AssertResourceWithETagAsync(retried);
        Assert.That(WebhookResource.Events(body), Is.EqualTo(new[] { "subscription.canceled", Appended }));
    }

    [Test]
    public async Task Two_concurrent_patches_with_the_same_if_match_one_wins_and_the_other_is_412()
    {
        for (var round = 0; round < 10; round++)
        {
            var created = await CreateAsync();

            var responses = await Task.WhenAll(
                PatchAsync(created.Id, """{"url":"https://hooks.example.com/first"}""", created.ETag),
                PatchAsync(created.Id, """{"description":"second"}""", created.ETag));

            var statuses = responses.Select(r => r.StatusCode).ToList();
            Assert.That(statuses, Is.EquivalentTo(new[] { HttpStatusCode.OK, HttpStatusCode.PreconditionFailed }), $"round {round}");
            var (stored, tag) = await GetWithETagAsync(created.Id);
            Assert.That(RevisionOf(tag, created.Id), Is.EqualTo(2), "one change only");
            var winner = statuses[0] == HttpStatusCode.OK ? 0 : 1;
            Assert.That(stored.GetProperty("url").GetString(), Is.EqualTo(winner == 0 ? "https://hooks.example.com/first" : WebhookResource.Url));
            Assert.That(stored.GetProperty("description").ValueKind == JsonValueKind.String, Is.EqualTo(winner == 1));
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Test]
    public async Task If_match_is_checked_after_existence()
    {
        var created = await CreateAsync();

        using var unknown = await PatchAsync(Guid.CreateVersion7().ToString(), """{"active":false}""", created.ETag);
        using var notAnId = await PatchAsync("not-a-uuid", """{"active":false}""", "\"x.1\"");

        await ApiAssert.NotFound(unknown);
        await ApiAssert.NotFound(notAnId);
    }

    [Test]
    public async Task The_shape_of_the_body_and_stateless_rules_are_checked_before_if_match()
    {
        var created = await CreateAsync();

        using var malformed = await PatchAsync(created.Id, "{", "\"stale\"");
        using var insecure = await PatchAsync(created.Id, """{"url":"http://hooks.example.com/x","urll":1}""", "\"stale\"");

        await ApiAssert.ValidationFailed(malformed, new Dictionary<string, string> { ["body"] = JsonBody.NotJsonMessage });
        await ApiAssert.ValidationFailed(insecure, new Dictionary<string, string> { ["url"] = "must use https", ["urll"] = "is not a known field" });
        await AssertUnchangedAsync(created.Id, created.ETag);
    }

    [Test]
    public async Task If_match_is_checked_before_the_rules_that_need_the_stored_endpoint()
    {
        await using var factory = TestApiVersions.Factory("2025-01-01", "2026-04-01");
        var org = await factory.CreateOrganizationAsync();
        using var client = factory.CreateClient(org.Key);
        var created = await WebhookResource.CreateWithSecretAsync(client, """{"url":"https://hooks.example.com/v","events":["wallet.balance_low"],"api_version":"2025-01-01"}""");
        const string Upgrade = """{"api_version":"2026-04-01"}""";

        using var stale = await SendAsync(client, HttpMethod.Patch, $"/v1/webhooks/{created.Id}", "\"stale\"", Upgrade);
        using var current = await SendAsync(client, HttpMethod.Patch, $"/v1/webhooks/{created.Id}", created.ETag, Upgrade);

        await AssertPreconditionFailedAsync(stale);
        await ApiAssert.ValidationFailed(current, new Dictionary<string, string> { ["api_version"] = "is immutable; create a new endpoint at the new version" });
    }

    [Test]
    public async Task A_read_only_key_gets_403_before_any_precondition()
    {
        var created = await CreateAsync();
        using var reader = Factory.CreateClient(await Factory.CreateKeyAsync(Org.OrgId, "webhooks:read"));

        using var response = await PatchAsync(created.Id, """{"active":false}""", "\"stale\"", reader);

        await ApiAssert.Forbidden(response);
    }

    private static async Task AssertPreconditionFailedAsync(HttpResponseMessage response)
    {
        await ApiAssert.Envelope(response, HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED", "precondition failed");
        Assert.That(response.Headers.ETag, Is.Null, "a refusal describes no version of the endpoint");
    }

    /// <summary>GET shows the endpoint still at <paramref name="etag"/>.</summary>
    private async Task<(JsonElement Resource, string ETag)> AssertUnchangedAsync(string id, string etag)
    {
        var stored = await GetWithETagAsync(id);
        Assert.That(stored.ETag, Is.EqualTo(etag), "nothing written");
        return stored;
    }
}
