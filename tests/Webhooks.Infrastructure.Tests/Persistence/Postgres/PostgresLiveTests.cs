using Npgsql;
using Webhooks.Infrastructure.Persistence.WritePath;

namespace Webhooks.Infrastructure.Tests.Persistence.Postgres;

/// <summary>
/// The readiness probe and the fault mapping against a live PostgreSQL database of their own
/// (docs/decisions/0017-postgresql-provider.md): a read-only database cannot take writes, and a
/// connection the server ends is "unavailable" (503). Runs in the PostgreSQL run of
/// <c>build/test.sh</c> only (category <see cref="TestPostgres.PostgresOnly"/>).
/// </summary>
[TestFixture]
[Category(TestPostgres.PostgresOnly)]
public sealed class PostgresLiveTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private string _database = null!;

    [SetUp]
    public void CreateTheDatabase()
    {
        Assert.That(TestPostgres.Enabled, Is.True, $"these tests need PostgreSQL: set {TestPostgres.Variable} (build/test.sh does)");
        _database = TestPostgres.CreateDatabase();
    }

    [TearDown]
    public void DropTheDatabase()
    {
        if (_database is not null)
        {
            TestPostgres.DropDatabase(_database);
        }
    }

    [Test]
    public async Task CanWrite_IsTrueOnAWritableDatabase_AndFalseOnceTheDatabaseIsReadOnly()
    {
        var writePath = new PostgresWritePath(new DatabaseSettings(DatabaseProvider.Postgres, _database));

        var writable = await writePath.CanWriteAsync(Wait, CancellationToken.None);
        await ExecuteAsync(_database, $"ALTER DATABASE \"{new NpgsqlConnectionStringBuilder(_database).Database}\" SET default_transaction_read_only = on");
        var readOnly = await writePath.CanWriteAsync(Wait, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(writable, Is.True);
            Assert.That(readOnly, Is.False, "a new session of a read-only database");
        });
    }

    [Test]
    public async Task IsUnavailable_WhenTheServerEndsTheConnection_IsTrue()
    {
        await using var victim = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_database) { Pooling = false }.ToString());
        await victim.OpenAsync();
        await ExecuteAsync(_database, $"SELECT pg_terminate_backend({victim.ProcessID})");

        await using var command = new NpgsqlCommand("SELECT 1", victim);
        var ended = Assert.CatchAsync<Exception>(() => command.ExecuteScalarAsync());

        Assert.Multiple(() =>
        {
            Assert.That(ended, Is.InstanceOf<NpgsqlException>(), ended!.ToString());
            Assert.That(DatabaseFaults.IsUnavailable(ended), Is.True, ended.ToString());
        });
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
