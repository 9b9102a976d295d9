namespace Webhooks.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>Configuration section <c>Database</c>, plus <c>ConnectionStrings:Webhooks</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>The default: an embedded database file under <c>data/</c>, relative to the content root.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=data/webhooks.db";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}
