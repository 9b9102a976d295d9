using Microsoft.Extensions.Configuration;

namespace Webhooks.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>
/// <c>Database:Provider</c> (<c>Sqlite</c>, the default, or <c>SqlServer</c>) and
/// <c>ConnectionStrings:Webhooks</c>, with a relative SQLite file made absolute under the content root.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>The default: an embedded database file under <c>data/</c>, relative to the content root.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=data/webhooks.db";

    public static DatabaseSettings From(IConfiguration configuration, string contentRoot)
    {
        var providerText = configuration["Database:Provider"];
        var provider = DatabaseProvider.Sqlite;
        if (!string.IsNullOrWhiteSpace(providerText)
            && !Enum.GetNames<DatabaseProvider>().Any(name => string.Equals(name, providerText.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"Database:Provider must be Sqlite or SqlServer, not '{providerText}'.");
        }

        if (!string.IsNullOrWhiteSpace(providerText))
        {
            provider = Enum.Parse<DatabaseProvider>(providerText.Trim(), ignoreCase: true);
        }

        var connectionString = configuration.GetConnectionString(PersistenceSetup.ConnectionStringName);
        if (provider == DatabaseProvider.SqlServer)
        {
            return string.IsNullOrWhiteSpace(connectionString)
                ? throw new InvalidOperationException($"Database:Provider is SqlServer but ConnectionStrings:{PersistenceSetup.ConnectionStringName} is not set.")
                : new DatabaseSettings(provider, connectionString);
        }

        return new DatabaseSettings(provider, PersistenceSetup.ResolveSqliteConnectionString(
            string.IsNullOrWhiteSpace(connectionString) ? DefaultSqliteConnectionString : connectionString, contentRoot));
    }
}
