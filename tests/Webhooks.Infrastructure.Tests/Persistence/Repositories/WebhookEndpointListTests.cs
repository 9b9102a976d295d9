using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Webhooks.Infrastructure.Tests.Persistence.Repositories;

/// <summary>
/// Endpoint lists on a real SQLite file: keyset pages on the list position, newest first, that
/// SQLite serves from its index.
/// </summary>
[TestFixture]
public sealed class WebhookEndpointListTests : SqliteAppTests
{
    private CapturedSql _captured = null!;

    protected override IInterceptor[] Interceptors()
    {
        _captured = new CapturedSql();
        return [_captured];
    }

    [Test]
    public async Task ListAsync_ReturnsTheOrganizationsEndpointsNewestFirst()
    {
        var ids = await CreateInShuffledOrderAsync(OrgId, 6);

        var listed = await ListAsync(OrgId, null, 100);

        Assert.That(listed, Is.EqualTo(ids.AsEnumerable().Reverse()));
    }

    [Test]
    public async Task ListAsync_WhenTakeIsSmaller_ReturnsOnlyTheNewest()
    {
        var ids = await CreateInShuffledOrderAsync(OrgId, 6);

        var listed = await ListAsync(OrgId, null, 2);

        Assert.That(listed, Is.EqualTo(new[] { ids[5], ids[4] }));
    }

    [TestCase(5, 2, new[] { 4, 3 })]
    [TestCase(4, 3, new[] { 3, 2, 1 })]
    [TestCase(1, 5, new[] { 0 })]
    [TestCase(0, 5, new int[0])]
    public async Task ListAsync_AfterAnId_ReturnsExactlyTheNextItems(int after, int take, int[] expected)
    {
        var ids = await CreateInShuffledOrderAsync(OrgId, 6);

        var listed = await ListAsync(OrgId, ids[after], take);

        Assert.That(listed, Is.EqualTo(expected.Select(i => ids[i])));
    }

    [Test]
    public async Task ListAsync_PageByPage_VisitsEveryEndpointOnceInOrder()
    {
        var ids = await CreateInShuffledOrderAsync(OrgId, 7);
        var visited = new List<Guid>();
        Guid? after = null;

        for (var page = 0; page < 10; page++)
        {
            // As the handler does: one more than the page size tells whether there is more.
            var items = await ListAsync(OrgId, after, 3);
            visited.AddRange(items.Take(2));
            if (items.Count <= 2)
            {
                break;
            }

            after = items[1];
        }

        Assert.That(visited, Is.EqualTo(ids.AsEnumerable().Reverse()));
    }

    [Test]
    public async Task ListAsync_WhenAnEndpointIsCreatedBetweenPages_NoItemRepeatsOrVanishes()
    {
        var ids = await CreateInShuffledOrderAsync(OrgId, 4);
        var first = await ListAsync(OrgId, null, 2);

        var newer = TestData.NewEndpoint(NewerThan(ids[^1]), OrgId);
        await App.SaveAsync(sp => sp.Endpoints().Add(newer));
        var second = await ListAsync(OrgId, first[^1], 2);

        Assert.That(first.Concat(second), Is.EqualTo(ids.AsEnumerable().Reverse()));
        Assert.That(await ListAsync(OrgId, null, 1), Is.EqualTo(new[] { newer.Id }), "the new endpoint heads a fresh listing");
    }

