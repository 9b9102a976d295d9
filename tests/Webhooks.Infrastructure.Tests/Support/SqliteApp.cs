using Microsoft.EntityFrameworkCore.Diagnostics;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Organizations;
using Webhooks.Application.Webhooks;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Infrastructure.Tests.Support;

/// <summary>
/// The one fixture for "the application's registrations on a real database": a temporary content
/// root, the default database file <c>data/webhooks.db</c> under it, units of work each in their own
/// scope (as a command runs), and raw connections that look at the file from outside. When
/// <c>WEBHOOKS_TEST_POSTGRES</c> is set (<see cref="TestPostgres"/>), the database is a fresh
/// PostgreSQL database instead, dropped on dispose; the raw SQLite connections
/// (<see cref="Open"/>, <see cref="Scalar"/>, <see cref="Rows"/>) are then for SQLite-only tests.
/// </summary>
public sealed class SqliteApp : IAsyncDisposable
{
    private readonly IDictionary<string, string?> _database;

    private SqliteApp(TempFolder temp, IDictionary<string, string?> settings, IInterceptor[] interceptors, Action<IServiceCollection>? configure)
    {
        Temp = temp;
        PostgresConnectionString = TestPostgres.Enabled ? TestPostgres.CreateDatabase() : null;
        _database = PostgresConnectionString is null
            ? new Dictionary<string, string?>()
            : new Dictionary<string, string?> { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Webhooks"] = PostgresConnectionString };
        Services = Build(temp.Path, WithDatabase(settings), interceptors, configure);
    }

    /// <summary>The PostgreSQL database this application runs on, or <c>null</c> on SQLite.</summary>
    public string? PostgresConnectionString { get; }

    public TempFolder Temp { get; }

    public ServiceProvider Services { get; }

    public string DatabaseFile => Path.Combine(Temp.Path, "data", "webhooks.db");

    /// <summary>
    /// The application on a fresh temporary content root; migrated unless told otherwise.
    /// <paramref name="configure"/> adds registrations after the application's own (a fixed clock).
    /// </summary>
    public static async Task<SqliteApp> StartAsync(
        bool migrate = true,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null,
        params IInterceptor[] interceptors)
    {
        var app = new SqliteApp(new TempFolder(), settings ?? new Dictionary<string, string?>(), interceptors, configure);
        if (migrate)
        {
            await app.MigrateAsync();
        }

        return app;
    }

    /// <summary>
    /// Another application on this file and content root (its keys too), with a write path of its
    /// own: it meets this one in SQLite's busy handler, as another process would.
    /// </summary>
    public ServiceProvider AnotherProcess(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null, params IInterceptor[] interceptors) =>
        Build(Temp.Path, WithDatabase(settings ?? new Dictionary<string, string?>()), interceptors, configure);

    public async Task MigrateAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
    }

    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public Task SaveAsync(Action<IServiceProvider> change) => SaveAsync(sp =>
    {
        change(sp);
        return Task.CompletedTask;
    });

    /// <summary>One unit of work in its own scope (its own context), as a command runs.</summary>
    public async Task SaveAsync(Func<IServiceProvider, Task> change)
    {
        await using var scope = Services.CreateAsyncScope();
        await change(scope.ServiceProvider);
        await scope.ServiceProvider.UnitOfWork().SaveChangesAsync(CancellationToken.None);
    }

    public async Task<Guid> SaveOrganizationAsync(string name = "Acme")
    {
        var organization = TestData.NewOrganization(name);
        await SaveAsync(sp => sp.GetRequiredService<IOrganizationRepository>().Add(organization));
        return organization.Id;
    }

    public async Task<WebhookEndpoint?> LoadAsync(Guid id, Guid orgId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.Endpoints().GetAsync(id, orgId, CancellationToken.None);
    }

    /// <summary>Deletes (softly) the endpoint in a unit of work of its own.</summary>
    public Task DeleteAsync(Guid orgId, Guid id) => SaveAsync(async sp =>
    {
        var tracked = await sp.Endpoints().GetAsync(id, orgId, CancellationToken.None);
        tracked!.Delete(TestData.At(2026, 9, 9, 9, 9, 9));
    });

