using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Organizations;
using Webhooks.Application.Webhooks;
using Webhooks.Domain.Idempotency;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Tests.Support;

namespace Webhooks.Infrastructure.Tests.Persistence.Repositories;

/// <summary>
/// The endpoint lifecycle on a real SQLite file: keyset lists, the revision as the optimistic
/// concurrency token, idempotency records, and the unit of work's conflicts and reset.
/// </summary>
[TestFixture]
public sealed class LifecyclePersistenceTests
{
    private TempFolder _temp = null!;
    private ServiceProvider _services = null!;
    private CapturedSql _captured = null!;
    private Guid _orgId;

    private string DatabaseFile => Path.Combine(_temp.Path, "data", "webhooks.db");

    [SetUp]
    public async Task SetUp()
    {
        _temp = new TempFolder();
        _captured = new CapturedSql();
        var connectionString = new SqliteConnectionStringBuilder { DataSource = DatabaseFile }.ToString();
        // Pooled contexts take their options once, from a singleton (docs/decisions/0008-sqlite-write-path.md).
        _services = TestData.BuildServices(_temp.Path, new Dictionary<string, string?>(), services => services.AddSingleton(_ =>
            new DbContextOptionsBuilder<SqliteWebhooksDbContext>()
                .UseSqlite(connectionString, PersistenceSetup.SqliteOptions)
                .AddInterceptors(_captured)
                .Options));
        await using (var scope = _services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        }

        _orgId = await SaveOrganizationAsync("Owner");
    }

    [TearDown]
    public async Task TearDown()
    {
        await _services.DisposeAsync();
        _temp.Dispose();
    }

    [Test]
    public async Task Add_StoresTheIdTextAsTheListPosition()
    {
        var endpoint = TestData.NewEndpoint(_orgId);
        await SaveAsync(sp => Endpoints(sp).Add(endpoint));

        Assert.That(
            Scalar($"SELECT list_position FROM webhook_endpoints WHERE id = '{endpoint.Id.ToString().ToUpperInvariant()}';"),
            Is.EqualTo(endpoint.Id.ToString("D")));
    }

    [Test]
    public async Task ListAsync_ReturnsTheOrganizationsEndpointsNewestFirst()
    {
        var ids = await CreateInShuffledOrderAsync(_orgId, 6);

        var listed = await ListAsync(_orgId, null, 100);

        Assert.That(listed, Is.EqualTo(ids.AsEnumerable().Reverse()));
    }

    [Test]
    public async Task ListAsync_WhenTakeIsSmaller_ReturnsOnlyTheNewest()
    {
        var ids = await CreateInShuffledOrderAsync(_orgId, 6);

        var listed = await ListAsync(_orgId, null, 2);

        Assert.That(listed, Is.EqualTo(new[] { ids[5], ids[4] }));
    }

    [TestCase(5, 2, new[] { 4, 3 })]
    [TestCase(4, 3, new[] { 3, 2, 1 })]
    [TestCase(1, 5, new[] { 0 })]
    [TestCase(0, 5, new int[0])]
    public async Task ListAsync_AfterAnId_ReturnsExactlyTheNextItems(int after, int take, int[] expected)
    {
        var ids = await CreateInShuffledOrderAsync(_orgId, 6);

        var listed = await ListAsync(_orgId, ids[after], take);

        Assert.That(listed, Is.EqualTo(expected.Select(i => ids[i])));
    }

