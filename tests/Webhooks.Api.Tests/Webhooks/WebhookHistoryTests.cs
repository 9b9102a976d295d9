using System.Text.Json.Nodes;
using Webhooks.Application.Common.Paging;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// <c>GET /v1/webhooks/{id}/history</c>: every change, newest first, each entry exactly
/// <c>{"at", "actor", "action", "changes"}</c> with the calling key's id, the fields that changed
/// from → to, and no secret; paged like the other lists; 404 like every endpoint read; the scope.
/// </summary>
[TestFixture]
public sealed class WebhookHistoryTests : WebhooksFixture
{
    private static readonly string[] EntryKeys = ["at", "actor", "action", "changes"];

    [Test]
    public async Task History_ListsEveryChangeNewestFirst_WithTheCallingKey_AndOnlyTheChangedFields()
    {
        var created = await CreateAsync(description: "Ops alerts");
        var patched = await ChangeAsync(PatchAsync(created.Id, """{"url":"https://hooks.example.com/moved","description":"  ","events":["subscription.past_due","wallet.balance_low"],"active":true}"""));
        await ChangeAsync(PatchAsync(created.Id, "{}"));
        await ChangeAsync(PatchAsync(created.Id, """{"description":null,"url":"https://hooks.example.com/moved"}"""));
        var paused = await ChangeAsync(PatchAsync(created.Id, """{"active":false}"""));
        var rotated = await ChangeAsync(RotateAsync(created.Id));

        using var response = await Client.GetAsync($"/v1/webhooks/{created.Id}/history");

        var page = await ApiAssert.JsonSuccess(response);
        var text = page.GetRawText();
        Assert.That(page.EnumerateObject().Select(p => p.Name), Is.EqualTo(PageKeys.Split(',')), text);
        Assert.That(page.GetProperty("has_more").GetBoolean(), Is.False);
        Assert.That(page.GetProperty("next_cursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(text, Does.Not.Contain("whsec_").And.Not.Contain(created.Secret[6..]), "no secret ever appears");
        var entries = page.GetProperty("data").EnumerateArray().ToList();
        Assert.That(entries.Select(e => e.GetProperty("action").GetString()), Is.EqualTo(new[] { "secret_rotated", "updated", "updated", "created" }), "no entry for a PATCH that changed nothing");
        AssertEntry(entries[0], rotated.GetProperty("updated_at").GetString()!, "secret_rotated", "{}");
        AssertEntry(entries[1], paused.GetProperty("updated_at").GetString()!, "updated", """{"active":{"from":true,"to":false}}""");
        AssertEntry(
            entries[2],
            patched.GetProperty("updated_at").GetString()!,
            "updated",
            """
            {"url":{"from":"https://hooks.example.com/y3labs/ops","to":"https://hooks.example.com/moved"},
             "description":{"from":"Ops alerts","to":null},
             "events":{"from":["wallet.balance_low","wallet.balance_zero"],"to":["subscription.past_due","wallet.balance_low"]}}
            """);
        AssertEntry(
            entries[3],
            created.Resource.GetProperty("created_at").GetString()!,
            "created",
            """
            {"url":{"from":null,"to":"https://hooks.example.com/y3labs/ops"},
             "description":{"from":null,"to":"Ops alerts"},
             "events":{"from":null,"to":["wallet.balance_low","wallet.balance_zero"]},
             "active":{"from":null,"to":true},
             "api_version":{"from":null,"to":"2026-04-01"}}
            """);
    }

    [Test]
    public async Task History_PagesWithLimitAndCursor_AndRefusesABadLimitOrAnotherOrganizationsCursor()
    {
        var (_, other) = await NewOrganizationAsync();
        var created = await CreateAsync();
        for (var i = 0; i < 4; i++)
        {
            await ChangeAsync(PatchAsync(created.Id, $$"""{"description":"label {{i}}"}"""));
        }

        var all = await HistoryAsync(Client, $"/v1/webhooks/{created.Id}/history?limit=100");
        var first = await HistoryAsync(Client, $"/v1/webhooks/{created.Id}/history?limit=2");
        var second = await HistoryAsync(Client, $"/v1/webhooks/{created.Id}/history?limit=2&cursor={Uri.EscapeDataString(first.NextCursor!)}");
        var third = await HistoryAsync(Client, $"/v1/webhooks/{created.Id}/history?limit=2&cursor={Uri.EscapeDataString(second.NextCursor!)}");
        var otherEndpoint = await CreateAsync(other);
        await ChangeAsync(PatchAsync(otherEndpoint.Id, """{"description":"x"}""", client: other));
        var foreignCursor = (await HistoryAsync(other, $"/v1/webhooks/{otherEndpoint.Id}/history?limit=1")).NextCursor;
        using var bad = await Client.GetAsync($"/v1/webhooks/{created.Id}/history?limit=101&cursor=garbage");
        using var foreign = await Client.GetAsync($"/v1/webhooks/{created.Id}/history?cursor={Uri.EscapeDataString(foreignCursor!)}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(all.Data.Select(e => e.GetProperty("changes").GetRawText()).Take(4), Is.EqualTo(new[] { 3, 2, 1, 0 }.Select(i => Description(i))));
            Assert.That(all.Data, Has.Count.EqualTo(5));
            Assert.That((first.HasMore, second.HasMore, third.HasMore), Is.EqualTo((true, true, false)));
            Assert.That(third.NextCursor, Is.Null);
            Assert.That(
                first.Data.Concat(second.Data).Concat(third.Data).Select(e => e.GetRawText()),
                Is.EqualTo(all.Data.Select(e => e.GetRawText())),
                "page by page: every entry once, in order");
        }

        await ApiAssert.ValidationFailed(bad, new Dictionary<string, string> { ["limit"] = ListPaging.InvalidLimitMessage, ["cursor"] = ListPaging.InvalidCursorMessage });
        await ApiAssert.ValidationFailed(foreign, new Dictionary<string, string> { ["cursor"] = ListPaging.InvalidCursorMessage });

        static string Description(int i) => new JsonObject { ["description"] = new JsonObject { ["from"] = i == 0 ? null : $"label {i - 1}", ["to"] = $"label {i}" } }.ToJsonString();
    }

    [Test]
    public async Task History_OfAnotherOrganizationsADeletedOrAnUnknownEndpoint_Is404()
    {
        var (_, other) = await NewOrganizationAsync();
        var foreign = await CreateAsync(other);
        var deleted = await CreateAsync();
        await ChangeAsync(DeleteAsync(deleted.Id));

        foreach (var id in new[] { foreign.Id, deleted.Id, Guid.CreateVersion7().ToString(), "not-a-uuid" })
        {
            using var response = await Client.GetAsync($"/v1/webhooks/{id}/history");
            await ApiAssert.NotFound(response);
        }
    }

    [Test]
    public async Task History_WithoutAKeyIs401_WithoutWebhooksReadIs403_AndWithWebhooksWriteIsAllowed()
    {
        var created = await CreateAsync();
        using var anonymous = Factory.CreateClient(null);
        using var publisher = Factory.CreateClient(await Factory.CreateKeyAsync(Org.OrgId, "events:write"));
        using var writer = Factory.CreateClient(await Factory.CreateKeyAsync(Org.OrgId, "webhooks:write"));

        using var unauthenticated = await anonymous.GetAsync($"/v1/webhooks/{created.Id}/history");
        using var forbidden = await publisher.GetAsync($"/v1/webhooks/{created.Id}/history");
        using var allowed = await writer.GetAsync($"/v1/webhooks/{created.Id}/history");

        await ApiAssert.Unauthorized(unauthenticated);
        await ApiAssert.Forbidden(forbidden);
        Assert.That((await ApiAssert.JsonSuccess(allowed)).GetProperty("data").GetArrayLength(), Is.EqualTo(1));
    }

    private void AssertEntry(JsonElement entry, string at, string action, string changes)
    {
        var text = entry.GetRawText();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.EnumerateObject().Select(p => p.Name), Is.EqualTo(EntryKeys), text);
            Assert.That(entry.GetProperty("at").GetString(), Is.EqualTo(at), text);
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(entry.GetProperty("actor").GetRawText()), new JsonObject { ["type"] = "api_key", ["id"] = Org.KeyId.ToString() }), Is.True, text);
            Assert.That(entry.GetProperty("action").GetString(), Is.EqualTo(action), text);
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(entry.GetProperty("changes").GetRawText()), JsonNode.Parse(changes)), Is.True, text);
        }
    }

    /// <summary>A change through the API: 200 (or 201) with the resource, returned.</summary>
    private static async Task<JsonElement> ChangeAsync(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        return await ApiAssert.JsonSuccess(response);
    }

    private static async Task<(List<JsonElement> Data, bool HasMore, string? NextCursor)> HistoryAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var page = await ApiAssert.JsonSuccess(response);
        return ([.. page.GetProperty("data").EnumerateArray()], page.GetProperty("has_more").GetBoolean(), page.GetProperty("next_cursor").GetString());
    }
}