    /// <summary>The first column of the first row, read over a connection of its own (SQLite's or PostgreSQL's).</summary>
    public object? Scalar(string sql)
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Every row of a query, each as its column values (<see cref="DBNull"/> for NULL), read over a connection of its own (SQLite's or PostgreSQL's).</summary>
    public List<object[]> Rows(string sql)
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>A connection of its own to the existing file, as another process would open it.</summary>
    public SqliteConnection Open() => SqliteFile.Open(DatabaseFile, mode: SqliteOpenMode.ReadWrite);

    /// <summary>A connection of its own to the database, whichever provider it is on.</summary>
    public System.Data.Common.DbConnection OpenDatabase()
    {
        if (PostgresConnectionString is null)
        {
            return Open();
        }

        var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(PostgresConnectionString) { Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (PostgresConnectionString is not null)
        {
            TestPostgres.DropDatabase(PostgresConnectionString);
        }

        Temp.Dispose();
    }

    /// <summary>The test's settings over the database's (a test that names its own provider keeps it).</summary>
    private Dictionary<string, string?> WithDatabase(IDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>(_database);
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return all;
    }

    private ServiceProvider Build(string contentRoot, IDictionary<string, string?> settings, IInterceptor[] interceptors, Action<IServiceCollection>? configure)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(contentRoot, "data", "webhooks.db") }.ToString();
        return TestData.BuildServices(contentRoot, settings, services =>
        {
            if (interceptors.Length > 0 && PostgresConnectionString is { } postgres)
            {
                services.AddSingleton(_ => new DbContextOptionsBuilder<PostgresWebhooksDbContext>()
                    .UseNpgsql(postgres, PersistenceSetup.PostgresOptions)
                    .AddInterceptors(interceptors)
                    .Options);
            }
            else if (interceptors.Length > 0)
            {
                // Pooled contexts take their options once, from a singleton (docs/decisions/0008-sqlite-write-path.md).
                services.AddSingleton(_ => new DbContextOptionsBuilder<SqliteWebhooksDbContext>()
                    .UseSqlite(connectionString, PersistenceSetup.SqliteOptions)
                    .AddInterceptors(interceptors)
                    .Options);
            }

            configure?.Invoke(services);
        });
    }
}

/// <summary>Raw SQLite connections and statements, outside the application.</summary>
public static class SqliteFile
{
    public static SqliteConnection Open(string file, int defaultTimeout = 30, SqliteOpenMode mode = SqliteOpenMode.ReadWriteCreate)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = defaultTimeout,
        }.ToString());
        connection.Open();
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>The application's ports, resolved from a scope by their short names.</summary>
public static class Ports
{
    public static IWebhookEndpointRepository Endpoints(this IServiceProvider services) => services.GetRequiredService<IWebhookEndpointRepository>();

    public static IIdempotencyStore Idempotency(this IServiceProvider services) => services.GetRequiredService<IIdempotencyStore>();

    public static IUnitOfWork UnitOfWork(this IServiceProvider services) => services.GetRequiredService<IUnitOfWork>();
}

/// <summary>
/// The base of every test class that runs on <see cref="SqliteApp"/>: a fresh application per test,
/// migrated, with an organization (<see cref="OrgId"/>) unless <see cref="Migrate"/> is false.
/// </summary>
public abstract class SqliteAppTests
{
    protected SqliteApp App { get; private set; } = null!;

    protected Guid OrgId { get; private set; }

    protected virtual bool Migrate => true;

    [SetUp]
    public async Task StartTheAppAsync()
    {
        App = await SqliteApp.StartAsync(Migrate, configure: Configure, interceptors: Interceptors());
        OrgId = Migrate ? await App.SaveOrganizationAsync("Owner") : Guid.Empty;
    }

    [TearDown]
    public Task StopTheAppAsync() => App.DisposeAsync().AsTask();

    /// <summary>Interceptors to add to the SQLite context's options (none by default).</summary>
    protected virtual IInterceptor[] Interceptors() => [];

    /// <summary>Registrations to add after the application's own (none by default).</summary>
    protected virtual void Configure(IServiceCollection services)
    {
    }
}