    [Test]
    public async Task ListAsync_PageByPage_VisitsEveryEndpointOnceInOrder()
    {
        var ids = await CreateInShuffledOrderAsync(_orgId, 7);
        var visited = new List<Guid>();
        Guid? after = null;

        for (var page = 0; page < 10; page++)
        {
            // As the handler does: one more than the page size tells whether there is more.
            var items = await ListAsync(_orgId, after, 3);
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
        var ids = await CreateInShuffledOrderAsync(_orgId, 4);
        var first = await ListAsync(_orgId, null, 2);

        await Task.Delay(3);
        var newer = TestData.NewEndpoint(Guid.CreateVersion7(), _orgId);
        await SaveAsync(sp => Endpoints(sp).Add(newer));
        var second = await ListAsync(_orgId, first[^1], 2);

        Assert.That(first.Concat(second), Is.EqualTo(ids.AsEnumerable().Reverse()));
        Assert.That(await ListAsync(_orgId, null, 1), Is.EqualTo(new[] { newer.Id }), "the new endpoint heads a fresh listing");
    }

    [Test]
    public async Task ListAsync_LeavesOutDeletedEndpointsAndOtherOrganizations()
    {
        var other = await SaveOrganizationAsync("Other");
        var ids = new List<Guid>();
        var owners = new[] { _orgId, other, _orgId, _orgId, other, _orgId };
        foreach (var owner in owners)
        {
            await Task.Delay(2);
            var endpoint = TestData.NewEndpoint(Guid.CreateVersion7(), owner);
            ids.Add(endpoint.Id);
            await SaveAsync(sp => Endpoints(sp).Add(endpoint));
        }

        await DeleteAsync(_orgId, ids[3]);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await ListAsync(_orgId, null, 100), Is.EqualTo(new[] { ids[5], ids[2], ids[0] }));
            Assert.That(await ListAsync(other, null, 100), Is.EqualTo(new[] { ids[4], ids[1] }));
            Assert.That(await ListAsync(_orgId, ids[5], 1), Is.EqualTo(new[] { ids[2] }), "the deleted one is skipped within a page too");
            Assert.That(await ListAsync(_orgId, ids[3], 100), Is.EqualTo(new[] { ids[2], ids[0] }), "a cursor at an endpoint deleted since goes on after its position");
            Assert.That(await ListAsync(Guid.CreateVersion7(), null, 100), Is.Empty);
        });
    }

    [Test]
    public async Task ListAsync_ReturnsWholeEndpointsUntracked()
    {
        var endpoint = TestData.NewEndpoint(_orgId);
        await SaveAsync(sp => Endpoints(sp).Add(endpoint));

        await using var scope = _services.CreateAsyncScope();
        var items = await Endpoints(scope.ServiceProvider).ListAsync(_orgId, null, 10, CancellationToken.None);
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
        var ids = await CreateInShuffledOrderAsync(_orgId, 3);
        _captured.Clear();

        await ListAsync(_orgId, nextPage ? ids[2] : null, 2);

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

    [Test]
    public async Task Revision_IsStoredAndGrowsWithEverySavedChange()
    {
        var endpoint = TestData.NewEndpoint(_orgId);
        await SaveAsync(sp => Endpoints(sp).Add(endpoint));

        await ChangeAsync(endpoint.Id, e => e.Patch(TestData.Activate, TestData.At(2026, 7, 1, 0, 0, 0)));
        await ChangeAsync(endpoint.Id, e => e.RotateSecret("CfDJ8-another-secret", TestData.At(2026, 7, 2, 0, 0, 0)));

        var loaded = await LoadAsync(endpoint.Id);
        Assert.Multiple(() =>
        {
            Assert.That(loaded!.Revision, Is.EqualTo(3));
            Assert.That(loaded.ProtectedSecret, Is.EqualTo("CfDJ8-another-secret"));
            Assert.That(Scalar($"SELECT revision FROM webhook_endpoints WHERE id = '{endpoint.Id.ToString().ToUpperInvariant()}';"), Is.EqualTo(3L));
        });
    }

    [Test]
    public async Task SaveChanges_WhenAnotherUnitOfWorkChangedTheEndpointFirst_ThrowsConcurrencyConflictAndWritesNothing()
    {
        var endpoint = TestData.NewEndpoint(_orgId);
        await SaveAsync(sp => Endpoints(sp).Add(endpoint));
        await using var first = _services.CreateAsyncScope();
        await using var second = _services.CreateAsyncScope();
        var mine = await Endpoints(first.ServiceProvider).GetAsync(endpoint.Id, _orgId, CancellationToken.None);
        var theirs = await Endpoints(second.ServiceProvider).GetAsync(endpoint.Id, _orgId, CancellationToken.None);
        mine!.Patch(TestData.Activate, TestData.At(2026, 7, 1, 0, 0, 0));
        theirs!.Patch(TestData.ClearDescription, TestData.At(2026, 7, 1, 0, 0, 1));

        await UnitOfWork(first.ServiceProvider).SaveChangesAsync(CancellationToken.None);
        var conflict = Assert.ThrowsAsync<ConcurrencyConflictException>(() => UnitOfWork(second.ServiceProvider).SaveChangesAsync(CancellationToken.None));

        Assert.That(conflict!.InnerException, Is.InstanceOf<DbUpdateConcurrencyException>());
        var stored = await LoadAsync(endpoint.Id);
        Assert.Multiple(() =>
        {
            Assert.That(stored!.Active, Is.True, "the first change is kept");
            Assert.That(stored.Description?.Value, Is.EqualTo("Billing alerts"), "the stale change is not written");
            Assert.That(stored.Revision, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task SaveChanges_WhenTheEndpointWasDeletedMeanwhile_ThrowsConcurrencyConflict()
    {
        var endpoint = TestData.NewEndpoint(_orgId);
        await SaveAsync(sp => Endpoints(sp).Add(endpoint));
        await using var patching = _services.CreateAsyncScope();
        var stale = await Endpoints(patching.ServiceProvider).GetAsync(endpoint.Id, _orgId, CancellationToken.None);
        stale!.Patch(TestData.Activate, TestData.At(2026, 7, 1, 0, 0, 0));

        await DeleteAsync(_orgId, endpoint.Id);

        Assert.ThrowsAsync<ConcurrencyConflictException>(() => UnitOfWork(patching.ServiceProvider).SaveChangesAsync(CancellationToken.None));
        Assert.That(Scalar($"SELECT active FROM webhook_endpoints WHERE id = '{endpoint.Id.ToString().ToUpperInvariant()}';"), Is.EqualTo(0L));
    }

    [Test]
    public async Task SaveChanges_AfterAConflict_ResetAndARerunOnFreshDataKeepBothChanges()
    {
        var endpoint = TestData.NewEndpoint(_orgId);
        await SaveAsync(sp => Endpoints(sp).Add(endpoint));
        await using var first = _services.CreateAsyncScope();
        await using var second = _services.CreateAsyncScope();
        (await Endpoints(first.ServiceProvider).GetAsync(endpoint.Id, _orgId, CancellationToken.None))!.Patch(TestData.Activate, TestData.At(2026, 7, 1, 0, 0, 0));
        (await Endpoints(second.ServiceProvider).GetAsync(endpoint.Id, _orgId, CancellationToken.None))!.Patch(TestData.ClearDescription, TestData.At(2026, 7, 1, 0, 0, 1));
        await UnitOfWork(first.ServiceProvider).SaveChangesAsync(CancellationToken.None);
        Assert.ThrowsAsync<ConcurrencyConflictException>(() => UnitOfWork(second.ServiceProvider).SaveChangesAsync(CancellationToken.None));

        // What RetryOnConflictBehavior does: reset the unit of work and run the command again.
        UnitOfWork(second.ServiceProvider).Reset();
        (await Endpoints(second.ServiceProvider).GetAsync(endpoint.Id, _orgId, CancellationToken.None))!.Patch(TestData.ClearDescription, TestData.At(2026, 7, 1, 0, 0, 2));
        await UnitOfWork(second.ServiceProvider).SaveChangesAsync(CancellationToken.None);

        var stored = await LoadAsync(endpoint.Id);
        Assert.Multiple(() =>
        {
            Assert.That(stored!.Active, Is.True);
            Assert.That(stored.Description, Is.Null);
            Assert.That(stored.Revision, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Reset_ForgetsEveryTrackedEntityAndPendingChange()
    {
        var endpoint = TestData.NewEndpoint(_orgId);
        await SaveAsync(sp => Endpoints(sp).Add(endpoint));
        await using var scope = _services.CreateAsyncScope();
        var tracked = await Endpoints(scope.ServiceProvider).GetAsync(endpoint.Id, _orgId, CancellationToken.None);
        tracked!.Patch(TestData.Activate, TestData.At(2026, 7, 1, 0, 0, 0));
        Endpoints(scope.ServiceProvider).Add(TestData.NewEndpoint(_orgId));
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        Assert.That(db.ChangeTracker.Entries().Count(), Is.EqualTo(2), "precondition");

        UnitOfWork(scope.ServiceProvider).Reset();
        await UnitOfWork(scope.ServiceProvider).SaveChangesAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(db.ChangeTracker.Entries().Count(), Is.Zero);
            Assert.That(Scalar("SELECT count(*) FROM webhook_endpoints;"), Is.EqualTo(1L), "the pending insert is gone");
            Assert.That(Scalar("SELECT active FROM webhook_endpoints;"), Is.EqualTo(0L), "the pending update is gone");
        });
    }

    [Test]
    public async Task IdempotencyStore_FindsTheRecordOfItsOrganizationOnly()
    {
        var other = await SaveOrganizationAsync("Other");
        var record = IdempotencyRecord.Create(_orgId, "key-1", TestData.Hash('a'), "CfDJ8-protected-response", TestData.At(2026, 7, 1, 0, 0, 0));
        await SaveAsync(sp => Idempotency(sp).Add(record));

        await using var scope = _services.CreateAsyncScope();
        var store = Idempotency(scope.ServiceProvider);
        var found = await store.FindAsync(_orgId, "key-1", CancellationToken.None);

        Assert.That(found, Is.Not.Null);
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(found!.OrgId, Is.EqualTo(_orgId));
            Assert.That(found.Key, Is.EqualTo("key-1"));
            Assert.That(found.RequestHash, Is.EqualTo(TestData.Hash('a')));
            Assert.That(found.ProtectedResponse, Is.EqualTo("CfDJ8-protected-response"));
            Assert.That(found.CreatedAt, Is.EqualTo(TestData.At(2026, 7, 1, 0, 0, 0)));
            Assert.That(await store.FindAsync(other, "key-1", CancellationToken.None), Is.Null);
            Assert.That(await store.FindAsync(_orgId, "key-2", CancellationToken.None), Is.Null);
        });
    }

    [Test]
    public async Task IdempotencyStore_TheSameKeyInAnotherOrganization_IsAnotherRecord()
    {
        var other = await SaveOrganizationAsync("Other");
        await SaveAsync(sp => Idempotency(sp).Add(IdempotencyRecord.Create(_orgId, "shared", TestData.Hash('a'), "one", TestData.At(2026, 7, 1, 0, 0, 0))));

        await SaveAsync(sp => Idempotency(sp).Add(IdempotencyRecord.Create(other, "shared", TestData.Hash('b'), "two", TestData.At(2026, 7, 1, 0, 0, 0))));

        Assert.That(Scalar("SELECT count(*) FROM idempotency_keys WHERE key = 'shared';"), Is.EqualTo(2L));
    }

    [Test]
    public async Task SaveChanges_WhenTwoUnitsOfWorkAddTheSameKey_TheSecondThrowsConcurrencyConflictAndWritesNothing()
    {
        await using var first = _services.CreateAsyncScope();
        await using var second = _services.CreateAsyncScope();
        Endpoints(first.ServiceProvider).Add(TestData.NewEndpoint(_orgId));
        Idempotency(first.ServiceProvider).Add(IdempotencyRecord.Create(_orgId, "retry-1", TestData.Hash('a'), "first", TestData.At(2026, 7, 1, 0, 0, 0)));
        Endpoints(second.ServiceProvider).Add(TestData.NewEndpoint(_orgId));
        Idempotency(second.ServiceProvider).Add(IdempotencyRecord.Create(_orgId, "retry-1", TestData.Hash('a'), "second", TestData.At(2026, 7, 1, 0, 0, 0)));

        await UnitOfWork(first.ServiceProvider).SaveChangesAsync(CancellationToken.None);
        var conflict = Assert.ThrowsAsync<ConcurrencyConflictException>(() => UnitOfWork(second.ServiceProvider).SaveChangesAsync(CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(conflict!.InnerException, Is.InstanceOf<DbUpdateException>());
            Assert.That(Scalar("SELECT response FROM idempotency_keys;"), Is.EqualTo("first"));
            Assert.That(Scalar("SELECT count(*) FROM webhook_endpoints;"), Is.EqualTo(1L), "the loser's endpoint is not written either");
        });
    }

    [Test]
    public async Task IdempotencyStore_AnExpiredRecordCanBeRemovedAndItsKeyReusedInOneUnitOfWork()
    {
        // What the create handler does when a key's record has expired.
        await SaveAsync(sp => Idempotency(sp).Add(IdempotencyRecord.Create(_orgId, "reused", TestData.Hash('a'), "old", TestData.At(2026, 7, 1, 0, 0, 0))));

        await SaveAsync(async sp =>
        {
            var store = Idempotency(sp);
            var expired = await store.FindAsync(_orgId, "reused", CancellationToken.None);
            store.Remove(expired!);
            store.Add(IdempotencyRecord.Create(_orgId, "reused", TestData.Hash('b'), "new", TestData.At(2026, 7, 3, 0, 0, 0)));
        });

        await using var scope = _services.CreateAsyncScope();
        var found = await Idempotency(scope.ServiceProvider).FindAsync(_orgId, "reused", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(found!.RequestHash, Is.EqualTo(TestData.Hash('b')));
            Assert.That(found.ProtectedResponse, Is.EqualTo("new"));
            Assert.That(found.CreatedAt, Is.EqualTo(TestData.At(2026, 7, 3, 0, 0, 0)));
            Assert.That(Scalar("SELECT count(*) FROM idempotency_keys;"), Is.EqualTo(1L));
        });
    }

    [Test]
    public async Task IdempotencyStore_KeepsAKeyOf255Characters()
    {
        var key = new string('k', IdempotencyRecord.MaxKeyLength);
        await SaveAsync(sp => Idempotency(sp).Add(IdempotencyRecord.Create(_orgId, key, TestData.Hash('a'), "r", TestData.At(2026, 7, 1, 0, 0, 0))));

        await using var scope = _services.CreateAsyncScope();
        Assert.That(await Idempotency(scope.ServiceProvider).FindAsync(_orgId, key, CancellationToken.None), Is.Not.Null);
    }

    private static IWebhookEndpointRepository Endpoints(IServiceProvider services) => services.GetRequiredService<IWebhookEndpointRepository>();

    private static IIdempotencyStore Idempotency(IServiceProvider services) => services.GetRequiredService<IIdempotencyStore>();

    private static IUnitOfWork UnitOfWork(IServiceProvider services) => services.GetRequiredService<IUnitOfWork>();

    /// <summary>Creates <paramref name="count"/> endpoints with time-ordered ids (oldest first in the result), saved in a shuffled order.</summary>
    private async Task<List<Guid>> CreateInShuffledOrderAsync(Guid orgId, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            await Task.Delay(2);
            ids.Add(Guid.CreateVersion7());
        }

        Assert.That(ids.Select(id => id.ToString("D")), Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal), "precondition: version-7 ids made in sequence sort by their text");
        // Saved odd positions newest first, then even ones oldest first (5, 3, 1, 0, 2, 4 for six):
        // the order of the rows in the table says nothing about the order of the list.
        var saveOrder = Enumerable.Range(0, count).Where(i => i % 2 == 1).Reverse().Concat(Enumerable.Range(0, count).Where(i => i % 2 == 0));
        foreach (var index in saveOrder)
        {
            await SaveAsync(sp => Endpoints(sp).Add(TestData.NewEndpoint(ids[index], orgId)));
        }

        return ids;
    }

    private async Task<List<Guid>> ListAsync(Guid orgId, Guid? after, int take)
    {
        await using var scope = _services.CreateAsyncScope();
        var items = await Endpoints(scope.ServiceProvider).ListAsync(orgId, after, take, CancellationToken.None);
        return items.Select(e => e.Id).ToList();
    }

    private async Task<WebhookEndpoint?> LoadAsync(Guid id)
    {
        await using var scope = _services.CreateAsyncScope();
        return await Endpoints(scope.ServiceProvider).GetAsync(id, _orgId, CancellationToken.None);
    }

    private Task ChangeAsync(Guid id, Action<WebhookEndpoint> change) => SaveAsync(async sp =>
    {
        var tracked = await Endpoints(sp).GetAsync(id, _orgId, CancellationToken.None);
        change(tracked!);
    });

    private Task DeleteAsync(Guid orgId, Guid id) => SaveAsync(async sp =>
    {
        var tracked = await Endpoints(sp).GetAsync(id, orgId, CancellationToken.None);
        tracked!.Delete(TestData.At(2026, 9, 9, 9, 9, 9));
    });

    private async Task<Guid> SaveOrganizationAsync(string name)
    {
        var organization = TestData.NewOrganization(name);
        await SaveAsync(sp => sp.GetRequiredService<IOrganizationRepository>().Add(organization));
        return organization.Id;
    }

    private Task SaveAsync(Action<IServiceProvider> change) => SaveAsync(sp =>
    {
        change(sp);
        return Task.CompletedTask;
    });

    /// <summary>One unit of work in its own scope (its own context), as a command runs.</summary>
    private async Task SaveAsync(Func<IServiceProvider, Task> change)
    {
        await using var scope = _services.CreateAsyncScope();
        await change(scope.ServiceProvider);
        await UnitOfWork(scope.ServiceProvider).SaveChangesAsync(CancellationToken.None);
    }

    private string QueryPlan(string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        using var connection = Open();
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

    private object? Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabaseFile, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        return connection;
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
