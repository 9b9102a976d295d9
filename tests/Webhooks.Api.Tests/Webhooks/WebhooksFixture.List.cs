using System.Globalization;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>One page of <c>GET /v1/webhooks</c>, checked for its shape.</summary>
public sealed record WebhookPage(IReadOnlyList<JsonElement> Data, bool HasMore, string? NextCursor)
{
    public IReadOnlyList<string> Ids => [.. Data.Select(item => item.GetProperty("id").GetString()!)];
}

/// <summary>The <c>GET /v1/webhooks</c> helpers of <see cref="WebhooksFixture"/>.</summary>
public abstract partial class WebhooksFixture
{
    /// <summary><c>GET /v1/webhooks{query}</c>: 200 with a page of exactly <c>data</c>, <c>has_more</c>, <c>next_cursor</c>.</summary>
    protected async Task<WebhookPage> ListAsync(string query = "", HttpClient? client = null)
    {
        using var response = await (client ?? Client).GetAsync("/v1/webhooks" + query);
        return await AssertPageAsync(response);
    }

    protected static async Task<WebhookPage> AssertPageAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var body = await ApiAssert.JsonSuccess(response);
        Assert.That(body.ValueKind, Is.EqualTo(JsonValueKind.Object), text);
        Assert.That(body.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(PageKeys.Split(',')), text);
        var data = body.GetProperty("data");
        Assert.That(data.ValueKind, Is.EqualTo(JsonValueKind.Array), text);
        var hasMore = body.GetProperty("has_more");
        Assert.That(hasMore.ValueKind, Is.AnyOf(JsonValueKind.True, JsonValueKind.False), text);
        var cursor = body.GetProperty("next_cursor");
        Assert.That(cursor.ValueKind, Is.AnyOf(JsonValueKind.String, JsonValueKind.Null), text);
        var items = data.EnumerateArray().Select(item => item.Clone()).ToList();
        foreach (var item in items)
        {
            WebhookResource.AssertShape(item);
            Assert.That(item.GetProperty("deleted_at").ValueKind, Is.EqualTo(JsonValueKind.Null), "a listed endpoint is not deleted");
        }

        var nextCursor = cursor.ValueKind == JsonValueKind.Null ? null : cursor.GetString();
        Assert.That(nextCursor is not null, Is.EqualTo(hasMore.GetBoolean()), "next_cursor is null exactly when there is no more: " + text);
        Assert.That(nextCursor, Is.Null.Or.Not.Empty);
        return new WebhookPage(items, hasMore.GetBoolean(), nextCursor);
    }

    /// <summary>Every page of the list with this limit, following <c>next_cursor</c>; the ids in the order received.</summary>
    protected async Task<List<string>> ListAllIdsAsync(int limit, HttpClient? client = null)
    {
        var ids = new List<string>();
        string? cursor = null;
        for (var pages = 0; ; pages++)
        {
            Assert.That(pages, Is.LessThan(1000), "the list must end");
            var page = await ListAsync(Query(limit, cursor), client);
            Assert.That(page.Data, Has.Count.LessThanOrEqualTo(limit));
            ids.AddRange(page.Ids);
            if (!page.HasMore)
            {
                return ids;
            }

            Assert.That(page.Data, Has.Count.EqualTo(limit), "a page before the last one is full");
            cursor = page.NextCursor;
        }
    }

    protected static string Query(int? limit = null, string? cursor = null)
    {
        var parts = new List<string>();
        if (limit is not null)
        {
            parts.Add("limit=" + limit.Value.ToString(CultureInfo.InvariantCulture));
        }

        if (cursor is not null)
        {
            parts.Add("cursor=" + Uri.EscapeDataString(cursor));
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join("&", parts);
    }
}
