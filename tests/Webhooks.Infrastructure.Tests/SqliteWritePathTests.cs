using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Persistence.Sqlite;
using Webhooks.Infrastructure.Tests.Support;

namespace Webhooks.Infrastructure.Tests;

/// <summary>
/// The SQLite write path (docs/decisions/0008-sqlite-write-path.md): one writer at a time per file,
/// first come first served, BEGIN IMMEDIATE transactions, and a configured PRAGMA synchronous.
/// </summary>
[TestFixture]
public sealed class SqliteWritePathTests
{
    private string _folder = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), "webhooks-write-path-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task FifoLock_AdmitsOneHolderAtATime_InArrivalOrder()
    {
        var gate = new AsyncFifoLock();
        var first = await gate.AcquireAsync(CancellationToken.None);
        var order = new List<int>();
        var waiters = Enumerable.Range(1, 20).Select(async i =>
        {
            // Queued in this order, synchronously, before any of them can run.
            var acquire = gate.AcquireAsync(CancellationToken.None);
            using (await acquire)
            {
                lock (order)
                {
                    order.Add(i);
                }
            }
        }).ToList();

        Assert.That(gate.Waiting, Is.EqualTo(20));
        first.Dispose();
        await Task.WhenAll(waiters);

        Assert.That(order, Is.EqualTo(Enumerable.Range(1, 20)));
    }

    [Test]
    public async Task FifoLock_CancelledWaiter_LeavesTheQueue_AndTheLockStillPassesOn()
    {
        var gate = new AsyncFifoLock();
        var held = await gate.AcquireAsync(CancellationToken.None);
        using var cancellation = new CancellationTokenSource();
        var cancelled = gate.AcquireAsync(cancellation.Token);
        var next = gate.AcquireAsync(CancellationToken.None);

        await cancellation.CancelAsync();
        Assert.That(async () => await cancelled, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(gate.Waiting, Is.EqualTo(1));

        held.Dispose();
        using (await next.WaitAsync(TimeSpan.FromSeconds(5)))
        {
            Assert.That(gate.Waiting, Is.Zero);
        }

        // Released twice is released once.
        var again = await gate.AcquireAsync(CancellationToken.None);
        again.Dispose();
        again.Dispose();
        using var last = await gate.AcquireAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Test]
    public void WriteGate_IsOnePerDatabaseFile()
    {
        var file = Path.Combine(_folder, "a.db");
        Assert.Multiple(() =>
        {
            Assert.That(SqliteWriteGate.For($"Data Source={file}"), Is.SameAs(SqliteWriteGate.For($"Data Source={file};Cache=Shared")));
            Assert.That(SqliteWriteGate.For($"Data Source={file}"), Is.Not.SameAs(SqliteWriteGate.For($"Data Source={Path.Combine(_folder, "b.db")}")));
        });
    }

    [TestCase(null, 1)]
    [TestCase("Normal", 1)]
    [TestCase("full", 2)]
    public async Task EveryConnection_GetsTheConfiguredSynchronousSetting(string? configured, int expected)
    {
        await using var services = TestData.BuildServices(_folder, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Webhooks"] = $"Data Source={Path.Combine(_folder, "sync.db")}",
            ["Database:SqliteSynchronous"] = configured,
            ["DataProtection:KeysPath"] = Path.Combine(_folder, "keys"),
        });
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);

        var synchronous = await db.Database.SqlQuerySingle("PRAGMA synchronous;");

        Assert.That(synchronous, Is.EqualTo(expected));
    }

    [Test]
    public void Settings_RefuseAnUnknownSynchronousSetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Database:SqliteSynchronous"] = "OFF" }).Build();

        Assert.That(() => DatabaseSettings.From(configuration, _folder),
            Throws.InvalidOperationException.With.Message.Contains("Database:SqliteSynchronous"));
    }

    [Test]
    public async Task TransactionsEfCoreBegins_AreImmediate_TheyHoldTheWriteLockFromTheStart()
    {
        await using var services = TestData.BuildServices(_folder, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Webhooks"] = $"Data Source={Path.Combine(_folder, "immediate.db")}",
            ["DataProtection:KeysPath"] = Path.Combine(_folder, "keys"),
        });
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);

        await using var transaction = await db.Database.BeginTransactionAsync();

        // Another connection cannot take the write lock while the (still empty) transaction is open.
        await using var other = new SqliteConnection($"Data Source={Path.Combine(_folder, "immediate.db")};Pooling=False;Default Timeout=1");
        await other.OpenAsync();
        await using var begin = other.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        var busy = Assert.ThrowsAsync<SqliteException>(() => begin.ExecuteNonQueryAsync());
        Assert.That(busy!.SqliteErrorCode, Is.EqualTo(5), "SQLITE_BUSY");
    }

    [Test]
    public async Task ManyConcurrentWriters_AllSucceed()
    {
        var file = Path.Combine(_folder, "concurrent.db");
        await using (var setup = TestData.NewSqliteContext(file))
        {
            await new DatabaseMigrator(setup).MigrateAsync(CancellationToken.None);
        }

        var org = TestData.NewOrganization();
        await using (var db = TestData.NewSqliteContext(file))
        {
            db.Add(org);
            await db.SaveChangesAsync();
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
        {
            await using var db = TestData.NewSqliteContext(file);
            var endpoint = TestData.NewEndpoint(org.Id, $"writer {i}");
            db.Add(endpoint);
            db.Entry(endpoint).Property("ListPosition").CurrentValue = endpoint.Id.ToString("D");
            await db.SaveChangesAsync();
        }));

        await using var check = TestData.NewSqliteContext(file);
        Assert.That(await check.Set<WebhookEndpoint>().CountAsync(), Is.EqualTo(64));
        TestContext.Out.WriteLine($"64 concurrent inserts in {watch.ElapsedMilliseconds} ms");
    }
}

internal static class SqlQueryExtensions
{
    public static async Task<long> SqlQuerySingle(this Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade database, string sql)
    {
        var connection = database.GetDbConnection();
        await database.OpenConnectionAsync();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }
}
