using System.Net;
using System.Net.Sockets;
using Microsoft.Data.SqlClient;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Organizations;
using Webhooks.Domain.Organizations;

namespace Webhooks.Infrastructure.Tests.Persistence;

/// <summary>
/// A database that cannot serve makes requests fail fast: SQLite waits at most its command timeout
/// for a lock (in WAL mode, so readers are not blocked by a writer), SQL Server retries transient
/// faults, and every such failure is recognized as "unavailable". Built from the application's own
/// registrations; no SQL Server is needed.
/// </summary>
[TestFixture]
public sealed class DatabaseFailFastTests : TempFolderTests
{
    [Test]
    public async Task SqliteContext_WhenRegistered_HasAFiveSecondCommandTimeout()
    {
        await using var app = await SqliteApp.StartAsync(migrate: false);
        await using var scope = app.Scope();

        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(db, Is.InstanceOf<SqliteWebhooksDbContext>());
            Assert.That(db.Database.GetCommandTimeout(), Is.EqualTo(5));
            Assert.That(PersistenceSetup.SqliteCommandTimeoutSeconds, Is.EqualTo(5));
        }
    }

    [Test]
    public async Task SqliteContext_WhenRegistered_DoesNotRetrySoALockedDatabaseFailsAfterOneTimeout()
    {
        await using var app = await SqliteApp.StartAsync(migrate: false);
        await using var scope = app.Scope();

        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();

        Assert.That(db.Database.CreateExecutionStrategy().RetriesOnFailure, Is.False);
    }

    [Test]
    public async Task SqlServerContext_WhenRegistered_RetriesOnTransientFaults()
    {
        await using var services = TestData.BuildServices(Temp.Path, new Dictionary<string, string?>
        {
            ["Database:Provider"] = "SqlServer",
            ["ConnectionStrings:Webhooks"] = TestData.DummySqlServerConnectionString,
        });
        await using var scope = services.CreateAsyncScope();

        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(db, Is.InstanceOf<SqlServerWebhooksDbContext>());
            Assert.That(db.Database.CreateExecutionStrategy().RetriesOnFailure, Is.True);
        }
    }

    [Test]
    public async Task SaveChanges_WhenAnotherConnectionHoldsAnExclusiveTransaction_FailsAsUnavailableWithinTheBusyTimeout()
    {
        await using var app = await SqliteApp.StartAsync();
        using var holder = app.Open();
        SqliteFile.Execute(holder, "BEGIN EXCLUSIVE;");
        await using var scope = app.Scope();
        scope.ServiceProvider.GetRequiredService<IOrganizationRepository>().Add(TestData.NewOrganization());

        var exception = Assert.CatchAsync(
            () => scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            // SQLITE_BUSY, raised by the BEGIN IMMEDIATE of the unit of work (or, wrapped in a
            // DbUpdateException, by the INSERT).
            Assert.That(SqliteIn(exception)?.SqliteErrorCode, Is.EqualTo(5), exception?.ToString());
            Assert.That(DatabaseFaults.IsUnavailable(exception), Is.True);
        }
    }

    [Test]
    public async Task SaveChanges_WhenTheLockIsReleasedWithinTheTimeout_WaitsAndSucceeds()
    {
        await using var app = await SqliteApp.StartAsync();
        using var holder = app.Open();
        SqliteFile.Execute(holder, "BEGIN EXCLUSIVE;");
        await using var scope = app.Scope();
        var organization = TestData.NewOrganization();
        scope.ServiceProvider.GetRequiredService<IOrganizationRepository>().Add(organization);

        // Microsoft.Data.Sqlite waits synchronously: the save runs on another thread.
        var save = Task.Run(() => scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        SqliteFile.Execute(holder, "COMMIT;");
        await save;

        Assert.That(app.Scalar($"SELECT count(*) FROM organizations WHERE name = 'Acme';"), Is.EqualTo(1L));
    }

    [Test]
    public async Task Read_WhenAnotherConnectionHoldsAWriteTransaction_IsNotBlockedInWalMode()
    {
        await using var app = await SqliteApp.StartAsync();
        await using (var seed = app.Scope())
        {
            seed.ServiceProvider.GetRequiredService<IOrganizationRepository>().Add(TestData.NewOrganization());
            await seed.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        }

        using var holder = app.Open();
        SqliteFile.Execute(holder, "BEGIN EXCLUSIVE; DELETE FROM organizations;");
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();

        // Were the reader blocked, it would wait out the command timeout and fail with SQLITE_BUSY.
        var count = await db.Set<Organization>().CountAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(app.Scalar("PRAGMA journal_mode;"), Is.EqualTo("wal"));
            Assert.That(count, Is.EqualTo(1), "the reader sees the last committed state");
        }
    }

    [Test]
    public async Task Open_WhenTheSqliteFolderIsMissingAndTheFileMayNotBeCreated_FailsAsUnavailable()
    {
        var missing = Path.Combine(Temp.Path, "no-such-folder", "webhooks.db");
        await using var services = TestData.BuildServices(Temp.Path, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Webhooks"] = new SqliteConnectionStringBuilder { DataSource = missing, Mode = SqliteOpenMode.ReadWrite }.ToString(),
        });
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();

        var exception = Assert.ThrowsAsync<SqliteException>(() => db.Set<Organization>().AnyAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.SqliteErrorCode, Is.EqualTo(14));
            Assert.That(DatabaseFaults.IsUnavailable(exception), Is.True);
        }
    }

    // An unreachable SQL Server must be answered 503 like any other unavailable database. With the
    // SqlClient in use, a refused connection or an unknown host is a SqlException with Number 0
    // (class 20, "A network-related or instance-specific error..."), not one of the numbers listed.
    [TestCase("refused")]
    [TestCase("unknown host")]
    public async Task IsUnavailable_WhenSqlServerIsUnreachable_IsTrue(string how)
    {
        var server = how == "refused" ? $"tcp:127.0.0.1,{ClosedPort()}" : "tcp:offline.invalid,1433";
        await using var services = TestData.BuildServices(Temp.Path, new Dictionary<string, string?>
        {
            ["Database:Provider"] = "SqlServer",
            ["ConnectionStrings:Webhooks"] = $"Server={server};Database=Webhooks;User Id=nobody;Password=never-used;TrustServerCertificate=true;Connect Timeout=1",
        });
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();

        var exception = Assert.CatchAsync(() => db.Set<Organization>().AnyAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception, Is.InstanceOf<SqlException>().Or.InstanceOf<Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException>());
            Assert.That(DatabaseFaults.IsUnavailable(exception), Is.True, Describe(exception));
        }
    }

    private static SqliteException? SqliteIn(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SqliteException sqlite)
            {
                return sqlite;
            }
        }

        return null;
    }

    private static string Describe(Exception? exception)
    {
        var parts = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            parts.Add(current is SqlException sql ? $"SqlException Number={sql.Number} Class={sql.Class}" : current.GetType().Name);
        }

        return "was classified as not unavailable: " + string.Join(" <- ", parts);
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
