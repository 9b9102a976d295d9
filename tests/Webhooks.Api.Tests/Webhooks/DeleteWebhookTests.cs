
namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// <c>DELETE /v1/webhooks/{id}</c>: a soft delete. <c>200</c> with the final resource; afterwards the
/// endpoint is not found by any operation and absent from the list, and its row stays.
/// </summary>
[TestFixture]
public sealed class DeleteWebhookTests : WebhooksFixture
{
    private static readonly string[] Unchanged = ["id", "org_id", "url", "description", "events", "active", "api_version", "created_at"];

    [Test]
    public async Task Delete_is_200_with_the_final_resource()
    {
        var created = await CreateAsync(description: "To be deleted");
        var (before, _) = await GetWithETagAsync(created.Id);
        var start = DateTimeOffset.UtcNow;

        using var response = await DeleteAsync(created.Id);

        var end = DateTimeOffset.UtcNow;
        var (deleted, _) = await AssertResourceWithETagAsync(response);
        var text = deleted.GetRawText();
        Assert.That(text, Does.Not.Contain("whsec_"), "no secret");
        Assert.That(deleted.GetProperty("deleted_at").ValueKind, Is.EqualTo(JsonValueKind.String), text);
        var deletedAt = WebhookResource.AssertTimestamp(deleted.GetProperty("deleted_at").GetString());
        WebhookResource.AssertBetween(deletedAt, start, end);
        Assert.That(deleted.GetProperty("updated_at").GetString(), Is.EqualTo(deleted.GetProperty("deleted_at").GetString()), "deleting is the last change");
        foreach (var key in Unchanged)
        {
            Assert.That(JsonElement.DeepEquals(deleted.GetProperty(key), before.GetProperty(key)), Is.True, $"{key} is unchanged: {text}");
        }
    }

    [Test]
    public async Task After_delete_every_operation_answers_exactly_like_for_an_unknown_id()
    {
        var created = await CreateAsync();
        var (_, etag) = await GetWithETagAsync(created.Id);
        using (var response = await DeleteAsync(created.Id))
        {
            await AssertResourceWithETagAsync(response);
        }

        var unknown = Guid.CreateVersion7().ToString();
        foreach (var (name, send) in Operations())
        {
            using var deleted = await send(created.Id, null);
            using var never = await send(unknown, null);
            await AssertSameNotFoundAsync(deleted, never, $"{name} of a deleted endpoint");

            // With the ETag the endpoint had, too: existence is checked before the precondition.
            using var conditional = await send(created.Id, etag);
            await AssertSameNotFoundAsync(conditional, never, $"{name} with If-Match of a deleted endpoint");
            using var star = await send(created.Id, "*");
            await AssertSameNotFoundAsync(star, never, $"{name} with If-Match: * of a deleted endpoint");
        }
    }

    [Test]
    public async Task A_deleted_endpoint_is_absent_from_the_list()
    {
        var (_, client) = await NewOrganizationAsync();
        var ids = await CreateManyAsync(3, client);

        using (var response = await DeleteAsync(ids[1], client: client))
        {
            await AssertResourceWithETagAsync(response);
        }

        Assert.That((await ListAsync(client: client)).Ids, Is.EqualTo(new[] { ids[2], ids[0] }));
        Assert.That(await ListAllIdsAsync(1, client), Is.EqualTo(new[] { ids[2], ids[0] }));
    }

