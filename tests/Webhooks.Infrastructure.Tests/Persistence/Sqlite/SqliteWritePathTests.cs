using Microsoft.Extensions.Configuration;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Organizations;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Persistence.Sqlite;
using Webhooks.Infrastructure.Persistence.WritePath;

namespace Webhooks.Infrastructure.Tests.Persistence.Sqlite;

/// <summary>
/// The write path (docs/decisions/0010-one-write-path.md): registered per provider; on SQLite one
/// writer at a time per file, first come first served, BEGIN IMMEDIATE transactions, SQLite's busy
/// handler between processes, a configured PRAGMA synchronous; no save around it; a bounded probe.
/// </summary>
[TestFixture]
public sealed class SqliteWritePathTests : TempFolderTests
{
    [TestCase("Sqlite", typeof(SqliteWritePath))]
    [TestCase("SqlServer", typeof(SqlServerWritePath))]
    public async Task WritePath_IsRegisteredPerProvider_OnePerServiceProvider(string provider, Type expected)
    {
        await using var services = TestData.BuildServices(Temp.Path, new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:Webhooks"] = provider == "SqlServer" ? TestData.DummySqlServerConnectionString : $"Data Source={Path.Combine(Temp.Path, "a.db")}",
        });

        var writePath = services.GetRequiredService<IDatabaseWritePath>();

