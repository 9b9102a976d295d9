using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Webhooks.Application.Webhooks.ListWebhooks;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// <c>GET /v1/webhooks</c>: the organization's endpoints that are not deleted, newest first, in keyset
/// pages (<c>limit</c> 1..100, default 20; an opaque cursor bound to the organization). The cursor's
/// rules are in <c>ListWebhooksTests.Cursor.cs</c>.
/// </summary>
[TestFixture]
public sealed partial class ListWebhooksTests : WebhooksFixture
{
    private const string LimitMessage = ListWebhooksQuery.InvalidLimitMessage;
    private const string CursorMessage = ListWebhooksQuery.InvalidCursorMessage;

    private readonly CapturedLogs _logs = new();

    protected override ApiFactory CreateFactory() => new() { TestServices = _logs.AddTo };

    [Test]
    public async Task Without_a_limit_a_page_has_20_items_and_the_next_page_the_rest()
    {
        var (_, client) = await NewOrganizationAsync();
        var ids = await CreateManyAsync(23, client);

        var first = await ListAsync(client: client);

        Assert.That(first.Ids, Is.EqualTo(ids.AsEnumerable().Reverse().Take(20)), "the 20 newest, newest first");
        Assert.That(first.HasMore, Is.True);
        var second = await ListAsync(Query(cursor: first.NextCursor), client);
        Assert.That(second.Ids, Is.EqualTo(ids.Take(3).Reverse()), "the same default limit, then the rest");
        Assert.That(second.HasMore, Is.False);
        Assert.That(second.NextCursor, Is.Null);
    }

    [Test]
    public async Task Limit_1_gives_one_item_per_page_across_every_endpoint()
    {
        var (_, client) = await NewOrganizationAsync();
        var ids = await CreateManyAsync(3, client);

        var first = await ListAsync("?limit=1", client);

        Assert.That(first.Ids, Is.EqualTo(new[] { ids[2] }));
        Assert.That(first.HasMore, Is.True);
        Assert.That(await ListAllIdsAsync(1, client), Is.EqualTo(ids.AsEnumerable().Reverse()));
    }

    [Test]
    public async Task Limit_100_gives_100_items_and_has_more_when_there_are_101()
    {
        var (_, client) = await NewOrganizationAsync();
        var ids = await CreateManyAsync(101, client);

        var first = await ListAsync("?limit=100", client);

        Assert.That(first.Ids, Is.EqualTo(ids.AsEnumerable().Reverse().Take(100)));
        Assert.That(first.HasMore, Is.True);
        var second = await ListAsync(Query(100, first.NextCursor), client);
        Assert.That(second.Ids, Is.EqualTo(new[] { ids[0] }));
        Assert.That(second.HasMore, Is.False);
        Assert.That(second.NextCursor, Is.Null);
    }

