using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Webhooks.Infrastructure.Persistence;

public static class PersistenceSetup
{
    public const string ConnectionStringName = "Webhooks";

    private const string HistoryTable = "__ef_migrations_history";

    /// <summary>
    /// How long a SQLite command waits for a lock before it fails (and the request with 503):
    /// short, so that a locked database fails fast instead of queueing requests. The wait itself is
    /// SQLite's busy handler (<c>PRAGMA busy_timeout</c> of the same length).
    /// </summary>
    public const int SqliteCommandTimeoutSeconds = 5;

    /// <summary>How many idle contexts each pool keeps (more concurrent requests get new ones).</summary>
    public const int ContextPoolSize = 128;

    public static void SqliteOptions(SqliteDbContextOptionsBuilder options) =>
        options.MigrationsHistoryTable(HistoryTable).MigrationsAssembly(typeof(PersistenceSetup).Assembly.GetName().Name)
            .CommandTimeout(SqliteCommandTimeoutSeconds);

    /// <summary>SQL Server gets the provider's retries on transient faults (a failover, a dropped connection, throttling).</summary>
    public static void SqlServerOptions(SqlServerDbContextOptionsBuilder options) =>
        options.MigrationsHistoryTable(HistoryTable).MigrationsAssembly(typeof(PersistenceSetup).Assembly.GetName().Name)
            .EnableRetryOnFailure(maxRetryCount: 3, maxRetryDelay: TimeSpan.FromSeconds(2), errorNumbersToAdd: null);

    /// <summary>PostgreSQL, likewise: the provider's retries on transient faults (a restart, a dropped connection, too many connections).</summary>
    public static void PostgresOptions(Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.NpgsqlDbContextOptionsBuilder options) =>
        options.MigrationsHistoryTable(HistoryTable).MigrationsAssembly(typeof(PersistenceSetup).Assembly.GetName().Name)
            .EnableRetryOnFailure(maxRetryCount: 3, maxRetryDelay: TimeSpan.FromSeconds(2), errorCodesToAdd: null);

    /// <summary>
    /// Registers the providers' contexts and resolves <see cref="WebhooksDbContext"/> (the unit of
    /// work) to the configured one. Settings are read when first needed, from the container's
    /// configuration, so that every configuration source (tests included) is seen.
    /// </summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services)
    {
        services.AddSingleton(provider => DatabaseSettings.From(
            provider.GetRequiredService<IConfiguration>(),
            provider.GetRequiredService<IHostEnvironment>().ContentRootPath));
        services.AddSingleton(provider => SqliteInterceptors(provider.GetRequiredService<DatabaseSettings>()));

        // Pooled contexts: a request leases a context whose options and internal services are already
        // built (measured: a few percent of a GET's CPU time without the pool).
        services.AddDbContextPool<SqliteWebhooksDbContext>((provider, builder) =>
            builder.UseSqlite(provider.GetRequiredService<DatabaseSettings>().ConnectionString, SqliteOptions)
                .AddInterceptors(provider.GetRequiredService<Sqlite.SqliteInterceptorSet>().All), ContextPoolSize);
        services.AddDbContextPool<SqlServerWebhooksDbContext>((provider, builder) =>
            builder.UseSqlServer(provider.GetRequiredService<DatabaseSettings>().ConnectionString, SqlServerOptions), ContextPoolSize);
        services.AddDbContextPool<PostgresWebhooksDbContext>((provider, builder) =>
            builder.UseNpgsql(provider.GetRequiredService<DatabaseSettings>().ConnectionString, PostgresOptions), ContextPoolSize);
        services.AddScoped<WebhooksDbContext>(provider => provider.GetRequiredService<DatabaseSettings>().Provider switch
        {
            DatabaseProvider.SqlServer => provider.GetRequiredService<SqlServerWebhooksDbContext>(),
            DatabaseProvider.Postgres => provider.GetRequiredService<PostgresWebhooksDbContext>(),
            _ => provider.GetRequiredService<SqliteWebhooksDbContext>(),
        });
        services.AddSingleton<WritePath.IDatabaseWritePath>(provider =>
        {
            var settings = provider.GetRequiredService<DatabaseSettings>();
            return settings.Provider switch
            {
                DatabaseProvider.SqlServer => new WritePath.SqlServerWritePath(settings),
                DatabaseProvider.Postgres => new WritePath.PostgresWritePath(settings),
                _ => new Sqlite.SqliteWritePath(settings),
            };
        });
        services.AddScoped<Application.Common.Ports.IUnitOfWork, WritePath.UnitOfWork>();
        services.AddSingleton<WritePath.DomainEventEffects>();
        services.AddSingleton<WritePath.EndpointHistoryRows>();
        services.AddScoped<DatabaseMigrator>();
        return services;
    }

    /// <summary>What every SQLite connection and transaction gets (see docs/decisions/0008-sqlite-write-path.md).</summary>
    public static Sqlite.SqliteInterceptorSet SqliteInterceptors(DatabaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new Sqlite.SqliteInterceptorSet(
        [
            new Sqlite.SqliteConnectionSetupInterceptor(settings.SqliteSynchronous),
            new Sqlite.SqliteImmediateTransactionInterceptor(),
        ]);
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