        Assert.That(writePath, Is.InstanceOf(expected));
        Assert.That(services.GetRequiredService<IDatabaseWritePath>(), Is.SameAs(writePath));
    }

    [Test]
    public async Task SaveChanges_OutsideTheWritePath_Throws_AndWritesNothing()
    {
        await using var app = await SqliteApp.StartAsync();
        var services = app.Services;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        db.Add(TestData.NewOrganization());

        Assert.That(() => db.SaveChangesAsync(), Throws.InvalidOperationException.With.Message.EqualTo(WebhooksDbContext.SavedOutsideTheWritePath));
        Assert.That(() => db.SaveChanges(), Throws.InvalidOperationException.With.Message.EqualTo(WebhooksDbContext.SavedOutsideTheWritePath));

        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        await using var check = services.CreateAsyncScope();
        Assert.That(await check.ServiceProvider.GetRequiredService<WebhooksDbContext>().Set<Organization>().CountAsync(), Is.EqualTo(1),
            "the same change goes through the unit of work");
    }

    [Test]
    public async Task WriteAsync_RunsTheWorkInOneImmediateTransaction_CommittedWhenItReturns_RolledBackWhenItThrows()
    {
        await using var app = await SqliteApp.StartAsync();
        var services = app.Services;
        var org = TestData.NewOrganization("Before");
        await SaveAsync(services, db => db.Add(org));
        var writePath = services.GetRequiredService<IDatabaseWritePath>();

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
            var failed = Assert.ThrowsAsync<InvalidOperationException>(() => writePath.WriteAsync<int>(db, async (tx, ct) =>
            {
                await tx.Set<Organization>().Where(o => o.Id == org.Id).ExecuteUpdateAsync(o => o.SetProperty(x => x.Name, "Rolled back"), ct);
                throw new InvalidOperationException("the work failed");
            }, CancellationToken.None));
            Assert.That(failed!.Message, Is.EqualTo("the work failed"));
        }

        Assert.That(await NameAsync(services, org.Id), Is.EqualTo("Before"), "nothing of the failed work stays");

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
            var updated = await writePath.WriteAsync(db, async (tx, ct) =>
            {
                // Inside the work the transaction holds the write lock: another connection cannot write.
                Assert.That(TryBeginImmediate(app.DatabaseFile), Is.False, "the transaction is BEGIN IMMEDIATE");
                var rows = await tx.Set<Organization>().Where(o => o.Id == org.Id).ExecuteUpdateAsync(o => o.SetProperty(x => x.Name, "After"), ct);
                tx.Add(TestData.NewOrganization("Added"));
                await tx.SaveChangesAsync(acceptAllChangesOnSuccess: false, ct);
                return rows;
            }, CancellationToken.None);

            Assert.That(updated, Is.EqualTo(1));
            Assert.That(db.ChangeTracker.HasChanges(), Is.False, "the saved changes are accepted after the commit");
        }

        Assert.That(await NameAsync(services, org.Id), Is.EqualTo("After"));
        Assert.That(TryBeginImmediate(app.DatabaseFile), Is.True, "the commit released the write lock");
    }

    [Test]
    public async Task Writers_QueueBehindTheOneHoldingTheWritePath_AndTheMigratorToo()
    {
        await using var app = await SqliteApp.StartAsync();
        var services = app.Services;
        var writePath = (SqliteWritePath)services.GetRequiredService<IDatabaseWritePath>();
        await using var scope = services.CreateAsyncScope();
        await using var migrating = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<IOrganizationRepository>().Add(TestData.NewOrganization());

        Task save = Task.CompletedTask;
        Task migrate = Task.CompletedTask;
        await writePath.ExclusiveAsync(async _ =>
        {
            save = scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
            migrate = migrating.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
            Assert.That(writePath.Waiting, Is.EqualTo(2), "the save and the migrator wait for the holder");
            Assert.That(save.IsCompleted || migrate.IsCompleted, Is.False);
            return true;
        }, CancellationToken.None);

        await Task.WhenAll(save, migrate);
        Assert.That(writePath.Waiting, Is.Zero);
    }

    [Test]
    public async Task CanWrite_IsFalseWhileAnotherConnectionHoldsTheWriteLock_AndTrueOnceItIsReleased()
    {
        var file = Path.Combine(Temp.Path, "probe.db");
        var writePath = new SqliteWritePath(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={file}"));
        await using var holder = new SqliteConnection($"Data Source={file};Pooling=False");
        await holder.OpenAsync();
        await using var begin = holder.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        await begin.ExecuteNonQueryAsync();

        var whileHeld = await writePath.CanWriteAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None);
        await using var rollback = holder.CreateCommand();
        rollback.CommandText = "ROLLBACK;";
        await rollback.ExecuteNonQueryAsync();
        var afterwards = await writePath.CanWriteAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(whileHeld, Is.False);
            Assert.That(afterwards, Is.True);
            Assert.That(TryBeginImmediate(file), Is.True, "the probe left no transaction open");
        });
    }

    [Test]
    public async Task CanWrite_IsFalseWhileThisProcessHoldsTheWritePathLongerThanTheWait()
    {
        var file = Path.Combine(Temp.Path, "held.db");
        var writePath = new SqliteWritePath(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={file}"));
        await using (var create = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await create.OpenAsync();
        }

        var whileHeld = await writePath.ExclusiveAsync(ct => writePath.CanWriteAsync(TimeSpan.FromMilliseconds(200), ct), CancellationToken.None);

        Assert.That(whileHeld, Is.False);
        Assert.That(await writePath.CanWriteAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None), Is.True);
    }

    [Test]
    public async Task CanWrite_IsFalseWhenTheDatabaseFileIsMissing_AndDoesNotCreateIt()
    {
        var file = Path.Combine(Temp.Path, "missing.db");
        var writePath = new SqliteWritePath(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={file}"));

        Assert.That(await writePath.CanWriteAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None), Is.False);
        Assert.That(File.Exists(file), Is.False);
    }

    [Test]
    public async Task EveryConnection_WaitsForAnotherProcessInSqlitesBusyHandler_AsLongAsTheCommandTimeout()
    {
        await using var app = await SqliteApp.StartAsync();
        var services = app.Services;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();

        var busyTimeout = await db.Database.SqlQuerySingle("PRAGMA busy_timeout;");

        Assert.That(busyTimeout, Is.EqualTo(SqliteConnectionSetupInterceptor.BusyTimeoutMilliseconds));
        Assert.That(SqliteConnectionSetupInterceptor.BusyTimeoutMilliseconds, Is.EqualTo(PersistenceSetup.SqliteCommandTimeoutSeconds * 1000));
    }

    [TestCase(null, 1)]
    [TestCase("Normal", 1)]
    [TestCase("full", 2)]
    public async Task EveryConnection_GetsTheConfiguredSynchronousSetting(string? configured, int expected)
    {
        await using var app = await SqliteApp.StartAsync(settings: new Dictionary<string, string?> { ["Database:SqliteSynchronous"] = configured });
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();

        var synchronous = await db.Database.SqlQuerySingle("PRAGMA synchronous;");

        Assert.That(synchronous, Is.EqualTo(expected));
    }

    [Test]
    public async Task TransactionsEfCoreBegins_AreImmediate_TheyHoldTheWriteLockFromTheStart()
    {
        await using var app = await SqliteApp.StartAsync();
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();

        await using var transaction = await db.Database.BeginTransactionAsync();

        // Another connection cannot take the write lock while the (still empty) transaction is open.
        await using var other = new SqliteConnection($"Data Source={app.DatabaseFile};Pooling=False;Default Timeout=1");
        await other.OpenAsync();
        await using var begin = other.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        var busy = Assert.ThrowsAsync<SqliteException>(() => begin.ExecuteNonQueryAsync());
        Assert.That(busy!.SqliteErrorCode, Is.EqualTo(5), "SQLITE_BUSY");
    }

    [Test]
    public async Task ManyConcurrentWriters_AllSucceed()
    {
        var file = Path.Combine(Temp.Path, "concurrent.db");
        var writePath = new SqliteWritePath(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={file}"));
        await using (var setup = TestData.NewSqliteContext(file))
        {
            await TestData.Migrator(setup, writePath).MigrateAsync(CancellationToken.None);
        }

        var org = TestData.NewOrganization();
        await using (var db = TestData.NewSqliteContext(file))
        {
            db.Add(org);
            await writePath.SaveChangesAsync(db, CancellationToken.None);
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
        {
            await using var db = TestData.NewSqliteContext(file);
            var endpoint = TestData.NewEndpoint(org.Id, $"writer {i}");
            db.Add(endpoint);
            db.Entry(endpoint).Property("ListPosition").CurrentValue = endpoint.Id.ToString("D");
            await writePath.SaveChangesAsync(db, CancellationToken.None);
        }));

        await using var check = TestData.NewSqliteContext(file);
        Assert.That(await check.Set<WebhookEndpoint>().CountAsync(), Is.EqualTo(64));
        TestContext.Out.WriteLine($"64 concurrent inserts in {watch.ElapsedMilliseconds} ms");
    }


    private static async Task SaveAsync(ServiceProvider services, Action<WebhooksDbContext> change)
    {
        await using var scope = services.CreateAsyncScope();
        change(scope.ServiceProvider.GetRequiredService<WebhooksDbContext>());
        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
    }

    private static async Task<string> NameAsync(ServiceProvider services, Guid orgId)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Set<Organization>()
            .Where(o => o.Id == orgId).Select(o => o.Name).SingleAsync();
    }

    /// <summary>Whether another connection (as another process would) can take the write lock now, without waiting.</summary>
    private static bool TryBeginImmediate(string file)
    {
        using var other = new SqliteConnection($"Data Source={file};Pooling=False");
        other.Open();
        using var begin = other.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        begin.CommandTimeout = 1;
        try
        {
            begin.ExecuteNonQuery();
        }
        catch (SqliteException busy) when (busy.SqliteErrorCode == 5)
        {
            return false;
        }

        using var rollback = other.CreateCommand();
        rollback.CommandText = "ROLLBACK;";
        rollback.ExecuteNonQuery();
        return true;
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