    [TestCase("0")]
    [TestCase("101")]
    [TestCase("abc")]
    [TestCase("-1")]
    [TestCase("1.5")]
    [TestCase("1e2")]
    [TestCase("%2B5")]
    [TestCase("%205")]
    [TestCase("20abc")]
    [TestCase("2147483648")]
    [TestCase("99999999999999999999")]
    public async Task Limit_outside_1_to_100_or_not_an_integer_is_400(string limit)
    {
        using var response = await Client.GetAsync($"/v1/webhooks?limit={limit}");

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["limit"] = LimitMessage });
    }

    [Test]
    public async Task Newest_first()
    {
        var (_, client) = await NewOrganizationAsync();
        var ids = await CreateManyAsync(5, client);

        var page = await ListAsync(client: client);

        Assert.That(page.Ids, Is.EqualTo(ids.AsEnumerable().Reverse()), "newest first");
        var created = page.Data.Select(item => WebhookResource.AssertTimestamp(item.GetProperty("created_at").GetString())).ToList();
        Assert.That(created, Is.Ordered.Descending, "created_at never grows down the list");
        Assert.That(page.HasMore, Is.False);
        Assert.That(page.NextCursor, Is.Null);
    }

    [Test]
    public async Task An_organization_without_endpoints_gets_an_empty_last_page()
    {
        var (_, client) = await NewOrganizationAsync();

        var page = await ListAsync(client: client);

        Assert.That(page.Data, Is.Empty);
        Assert.That(page.HasMore, Is.False);
        Assert.That(page.NextCursor, Is.Null);
    }

    [Test]
    public async Task A_last_page_that_is_exactly_full_says_there_is_no_more()
    {
        var (_, client) = await NewOrganizationAsync();
        var ids = await CreateManyAsync(6, client);

        var first = await ListAsync("?limit=3", client);
        var second = await ListAsync(Query(3, first.NextCursor), client);

        Assert.That(first.Ids, Is.EqualTo(ids.Skip(3).Reverse()));
        Assert.That(first.HasMore, Is.True);
        Assert.That(first.NextCursor, Is.Not.Null);
        Assert.That(second.Ids, Is.EqualTo(ids.Take(3).Reverse()));
        Assert.That(second.HasMore, Is.False, "no empty page after an exactly full one");
        Assert.That(second.NextCursor, Is.Null);
    }

    [Test]
    public async Task Walking_pages_while_endpoints_are_created_returns_each_original_endpoint_exactly_once_in_order()
    {
        var (_, client) = await NewOrganizationAsync();
        var originals = await CreateManyAsync(10, client, "original");
        var added = new List<string>();
        var seen = new List<string>();
        string? cursor = null;

        for (var pages = 0; ; pages++)
        {
            Assert.That(pages, Is.LessThan(10), "the walk must end");
            var page = await ListAsync(Query(3, cursor), client);
            seen.AddRange(page.Ids);
            if (pages > 0)
            {
                Assert.That(page.Ids, Has.None.AnyOf(added), "an endpoint created after the first page never appears in a later one");
            }

            if (!page.HasMore)
            {
                break;
            }

            cursor = page.NextCursor;

            // Someone creates endpoints between two requests of the walk.
            added.Add((await CreateAsync(client, "https://hooks.example.com/added", "added")).Id);
            added.Add((await CreateAsync(client, "https://hooks.example.com/added", "added")).Id);
        }

        Assert.That(seen, Is.EqualTo(originals.AsEnumerable().Reverse()), "every original endpoint exactly once, newest first");
        Assert.That(added, Has.Count.EqualTo(6), "endpoints were created between all four pages");
        var fresh = await ListAllIdsAsync(3, client);
        Assert.That(fresh, Is.EqualTo(originals.Concat(added).Reverse()), "a new walk sees everything, newest first");
    }

    [Test]
    public async Task Walking_pages_while_endpoints_are_deleted_skips_nothing_else()
    {
        var (_, client) = await NewOrganizationAsync();
        var ids = await CreateManyAsync(9, client);
        var newestFirst = ids.AsEnumerable().Reverse().ToList();

        var first = await ListAsync("?limit=3", client);
        Assert.That(first.Ids, Is.EqualTo(newestFirst.Take(3)));

        // The item the cursor points at, and one of the next page, are deleted between two requests.
        using (var deleted = await DeleteAsync(newestFirst[2], client: client))
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using (var deleted = await DeleteAsync(newestFirst[4], client: client))
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var second = await ListAsync(Query(3, first.NextCursor), client);
        var third = await ListAsync(Query(3, second.NextCursor), client);

        Assert.That(second.Ids, Is.EqualTo(new[] { newestFirst[3], newestFirst[5], newestFirst[6] }));
        Assert.That(third.Ids, Is.EqualTo(new[] { newestFirst[7], newestFirst[8] }));
        Assert.That(third.HasMore, Is.False);
    }

    [Test]
    public async Task Deleted_endpoints_are_absent_from_every_page()
    {
        var (_, client) = await NewOrganizationAsync();
        var ids = await CreateManyAsync(7, client);
        foreach (var id in new[] { ids[0], ids[3], ids[6] })
        {
            using var deleted = await DeleteAsync(id, client: client);
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var expected = new[] { ids[5], ids[4], ids[2], ids[1] };
        Assert.That((await ListAsync(client: client)).Ids, Is.EqualTo(expected));
        Assert.That(await ListAllIdsAsync(2, client), Is.EqualTo(expected));
        Assert.That(await ListAllIdsAsync(1, client), Is.EqualTo(expected));
    }

    [Test]
    public async Task Other_organizations_endpoints_are_absent()
    {
        var (_, mine) = await NewOrganizationAsync();
        var (_, theirs) = await NewOrganizationAsync();
        var myIds = new List<string>();
        var theirIds = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            // Interleaved, so that their ids fall between mine.
            myIds.Add((await CreateAsync(mine)).Id);
            await Task.Delay(2);
            theirIds.Add((await CreateAsync(theirs)).Id);
            await Task.Delay(2);
        }

        Assert.That(await ListAllIdsAsync(1, mine), Is.EqualTo(myIds.AsEnumerable().Reverse()));
        Assert.That(await ListAllIdsAsync(3, theirs), Is.EqualTo(theirIds.AsEnumerable().Reverse()));
        var page = await ListAsync(client: mine);
        Assert.That(page.Data.Select(item => item.GetProperty("org_id").GetString()).Distinct(), Is.EqualTo(new[] { page.Data[0].GetProperty("org_id").GetString() }));
    }

    [Test]
    public async Task Every_item_is_exactly_what_get_shows_without_a_secret()
    {
        var (_, client) = await NewOrganizationAsync();
        var created = new List<CreatedEndpoint>();
        for (var i = 0; i < 3; i++)
        {
            created.Add(await CreateAsync(client, $"https://hooks.example.com/item/{i}", i == 1 ? null : $"Item {i}"));
            await Task.Delay(2);
        }

        using (var patched = await PatchAsync(created[0].Id, """{"active":false,"events":["subscription.canceled"]}""", client: client))
        {
            Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var response = await client.GetAsync("/v1/webhooks");
        var text = await response.Content.ReadAsStringAsync();
        var page = await AssertPageAsync(response);

        Assert.That(text, Does.Not.Contain("secret").And.Not.Contain("whsec_"));
        foreach (var endpoint in created)
        {
            Assert.That(text, Does.Not.Contain(endpoint.Secret[6..]), "no secret, in any form");
        }

        Assert.That(page.Data, Has.Count.EqualTo(3));
        foreach (var item in page.Data)
        {
            var (stored, _) = await GetWithETagAsync(item.GetProperty("id").GetString()!, client);
            Assert.That(JsonElement.DeepEquals(item, stored), Is.True, $"list item {item} is GET's {stored}");
        }
    }

    [Test]
    public async Task A_read_only_key_and_a_write_only_key_can_list()
    {
        var (org, client) = await NewOrganizationAsync();
        var ids = await CreateManyAsync(2, client);

        foreach (var scope in new[] { "webhooks:read", "webhooks:write" })
        {
            using var scoped = Factory.CreateClient(await Factory.CreateKeyAsync(org.OrgId, scope));
            Assert.That((await ListAsync(client: scoped)).Ids, Is.EqualTo(ids.AsEnumerable().Reverse()), scope);
        }
    }

    [Test]
    public async Task Without_a_valid_key_the_list_is_401_whatever_the_query()
    {
        var (org, client) = await NewOrganizationAsync();
        await CreateManyAsync(2, client);
        var cursor = (await ListAsync("?limit=1", client)).NextCursor!;
        await Factory.RevokeKeyAsync(org.KeyId);

        foreach (var key in new[] { null, "am_live_" + new string('x', 43), org.Key })
        {
            using var anonymous = Factory.CreateClient(key);
            foreach (var query in new[] { string.Empty, "?limit=0", Query(1, cursor), "?cursor=garbage" })
            {
                using var response = await anonymous.GetAsync("/v1/webhooks" + query);
                await ApiAssert.Unauthorized(response);
            }
        }
    }

    /// <summary>
    /// The cost of page N does not grow with N: the list query is a keyset query (no OFFSET) that
    /// SQLite answers from the index on (org_id, list_position) without sorting.
    /// </summary>
    [Test]
    [Category(TestPostgres.SqliteOnly)]
    public async Task A_later_page_is_a_keyset_query_served_by_the_index()
    {
        var (_, client) = await NewOrganizationAsync();
        await CreateManyAsync(7, client);
        var first = await ListAsync("?limit=2", client);
        var second = await ListAsync(Query(2, first.NextCursor), client);
        var before = _logs.Entries.Count;

        var third = await ListAsync(Query(2, second.NextCursor), client);

        Assert.That(third.Data, Has.Count.EqualTo(2));
        var commands = _logs.Entries.Skip(before)
            .Where(entry => entry.Category == "Microsoft.EntityFrameworkCore.Database.Command"
                && entry.Message.StartsWith("Executed DbCommand", StringComparison.Ordinal)
                && entry.Message.Contains("webhook_endpoints", StringComparison.Ordinal))
            .Select(entry => SqlOf(entry.Message))
            .Distinct()
            .ToList();
        Assert.That(commands, Has.Count.EqualTo(1), "one query for the page: " + string.Join("\n---\n", commands));
        var sql = commands[0];
        Assert.That(sql, Does.Not.Contain("OFFSET").IgnoreCase, sql);
        Assert.That(sql, Does.Contain("list_position").And.Contain("<"), sql);
        Assert.That(sql, Does.Contain("LIMIT").IgnoreCase, sql);

        var plan = await QueryPlanAsync(sql);
        Assert.That(plan, Has.Some.Contains("USING INDEX ix_webhook_endpoints_org_id_list_position").Or.Some.Contains("USING COVERING INDEX ix_webhook_endpoints_org_id_list_position"), string.Join("\n", plan));
        Assert.That(plan, Has.Some.Contains("list_position<?"), "the cursor bounds the index search: " + string.Join("\n", plan));
        Assert.That(plan, Has.None.Contains("TEMP B-TREE"), "no sort: the index gives the order. " + string.Join("\n", plan));
        Assert.That(plan, Has.None.Match("^SCAN (TABLE )?webhook_endpoints"), "no full scan. " + string.Join("\n", plan));
    }

    /// <summary>The SQL text of EF Core's "Executed DbCommand" log message.</summary>
    private static string SqlOf(string message)
    {
        var start = message.IndexOf("SELECT", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), message);
        return message[start..].Trim();
    }

    private async Task<List<string>> QueryPlanAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Factory.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in ParameterName().Matches(sql).Select(m => m.Value).Distinct())
        {
            command.Parameters.AddWithValue(name, name.Contains("p_", StringComparison.Ordinal) ? 3 : "x");
        }

        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }

    [GeneratedRegex(@"@\w+")]
    private static partial Regex ParameterName();
}
