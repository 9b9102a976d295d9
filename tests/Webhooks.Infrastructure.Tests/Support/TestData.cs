using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Moq;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Common;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Infrastructure.Tests.Support;

/// <summary>Contexts, service providers and domain objects shared by the persistence tests.</summary>
internal static class TestData
{
    /// <summary>A SQL Server connection string that is never opened: everything built from it is offline.</summary>
    public const string DummySqlServerConnectionString =
        "Server=tcp:offline.invalid,1433;Database=Webhooks;User Id=nobody;Password=never-used;TrustServerCertificate=true;Connect Timeout=1";

    /// <summary>A PostgreSQL connection string that is never opened (a reserved name that never resolves).</summary>
    public const string DummyPostgresConnectionString = "Host=offline.invalid;Port=5432;Database=webhooks;Username=nobody;Password=never-used;Timeout=1";

    public static WebhookCatalog Catalog { get; } = new(WebhookCatalogOptions.DefaultEventTypes, [WebhookCatalogOptions.DefaultApiVersion]);

    public static SqliteWebhooksDbContext NewSqliteContext(string databaseFile) =>
        new(new DbContextOptionsBuilder<SqliteWebhooksDbContext>()
            .UseSqlite(new SqliteConnectionStringBuilder { DataSource = databaseFile }.ToString(), PersistenceSetup.SqliteOptions)
            .Options);

    /// <summary>A migrator outside a container; its data steps protect secrets with a throwaway key.</summary>
    public static DatabaseMigrator Migrator(WebhooksDbContext db, Infrastructure.Persistence.WritePath.IDatabaseWritePath writePath) =>
        new(db, writePath, new Infrastructure.Security.DataProtectionSecretProtector(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider()));

    public static SqlServerWebhooksDbContext NewSqlServerContext(string connectionString = DummySqlServerConnectionString) =>
        new(new DbContextOptionsBuilder<SqlServerWebhooksDbContext>()
            .UseSqlServer(connectionString, PersistenceSetup.SqlServerOptions)
            .Options);

    public static PostgresWebhooksDbContext NewPostgresContext(string connectionString = DummyPostgresConnectionString) =>
        new(new DbContextOptionsBuilder<PostgresWebhooksDbContext>()
            .UseNpgsql(connectionString, PersistenceSetup.PostgresOptions)
            .Options);

    /// <summary>
    /// The application's own registrations (<see cref="DependencyInjection.AddInfrastructure"/>) over
    /// the given configuration, with the content root at <paramref name="contentRoot"/>.
    /// </summary>
    public static ServiceProvider BuildServices(string contentRoot, IDictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var environment = new Mock<IHostEnvironment>();
        environment.SetupGet(e => e.ContentRootPath).Returns(contentRoot);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(environment.Object);
        services.AddInfrastructure();
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    public static Organization NewOrganization(string name = "Acme") =>
        Organization.Create(Guid.CreateVersion7(), name, At(2026, 1, 2, 3, 4, 5));

    /// <summary>The protected signing secret the test endpoints carry (the repository stores it as given).</summary>
    public const string ProtectedSecret = "CfDJ8-protected-signing-secret-of-the-test-endpoints";

    public static WebhookEndpoint NewEndpoint(Guid orgId, string? description = "Billing alerts", params string[] events) =>
        NewEndpoint(Guid.CreateVersion7(), orgId, description, events);

    public static WebhookEndpoint NewEndpoint(Guid id, Guid orgId, string? description = "Billing alerts", params string[] events) =>
        WebhookEndpoint.Create(
            id,
            orgId,
            HttpsUrl.Create("https://hooks.example.com/billing?x=1").Value!,
            Description.Create(description).Value,
            EventTypeSet.Create(events.Length > 0 ? events : ["subscription.canceled", "wallet.balance_low", "wallet.balance_zero"], Catalog).Value!,
            active: false,
            WebhookCatalogOptions.DefaultApiVersion,
            ProtectedSecret,
            At(2026, 3, 4, 5, 6, 7));

    /// <summary>An endpoint that receives deliveries (active), subscribed to <paramref name="events"/> (all three by default).</summary>
    public static WebhookEndpoint NewActiveEndpoint(Guid orgId, params string[] events)
    {
        var endpoint = NewEndpoint(orgId, "Billing alerts", events);
        endpoint.Patch(Activate, At(2026, 3, 4, 5, 6, 7));
        return endpoint;
    }

    /// <summary>A device-API client, with a webhook URL unless told otherwise.</summary>
    public static Client NewClient(string? webhookUrl = "https://device.example.com/hook")
    {
        var client = Client.Register(Guid.CreateVersion7(), "customer-" + Guid.NewGuid().ToString("N"), Hash('c'), "CfDJ8-protected-client-webhook-secret", At(2026, 2, 3, 4, 5, 6));
        client.SetWebhookUrl(webhookUrl is null ? null : HttpsUrl.Create(webhookUrl).Value, At(2026, 2, 3, 4, 5, 6));
        client.ClearDomainEvents();
        return client;
    }

    /// <summary>An event's <c>data</c> as it was published.</summary>
    public static EventData Data(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return EventData.From(document.RootElement).Value!;
    }

    /// <summary>An organization's <c>wallet.balance_low</c> event.</summary>
    public static Event OrganizationEvent(Guid orgId, DateTimeOffset createdAt, string data = """{"wallet_id":"w_1"}""") =>
        Event.ForOrganization(Guid.CreateVersion7(), orgId, "wallet.balance_low", Data(data), createdAt);

    /// <summary>A patch that turns delivery on.</summary>
    public static WebhookEndpointChanges Activate { get; } = new(Active: true);

    /// <summary>A patch that clears the label.</summary>
    public static WebhookEndpointChanges ClearDescription { get; } = new(Description: Optional<Description?>.Of(null));

    public static ApiKey NewApiKey(Guid orgId, string keyHash, params string[] scopes) =>
        ApiKey.Issue(Guid.CreateVersion7(), orgId, "ci key", scopes.Length > 0 ? scopes : [Scopes.WebhooksRead], keyHash, At(2026, 5, 6, 7, 8, 9));

    /// <summary>A whole-second instant, as the application's clock gives them.</summary>
    public static DateTimeOffset At(int year, int month, int day, int hour, int minute, int second) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    public static string Hash(char c) => new(c, 64);
}

/// <summary>A folder under the system temp folder, removed (with any SQLite pools cleared) on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "webhooks-infra-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test.
        }
    }
}

/// <summary>The base of test classes that need a fresh <see cref="TempFolder"/> per test.</summary>
public abstract class TempFolderTests
{
    protected TempFolder Temp { get; private set; } = null!;

    [SetUp]
    public void CreateTheTempFolder() => Temp = new TempFolder();

    [TearDown]
    public void RemoveTheTempFolder() => Temp.Dispose();
}
