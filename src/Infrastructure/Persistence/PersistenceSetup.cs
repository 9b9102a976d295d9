using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Infrastructure.Persistence;

public static class PersistenceSetup
{
    public const string ConnectionStringName = "Webhooks";

    private const string HistoryTable = "__ef_migrations_history";

    public static void SqliteOptions(SqliteDbContextOptionsBuilder options) =>
        options.MigrationsHistoryTable(HistoryTable).MigrationsAssembly(typeof(PersistenceSetup).Assembly.GetName().Name);

    public static void SqlServerOptions(SqlServerDbContextOptionsBuilder options) =>
        options.MigrationsHistoryTable(HistoryTable).MigrationsAssembly(typeof(PersistenceSetup).Assembly.GetName().Name);

    /// <summary>
    /// Registers the context of the configured provider as <see cref="WebhooksDbContext"/> (the
    /// unit of work). A relative SQLite file path is resolved against <paramref name="contentRoot"/>.
    /// </summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = ResolveSqliteConnectionString(connectionString ?? DatabaseOptions.DefaultSqliteConnectionString, contentRoot);
                services.AddDbContext<SqliteWebhooksDbContext>(builder => builder.UseSqlite(sqlite, SqliteOptions));
                services.AddScoped<WebhooksDbContext>(provider => provider.GetRequiredService<SqliteWebhooksDbContext>());
                break;
            case DatabaseProvider.SqlServer:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException($"Database:Provider is SqlServer but ConnectionStrings:{ConnectionStringName} is not set.");
                }

                services.AddDbContext<SqlServerWebhooksDbContext>(builder => builder.UseSqlServer(connectionString, SqlServerOptions));
                services.AddScoped<WebhooksDbContext>(provider => provider.GetRequiredService<SqlServerWebhooksDbContext>());
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{options.Provider}'.");
        }

        services.AddSingleton(options);
        services.AddScoped<Application.Common.Ports.IUnitOfWork>(provider => provider.GetRequiredService<WebhooksDbContext>());
        services.AddScoped<DatabaseMigrator>();
        return services;
    }

    /// <summary>Makes a relative <c>Data Source</c> absolute under the content root.</summary>
    public static string ResolveSqliteConnectionString(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        }

        return builder.ToString();
    }
}
