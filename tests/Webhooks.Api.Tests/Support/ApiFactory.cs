using System.Net.Http.Headers;
using MediatR;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api.Authentication;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Organizations.CreateApiKey;
using Webhooks.Application.Organizations.CreateOrganization;
using Webhooks.Application.Organizations.RevokeApiKey;

namespace Webhooks.Api.Tests.Support;

/// <summary>An organization made for a test, with one API key.</summary>
public sealed record TestOrganization(Guid OrgId, Guid KeyId, string Key);

/// <summary>
/// The real service, through its real HTTP pipeline, on a real SQLite file of its own (created and
/// migrated at start like in production) or, when <c>WEBHOOKS_TEST_POSTGRES</c> is set, on a fresh
/// PostgreSQL database of its own (<see cref="TestPostgres"/>; migrated by the service), in the "Testing" environment (no demo seed), with a
/// Data Protection key ring of its own in a temporary directory (<see cref="KeysPath"/>; pass
/// <c>["DataProtection:KeysPath"] = null</c> in the settings for the service's default).
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public ApiFactory(IDictionary<string, string?>? settings = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "webhooks-api-tests");
        Directory.CreateDirectory(folder);
        var name = Guid.NewGuid().ToString("N");
        DatabasePath = Path.Combine(folder, $"{name}.db");
        KeysPath = Path.Combine(folder, $"{name}-keys");
        ListenPath = Path.Combine(folder, $"{name}-listen");
        PostgresConnectionString = TestPostgres.Enabled ? TestPostgres.CreateDatabase() : null;
        _settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Database:Provider"] = TestPostgres.Enabled ? "Postgres" : "Sqlite",

            // Suites send hundreds of requests with one key in a second: the limiter stays on, as in
            // production, with a bucket they cannot empty; the limiter's own tests set small ones.
            ["RateLimiting:PermitsPerSecond"] = "1000000",
            ["RateLimiting:Burst"] = "1000000",

            // Revocation and suspension take effect at once; the credential cache has tests of its own.
            ["Authentication:CacheSeconds"] = "0",

            // Suites about the API see their deliveries stay pending; delivery suites turn the worker on.
            ["Delivery:Worker:Enabled"] = "false",
            ["ConnectionStrings:Webhooks"] = PostgresConnectionString ?? $"Data Source={DatabasePath}",
            ["DataProtection:KeysPath"] = KeysPath,

            // Never the developer's own data/listen (the Development seed writes the demo secret there).
            ["Delivery:ListenCaPath"] = Path.Combine(ListenPath, "ca.pem"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        // A test that names its own database names a SQLite file (SharedDatabaseFile, AdminProcess).
        if (settings?.ContainsKey("ConnectionStrings:Webhooks") == true && !settings.ContainsKey("Database:Provider"))
        {
            _settings["Database:Provider"] = "Sqlite";
        }
    }

    /// <summary>The SQLite file the service uses (when it runs on SQLite).</summary>
    public string DatabasePath { get; }

    /// <summary>The database the service uses when it runs on PostgreSQL (dropped on dispose), else <c>null</c>.</summary>
    public string? PostgresConnectionString { get; }

    /// <summary>The temporary directory given as <c>DataProtection:KeysPath</c> (unless the settings replaced it).</summary>
    public string KeysPath { get; }

    /// <summary>The temporary directory of <c>Delivery:ListenCaPath</c> (where the Development seed writes the demo secret).</summary>
    public string ListenPath { get; }

    /// <summary>Replaces services after the service registered its own (e.g. a controllable <see cref="TimeProvider"/>).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    public string EnvironmentName { get; init; } = "Testing";

    /// <summary>Creates an organization and a key with these scopes, through the admin use cases.</summary>
    public async Task<TestOrganization> CreateOrganizationAsync(params string[] scopes)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ProcessCaller>().ActAs(Caller.Operator);
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var org = await mediator.Send(new CreateOrganizationCommand("Test organization"));
        var key = await mediator.Send(new CreateApiKeyCommand(org.Id, scopes.Length == 0 ? ["webhooks:read", "webhooks:write"] : scopes));
        return new TestOrganization(org.Id, key.Id, key.Key);
    }

    /// <summary>Issues another key of an existing organization.</summary>
    public async Task<string> CreateKeyAsync(Guid orgId, params string[] scopes)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ProcessCaller>().ActAs(Caller.Operator);
        var key = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new CreateApiKeyCommand(orgId, scopes));
        return key.Key;
    }

    public async Task RevokeKeyAsync(Guid keyId)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ProcessCaller>().ActAs(Caller.Operator);
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RevokeApiKeyCommand(keyId));
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a context of the service's own database (SQLite or PostgreSQL),
    /// in a scope of its own: a read or a write from outside the request pipeline, on either provider.
    /// </summary>
    public async Task<T> InDatabaseAsync<T>(Func<Infrastructure.Persistence.WebhooksDbContext, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<Infrastructure.Persistence.WebhooksDbContext>());
    }

    /// <summary>A client that sends <c>Authorization: Bearer key</c> (none when <paramref name="key"/> is null).</summary>
    public HttpClient CreateClient(string? key)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        if (TestServices is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (PostgresConnectionString is not null)
        {
            TestPostgres.DropDatabase(PostgresConnectionString);
        }

        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(DatabasePath + suffix);
        }

        foreach (var directory in new[] { KeysPath, ListenPath }.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
