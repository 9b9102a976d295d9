using System.Data.Common;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Webhooks.Infrastructure.Deliveries;

namespace Webhooks.Infrastructure.Tests.Persistence.Postgres;

/// <summary>
/// What can be checked about PostgreSQL without a server (docs/decisions/0017-postgresql-provider.md):
/// the claim statement <see cref="PostgresDeliveryClaims"/> sends and its arguments, which Npgsql
/// failures mean "the database cannot serve right now" (503), and the instants as stored. The
/// statements themselves run live in the PostgreSQL run of <c>build/test.sh</c>.
/// </summary>
[TestFixture]
public sealed class PostgresOfflineTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly PostgresDeliveryClaims Claims = new(
        new Infrastructure.Persistence.WritePath.PostgresWritePath(new DatabaseSettings(DatabaseProvider.Postgres, TestData.DummyPostgresConnectionString)));

    [Test]
    public void ClaimSql_LocksTheOldestDueRows_SkipsLockedOnes_AndReturnsThemOldestDueFirst()
    {
        var sql = Claims.ClaimSql("worker-1", Now, Now.AddSeconds(60), 16, []);

        Assert.Multiple(() =>
        {
            Assert.That(sql.Format, Does.StartWith("WITH \"claimed\" AS (UPDATE \"deliveries\" SET \"lease_owner\" = {0}, \"lease_expires_at\" = {1} WHERE \"id\" IN (SELECT \"id\" FROM \"deliveries\" "));
            Assert.That(sql.Format, Does.Contain("WHERE status = 'pending' AND \"next_attempt_at\" <= {2} AND (\"lease_expires_at\" IS NULL OR \"lease_expires_at\" <= {2})"));
            Assert.That(sql.Format, Does.Contain(" ORDER BY \"next_attempt_at\" LIMIT {3} FOR UPDATE SKIP LOCKED) "));
            Assert.That(sql.Format, Does.EndWith("FROM \"claimed\" ORDER BY \"next_attempt_at\""));
            Assert.That(sql.Format, Does.Not.Contain("NOT IN"), "no receiver is busy");
            Assert.That(sql.GetArguments(), Is.EqualTo(new object[] { "worker-1", Now.AddSeconds(60), Now, 16 }));
        });
    }

    [Test]
    public void ClaimSql_SkipsBusyReceivers_ByEndpointAndByClient()
    {
        Guid[] busy = [Guid.CreateVersion7(), Guid.CreateVersion7()];

        var sql = Claims.ClaimSql("worker-1", Now, Now.AddSeconds(60), 3, busy);

        Assert.Multiple(() =>
        {
            Assert.That(sql.Format, Does.Contain(
                "AND (\"endpoint_id\" IS NULL OR \"endpoint_id\" NOT IN ({4}, {5})) AND (\"client_id\" IS NULL OR \"client_id\" NOT IN ({4}, {5})) ORDER BY \"next_attempt_at\" LIMIT {3} FOR UPDATE SKIP LOCKED"));
            Assert.That(sql.GetArguments().Skip(4), Is.EqualTo(busy.Cast<object>()));
        });
    }

    [Test]
    public void ClaimSql_And_ClaimOneSql_PassUtcInstantsCutToTheMicrosecond()
    {
        // Npgsql refuses a DateTimeOffset with an offset for timestamp with time zone.
        var local = new DateTimeOffset(2026, 6, 1, 14, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567);
        var expected = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1234560);

        var claim = Claims.ClaimSql("w", local, local, 1, []).GetArguments();
        var one = Claims.ClaimOneSql("w", Guid.Empty, local, local).GetArguments();

        Assert.Multiple(() =>
        {
            Assert.That(claim.OfType<DateTimeOffset>(), Has.All.Matches<DateTimeOffset>(value => value.Offset == TimeSpan.Zero && value.UtcTicks == expected.UtcTicks));
            Assert.That(one.OfType<DateTimeOffset>(), Has.Exactly(2).Matches<DateTimeOffset>(value => value.Offset == TimeSpan.Zero && value.UtcTicks == expected.UtcTicks));
        });
    }

    [Test]
    public void ClaimOneSql_ClaimsTheRowByIdUnlessALiveLeaseHoldsIt()
    {
        var id = Guid.CreateVersion7();

        var sql = Claims.ClaimOneSql("manual", id, Now, Now.AddSeconds(60));

        Assert.Multiple(() =>
        {
            Assert.That(sql.Format, Is.EqualTo(
                "UPDATE \"deliveries\" SET \"lease_owner\" = {0}, \"lease_expires_at\" = {1} WHERE \"id\" = {2} AND (\"lease_expires_at\" IS NULL OR \"lease_expires_at\" <= {3}) " +
                "RETURNING \"id\" AS \"Id\", \"endpoint_id\" AS \"EndpointId\", \"client_id\" AS \"ClientId\""));
            Assert.That(sql.GetArguments(), Is.EqualTo(new object[] { "manual", Now.AddSeconds(60), id, Now }));
        });
    }

    [TestCase("57P01", true)] // admin_shutdown: the server is stopping or restarting
    [TestCase("57P02", true)] // crash_shutdown
    [TestCase("57P03", true)] // cannot_connect_now: still starting
    [TestCase("08006", true)] // connection_failure
    [TestCase("08001", true)] // sqlclient_unable_to_establish_sqlconnection
    [TestCase("53300", true)] // too_many_connections
    [TestCase("40001", true)] // serialization_failure: transient
    [TestCase("25006", true)] // read_only_sql_transaction: a standby
    [TestCase("23505", false)] // unique_violation
    [TestCase("23503", false)] // foreign_key_violation
    [TestCase("22001", false)] // string_data_right_truncation
    [TestCase("42P01", false)] // undefined_table
    public void IsUnavailable_ForAPostgresError_TellsWhetherTheDatabaseCannotServe(string sqlState, bool expected)
    {
        var error = new PostgresException("message", "FATAL", "FATAL", sqlState);

        Assert.Multiple(() =>
        {
            Assert.That(DatabaseFaults.IsUnavailable(error), Is.EqualTo(expected), "as thrown");
            Assert.That(DatabaseFaults.IsUnavailable(new DbUpdateException("saving", error)), Is.EqualTo(expected), "inside EF Core's save error");
        });
    }

    [Test]
    public async Task IsUnavailable_WhenNoServerListens_IsTrue()
    {
        // Produced for real: a loopback port nobody listens on refuses the connection.
        var port = RefusingPort();
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=nobody;Database=webhooks;Timeout=2;Pooling=false");
        var refused = Assert.ThrowsAsync<NpgsqlException>(() => connection.OpenAsync());

        Assert.That(DatabaseFaults.IsUnavailable(refused), Is.True, refused!.ToString());
    }

    [Test]
    public async Task HealthCheck_WhenNoServerListens_IsUnhealthy_WithoutTheProvidersRetries()
    {
        // The restart run (build/crash/deliveries.py restart) found /healthz/ready going through the provider's
        // retries: a probe asked while the server was down waited for it and answered 200 once it was back.
        var port = RefusingPort();
        var connectionString = $"Host=127.0.0.1;Port={port};Username=nobody;Database=webhooks;Timeout=2";
        var attempts = new CountingConnectionFailures();
        await using var db = new PostgresWebhooksDbContext(new DbContextOptionsBuilder<PostgresWebhooksDbContext>()
            .UseNpgsql(connectionString, PersistenceSetup.PostgresOptions)
            .AddInterceptors(attempts)
            .Options);
        var settings = new DatabaseSettings(DatabaseProvider.Postgres, connectionString);
        var check = new DatabaseHealthCheck(db, new Infrastructure.Persistence.WritePath.PostgresWritePath(settings), settings);

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(result.Description, Is.EqualTo(DatabaseHealthCheck.CannotWrite));
            Assert.That(attempts.Failed, Is.Zero, "no connection through EF Core's retrying execution strategy (it made 4)");
        });
    }

    [Test]
    public void UtcMicrosecondsConverter_StoresUtcCutToTheMicrosecond_AndReadsBackAsStored()
    {
        var converter = new UtcMicrosecondsConverter();
        var local = new DateTimeOffset(2026, 6, 1, 14, 0, 0, TimeSpan.FromHours(2)).AddTicks(9);

        var stored = (DateTimeOffset)converter.ConvertToProvider(local)!;

        Assert.Multiple(() =>
        {
            Assert.That(stored.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(stored.UtcTicks, Is.EqualTo(local.UtcTicks - 9));
            Assert.That(converter.ConvertFromProvider(stored), Is.EqualTo(stored));
        });
    }

    /// <summary>A loopback port nobody listens on (it refuses connections).</summary>
    private static int RefusingPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed class CountingConnectionFailures : DbConnectionInterceptor
    {
        public int Failed { get; private set; }

        public override Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            Failed++;
            return Task.CompletedTask;
        }
    }
}