    [Test]
    public async Task The_row_stays_in_the_database_marked_deleted()
    {
        var created = await CreateAsync();
        var rowBefore = await ReadRowAsync(Factory, created.Id);
        Assert.That(rowBefore, Is.Not.Null);
        Assert.That(rowBefore!.DeletedAt, Is.Null);

        using var response = await DeleteAsync(created.Id);

        var (deleted, _) = await AssertResourceWithETagAsync(response);
        var row = await ReadRowAsync(Factory, created.Id);
        Assert.That(row, Is.Not.Null, "the row stays for the record");
        Assert.That(row!.DeletedAt, Is.Not.Null, "deleted_at is set in the row");
        var stored = row.DeletedAt!.Value;
        Assert.That(
            stored.AddTicks(-(stored.UtcTicks % TimeSpan.TicksPerSecond)),
            Is.EqualTo(WebhookResource.AssertTimestamp(deleted.GetProperty("deleted_at").GetString())),
            "the row keeps the instant to the tick; the API prints its whole second");
        Assert.That(row.SigningSecret, Is.EqualTo(rowBefore.SigningSecret), "the rest of the row stays as it was");
        Assert.That(row.Revision, Is.EqualTo(rowBefore.Revision + 1), "deleting is a change");
        Assert.That(await StoredData.EndpointsAsync(Factory.Services), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task Delete_with_a_stale_if_match_is_412_and_deletes_nothing()
    {
        var created = await CreateAsync();
        using (var change = await PatchAsync(created.Id, """{"description":"Changed since"}"""))
        {
            await AssertResourceWithETagAsync(change);
        }

        var (current, currentETag) = await GetWithETagAsync(created.Id);

        using var response = await DeleteAsync(created.Id, created.ETag);

        await ApiAssert.Envelope(response, HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED", "precondition failed");
        var (after, afterETag) = await GetWithETagAsync(created.Id);
        Assert.That(JsonElement.DeepEquals(after, current), Is.True, "not deleted, not changed");
        Assert.That(afterETag, Is.EqualTo(currentETag));
        Assert.That((await ReadRowAsync(Factory, created.Id))!.DeletedAt, Is.Null);
    }

    [TestCase("current")]
    [TestCase("*")]
    [TestCase("list")]
    public async Task Delete_with_a_matching_if_match_is_200(string form)
    {
        var created = await CreateAsync();
        var (_, etag) = await GetWithETagAsync(created.Id);
        var ifMatch = form switch
        {
            "current" => etag,
            "*" => "*",
            _ => $"\"{Guid.NewGuid():N}.1\", {etag}",
        };

        using var response = await DeleteAsync(created.Id, ifMatch);

        var (deleted, _) = await AssertResourceWithETagAsync(response);
        Assert.That(deleted.GetProperty("deleted_at").ValueKind, Is.EqualTo(JsonValueKind.String));
        using var get = await Client.GetAsync($"/v1/webhooks/{created.Id}");
        await ApiAssert.NotFound(get);
    }

    [Test]
    public async Task A_read_only_key_gets_403_and_deletes_nothing()
    {
        var created = await CreateAsync();
        using var reader = Factory.CreateClient(await Factory.CreateKeyAsync(Org.OrgId, "webhooks:read"));

        using var response = await DeleteAsync(created.Id, client: reader);

        await ApiAssert.Forbidden(response);
        await GetWithETagAsync(created.Id);
        Assert.That((await ReadRowAsync(Factory, created.Id))!.DeletedAt, Is.Null);
    }

    [Test]
    public async Task A_write_only_key_can_delete()
    {
        var created = await CreateAsync();
        using var writer = Factory.CreateClient(await Factory.CreateKeyAsync(Org.OrgId, "webhooks:write"));

        using var response = await DeleteAsync(created.Id, client: writer);

        await AssertResourceWithETagAsync(response);
    }

    [Test]
    public async Task Without_a_valid_key_it_is_401_and_deletes_nothing()
    {
        var created = await CreateAsync();

        foreach (var key in new[] { null, "am_live_" + new string('x', 43) })
        {
            using var anonymous = Factory.CreateClient(key);
            using var response = await DeleteAsync(created.Id, client: anonymous);
            await ApiAssert.Unauthorized(response);
        }

        await GetWithETagAsync(created.Id);
    }

    [Test]
    public async Task Another_organizations_endpoint_is_404_like_an_unknown_id_and_is_not_deleted()
    {
        var (_, theirs) = await NewOrganizationAsync();
        var their = await CreateAsync(theirs);

        using var response = await DeleteAsync(their.Id);
        using var unknown = await DeleteAsync(Guid.CreateVersion7().ToString());

        await AssertSameNotFoundAsync(response, unknown, "another organization's endpoint");
        var (stored, _) = await GetWithETagAsync(their.Id, theirs);
        Assert.That(JsonElement.DeepEquals(stored, their.Resource), Is.True, "their endpoint is untouched");
        Assert.That((await ListAsync(client: theirs)).Ids, Is.EqualTo(new[] { their.Id }));
    }

    [TestCase("not-a-uuid")]
    [TestCase("00000000-0000-0000-0000-000000000000")]
    [TestCase("0190a1b2c3d47e5fa7b8c9d0e1f2a3b4")]
    public async Task An_id_that_names_nothing_is_404(string id)
    {
        using var response = await DeleteAsync(id);

        await ApiAssert.NotFound(response);
    }

    [Test]
    public async Task The_upper_case_id_deletes_the_same_endpoint()
    {
        var created = await CreateAsync();

        using var response = await DeleteAsync(created.Id.ToUpperInvariant());

        var (deleted, _) = await AssertResourceWithETagAsync(response);
        Assert.That(deleted.GetProperty("id").GetString(), Is.EqualTo(created.Id));
        using var get = await Client.GetAsync($"/v1/webhooks/{created.Id}");
        await ApiAssert.NotFound(get);
    }

    [Test]
    public async Task Two_concurrent_deletes_one_succeeds_and_the_other_is_404()
    {
        for (var round = 0; round < 5; round++)
        {
            var created = await CreateAsync();

            var responses = await Task.WhenAll(DeleteAsync(created.Id), DeleteAsync(created.Id));

            var statuses = responses.Select(r => r.StatusCode).OrderBy(s => s).ToList();
            Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.NotFound }), $"round {round}");
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Test]
    public async Task A_patch_racing_a_delete_never_brings_the_endpoint_back()
    {
        for (var round = 0; round < 5; round++)
        {
            var created = await CreateAsync();

            var responses = await Task.WhenAll(DeleteAsync(created.Id), PatchAsync(created.Id, $$"""{"description":"Race {{round}}"}"""));

            Assert.That(responses[0].StatusCode, Is.EqualTo(HttpStatusCode.OK), await responses[0].Content.ReadAsStringAsync());
            Assert.That(responses[1].StatusCode, Is.AnyOf(HttpStatusCode.OK, HttpStatusCode.NotFound), await responses[1].Content.ReadAsStringAsync());
            using var get = await Client.GetAsync($"/v1/webhooks/{created.Id}");
            await ApiAssert.NotFound(get);
            Assert.That((await ReadRowAsync(Factory, created.Id))!.DeletedAt, Is.Not.Null);
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    /// <summary>Every operation on one endpoint, with an optional <c>If-Match</c>.</summary>
    private IEnumerable<(string Name, Func<string, string?, Task<HttpResponseMessage>> Send)> Operations()
    {
        yield return ("GET", (id, ifMatch) => SendAsync(Client, HttpMethod.Get, $"/v1/webhooks/{id}", ifMatch));
        yield return ("GET history", (id, ifMatch) => SendAsync(Client, HttpMethod.Get, $"/v1/webhooks/{id}/history", ifMatch));
        yield return ("PATCH", (id, ifMatch) => PatchAsync(id, """{"description":"Back from the dead"}""", ifMatch));
        yield return ("PATCH {}", (id, ifMatch) => PatchAsync(id, "{}", ifMatch));
        yield return ("PATCH api_version", (id, ifMatch) => PatchAsync(id, """{"api_version":"2026-04-01"}""", ifMatch));
        yield return ("DELETE", (id, ifMatch) => DeleteAsync(id, ifMatch));
        yield return ("rotate", (id, ifMatch) => RotateAsync(id, ifMatch));
    }
}
