using Microsoft.Extensions.Configuration;

namespace Webhooks.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    Postgres,
}

/// <summary>The values of SQLite's <c>PRAGMA synchronous</c> this service accepts.</summary>
public enum SqliteSynchronous
{
    Normal,
    Full,
}

/// <summary>
/// <c>Database:Provider</c> (<c>Sqlite</c>, the default, <c>SqlServer</c> or <c>Postgres</c>, also spelled
/// <c>PostgreSQL</c>) and
/// <c>ConnectionStrings:Webhooks</c>, with a relative SQLite file made absolute under the content root.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>
    /// <c>Database:SqliteSynchronous</c>: SQLite's <c>PRAGMA synchronous</c>, set on every connection.
    /// <c>NORMAL</c> (the default) or <c>FULL</c>. In WAL mode both keep every acknowledged write
    /// through a killed process; only <c>FULL</c> also keeps the last ones through a power loss or an
    /// operating-system crash, at about half the write rate (docs/decisions/0008-sqlite-write-path.md).
    /// </summary>
    public SqliteSynchronous SqliteSynchronous { get; init; } = SqliteSynchronous.Normal;

    /// <summary>
    /// <c>Database:ReadyWriteTimeoutSeconds</c>: how long <c>/healthz/ready</c> waits for the database
    /// to take a write before it reports the service unhealthy. Default 3; more than 0, at most 60.
    /// </summary>
    public TimeSpan ReadyWriteTimeout { get; init; } = TimeSpan.FromSeconds(DefaultReadyWriteTimeoutSeconds);

    public const int DefaultReadyWriteTimeoutSeconds = 3;

    /// <summary>The default: an embedded database file under <c>data/</c>, relative to the content root.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=data/webhooks.db";

    public static DatabaseSettings From(IConfiguration configuration, string contentRoot)
    {
        var provider = ProviderFrom(configuration["Database:Provider"]);
        var connectionString = configuration.GetConnectionString(PersistenceSetup.ConnectionStringName);
        var readyWriteTimeout = ReadyWriteTimeoutFrom(configuration["Database:ReadyWriteTimeoutSeconds"]);
        if (provider != DatabaseProvider.Sqlite)
        {
            return string.IsNullOrWhiteSpace(connectionString)
                ? throw new InvalidOperationException($"Database:Provider is {provider} but ConnectionStrings:{PersistenceSetup.ConnectionStringName} is not set.")
                : new DatabaseSettings(provider, connectionString) { ReadyWriteTimeout = readyWriteTimeout };
        }

        var synchronousText = configuration["Database:SqliteSynchronous"];
        var synchronous = SqliteSynchronous.Normal;
        if (!string.IsNullOrWhiteSpace(synchronousText)
            && !Enum.GetNames<SqliteSynchronous>().Any(name => string.Equals(name, synchronousText.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"Database:SqliteSynchronous must be Normal or Full, not '{synchronousText}'.");
        }

        if (!string.IsNullOrWhiteSpace(synchronousText))
        {
            synchronous = Enum.Parse<SqliteSynchronous>(synchronousText.Trim(), ignoreCase: true);
        }

        return new DatabaseSettings(provider, PersistenceSetup.ResolveSqliteConnectionString(
            string.IsNullOrWhiteSpace(connectionString) ? DefaultSqliteConnectionString : connectionString, contentRoot))
        {
            SqliteSynchronous = synchronous,
            ReadyWriteTimeout = readyWriteTimeout,
        };
    }

    /// <summary>The provider's name, case-insensitive; <c>PostgreSQL</c> is another name of <see cref="DatabaseProvider.Postgres"/>.</summary>
    private static DatabaseProvider ProviderFrom(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return DatabaseProvider.Sqlite;
        }

        var name = text.Trim();
        if (string.Equals(name, "PostgreSQL", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProvider.Postgres;
        }

        return Enum.GetNames<DatabaseProvider>().Any(known => string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
            ? Enum.Parse<DatabaseProvider>(name, ignoreCase: true)
            : throw new InvalidOperationException($"Database:Provider must be Sqlite, SqlServer or Postgres, not '{text}'.");
    }

    private static TimeSpan ReadyWriteTimeoutFrom(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return TimeSpan.FromSeconds(DefaultReadyWriteTimeoutSeconds);
        }

        return double.TryParse(text.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && seconds > 0 && seconds <= 60
            ? TimeSpan.FromSeconds(seconds)
            : throw new InvalidOperationException($"Database:ReadyWriteTimeoutSeconds must be a number of seconds above 0 and at most 60, not '{text}'.");
    }
}
