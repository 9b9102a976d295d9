using Npgsql;

namespace Webhooks.Testing;

/// <summary>
/// The tests' PostgreSQL (docs/decisions/0017-postgresql-provider.md): when
/// <c>WEBHOOKS_TEST_POSTGRES</c> holds a base connection string (<c>build/test.sh</c> starts a
/// throwaway cluster and sets it), the suites that honour it run on a fresh PostgreSQL database per
/// test application instead of a SQLite file. Tests that only make sense on SQLite carry
/// <c>[Category(TestPostgres.SqliteOnly)]</c> and are filtered out of that run.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "WEBHOOKS_TEST_POSTGRES";

    /// <summary>The category of tests that run on SQLite only: <c>--filter TestCategory!=SqliteOnly</c> leaves them out.</summary>
    public const string SqliteOnly = "SqliteOnly";

    /// <summary>
    /// The category of tests about PostgreSQL itself (row locks, <c>SKIP LOCKED</c>): they run in the
    /// PostgreSQL run only, and fail, rather than skip, without <c>WEBHOOKS_TEST_POSTGRES</c>.
    /// </summary>
    public const string PostgresOnly = "PostgresOnly";

    /// <summary>The base connection string, or <c>null</c>: the suites run on SQLite.</summary>
    public static string? BaseConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static bool Enabled => BaseConnectionString is not null;

    /// <summary>Creates an empty database <c>test_&lt;guid&gt;</c> and returns its connection string.</summary>
    public static string CreateDatabase()
    {
        var baseConnectionString = BaseConnectionString
            ?? throw new InvalidOperationException($"{Variable} is not set: there is no PostgreSQL to create a database on.");
        var name = "test_" + Guid.NewGuid().ToString("N");
        using (var connection = new NpgsqlConnection(Maintenance(baseConnectionString)))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            command.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(baseConnectionString) { Database = name }.ToString();
    }

    /// <summary>Drops the database of <paramref name="connectionString"/>, closing whatever connections still use it.</summary>
    public static void DropDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        using var connection = new NpgsqlConnection(Maintenance(connectionString));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{builder.Database}\" WITH (FORCE)";
        command.ExecuteNonQuery();
    }

    /// <summary>A connection to the server's <c>postgres</c> database, outside any pool.</summary>
    private static string Maintenance(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ToString();
}