    [Test]
    public async Task ListAsync_LeavesOutDeletedEndpointsAndOtherOrganizations()
    {
        var other = await App.SaveOrganizationAsync("Other");
        var owners = new[] { OrgId, other, OrgId, OrgId, other, OrgId };
        var ids = SortedIds(owners.Length);
        foreach (var (owner, id) in owners.Zip(ids))
        {
            await App.SaveAsync(sp => sp.Endpoints().Add(TestData.NewEndpoint(id, owner)));
        }

        await App.DeleteAsync(OrgId, ids[3]);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await ListAsync(OrgId, null, 100), Is.EqualTo(new[] { ids[5], ids[2], ids[0] }));
            Assert.That(await ListAsync(other, null, 100), Is.EqualTo(new[] { ids[4], ids[1] }));
            Assert.That(await ListAsync(OrgId, ids[5], 1), Is.EqualTo(new[] { ids[2] }), "the deleted one is skipped within a page too");
            Assert.That(await ListAsync(OrgId, ids[3], 100), Is.EqualTo(new[] { ids[2], ids[0] }), "a cursor at an endpoint deleted since goes on after its position");
            Assert.That(await ListAsync(Guid.CreateVersion7(), null, 100), Is.Empty);
        });
    }

    [Test]
    public async Task ListAsync_ReturnsWholeEndpointsUntracked()
    {
        var endpoint = TestData.NewEndpoint(OrgId);
        await App.SaveAsync(sp => sp.Endpoints().Add(endpoint));

        await using var scope = App.Scope();
        var items = await scope.ServiceProvider.Endpoints().ListAsync(OrgId, null, 10, CancellationToken.None);
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();

        Assert.That(items, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(db.ChangeTracker.Entries().Count(), Is.Zero, "a list is read-only");
            Assert.That(items[0].Url.Value, Is.EqualTo("https://hooks.example.com/billing?x=1"));
            Assert.That(items[0].Events, Is.EqualTo(new[] { "subscription.canceled", "wallet.balance_low", "wallet.balance_zero" }));
            Assert.That(items[0].Revision, Is.EqualTo(1));
            Assert.That(items[0].ProtectedSecret, Is.EqualTo(TestData.ProtectedSecret));
        });
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task ListAsync_SendsAKeysetQueryOnListPositionThatSqliteServesFromTheIndex(bool nextPage)
    {
        var ids = await CreateInShuffledOrderAsync(OrgId, 3);
        _captured.Clear();

        await ListAsync(OrgId, nextPage ? ids[2] : null, 2);

        var (sql, parameters) = _captured.Single();
        Assert.Multiple(() =>
        {
            Assert.That(sql, nextPage ? Does.Contain("\"w\".\"list_position\" < @") : Does.Not.Contain("\"list_position\" <"));
            Assert.That(sql, Does.Contain("ORDER BY \"w\".\"list_position\" DESC"));
            Assert.That(sql, Does.Contain("LIMIT @"));
            Assert.That(sql, Does.Not.Contain("OFFSET"));
        });

        var plan = QueryPlan(sql, parameters);
        Assert.Multiple(() =>
        {
            Assert.That(plan, Does.Contain("USING INDEX ix_webhook_endpoints_org_id_list_position").Or.Contain("USING COVERING INDEX ix_webhook_endpoints_org_id_list_position"), plan);
            Assert.That(plan, Does.Not.Contain("TEMP B-TREE"), "the index gives the order; no sort of all rows: " + plan);
            Assert.That(plan, Does.Not.Contain("SCAN"), "no full scan: " + plan);
        });
    }

    /// <summary>Creates <paramref name="count"/> endpoints with time-ordered ids (oldest first in the result), saved in a shuffled order.</summary>
    private async Task<List<Guid>> CreateInShuffledOrderAsync(Guid orgId, int count)
    {
        // The list's order is the order of the ids' text (ListPosition). Sorted here rather than made a
        // few milliseconds apart: two version-7 ids of the same millisecond are in random order.
        var ids = SortedIds(count);
        // Saved odd positions newest first, then even ones oldest first (5, 3, 1, 0, 2, 4 for six):
        // the order of the rows in the table says nothing about the order of the list.
        var saveOrder = Enumerable.Range(0, count).Where(i => i % 2 == 1).Reverse().Concat(Enumerable.Range(0, count).Where(i => i % 2 == 0));
        foreach (var index in saveOrder)
        {
            await App.SaveAsync(sp => sp.Endpoints().Add(TestData.NewEndpoint(ids[index], orgId)));
        }

        return ids;
    }

    private static List<Guid> SortedIds(int count) =>
        Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).OrderBy(id => id.ToString("D"), StringComparer.Ordinal).ToList();

    /// <summary>A version-7 id whose text sorts after <paramref name="id"/>'s (a later millisecond, or the same one by chance).</summary>
    private static Guid NewerThan(Guid id)
    {
        Guid newer;
        do
        {
            newer = Guid.CreateVersion7();
        }
        while (string.CompareOrdinal(newer.ToString("D"), id.ToString("D")) <= 0);

        return newer;
    }

    private async Task<List<Guid>> ListAsync(Guid orgId, Guid? after, int take)
    {
        await using var scope = App.Scope();
        var items = await scope.ServiceProvider.Endpoints().ListAsync(orgId, after, take, CancellationToken.None);
        return items.Select(e => e.Id).ToList();
    }

    private string QueryPlan(string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        using var connection = App.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(reader.GetOrdinal("detail")));
        }

        return string.Join("\n", lines);
    }

    /// <summary>Records the SQL and parameters of each query that reads rows (and lets it run).</summary>
    private sealed class CapturedSql : DbCommandInterceptor
    {
        private readonly List<(string Sql, List<(string Name, object? Value)> Parameters)> _queries = [];

        public void Clear() => _queries.Clear();

        public (string Sql, List<(string Name, object? Value)> Parameters) Single() => _queries.Single();

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Record(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        private void Record(DbCommand command)
        {
            if (command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
            {
                _queries.Add((command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList()));
            }
        }
    }
}
