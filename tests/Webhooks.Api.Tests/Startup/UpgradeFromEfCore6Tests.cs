using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api.Tests.Admin;
using Webhooks.Api.Tests.Clients;
using Webhooks.Application.Common.Ports;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Api.Tests.Startup;

/// <summary>
/// A database and key ring made by the release before EF Core 10 (EF Core 6.0.7, commit 53e2426;
/// <c>Fixtures/UpgradeFromEfCore6</c>, whose README says how) are upgraded in place, by the service
/// on start and by the <c>migrate</c> command, and everything in them keeps working: every row is
/// unchanged, the old API key and client secret authenticate, the endpoint's signing secret decrypts
/// to what the old build printed, and the idempotency record replays the first response.
/// </summary>
[TestFixture]
[Category(TestPostgres.SqliteOnly)]
public sealed class UpgradeFromEfCore6Tests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "UpgradeFromEfCore6");
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private OldRelease _old = null!;

    [OneTimeSetUp]
    public void LoadWhatTheOldBuildPrinted()
    {
        _old = JsonSerializer.Deserialize<OldRelease>(
            File.ReadAllText(Path.Combine(Fixture, "made-by-the-old-build.json")),
            SnakeCase)!;
    }

    [Test]
    public async Task Start_UpgradesTheOldDatabaseInPlace_AndEverythingInItStillWorks()
    {
        using var factory = NewFactory();
        CopyDatabase(factory.DatabasePath);
        var before = Rows(factory.DatabasePath);

        using var http = factory.CreateClient(_old.ApiKey);

        AssertUpgradedInPlace(before, Rows(factory.DatabasePath));
        AssertNoMigrationPending(factory);
        await AssertEverythingWorksAsync(factory, http);
    }

    [Test]
    public async Task MigrateCommand_UpgradesTheOldDatabaseInPlace_AndTheServiceThenServesIt()
    {
        using var admin = new AdminProcess();
        CopyDatabase(admin.DatabasePath);
        var before = Rows(admin.DatabasePath);

        var migrated = (await admin.RunAsync("migrate")).SingleJsonObject();

        Assert.Multiple(() =>
        {
            Assert.That(migrated.GetProperty("migrated").GetBoolean(), Is.True);
            Assert.That(migrated.GetProperty("provider").GetString(), Is.EqualTo("Sqlite"));
        });
        AssertUpgradedInPlace(before, Rows(admin.DatabasePath));
        using var factory = NewFactory(admin.ConnectionString);
        using var http = factory.CreateClient(_old.ApiKey);
        AssertNoMigrationPending(factory);
        await AssertEverythingWorksAsync(factory, http);
    }

    /// <summary>
    /// The service on the old key ring, with the clock shortly after the old build made the rows
    /// (idempotency records are replayed for 24 hours only), on the given database or the factory's own.
    /// </summary>
    private ApiFactory NewFactory(string? connectionString = null)
    {
        var time = new ControllableTimeProvider(DateTimeOffset.Parse(_old.CreateResponse.Body["created_at"]!.GetValue<string>(), CultureInfo.InvariantCulture).AddMinutes(1));
        var settings = connectionString is null ? null : new Dictionary<string, string?> { ["ConnectionStrings:Webhooks"] = connectionString };
        var factory = new ApiFactory(settings) { TestServices = services => services.AddSingleton<TimeProvider>(time) };
        Directory.CreateDirectory(factory.KeysPath);
        foreach (var key in Directory.GetFiles(Path.Combine(Fixture, "keys")))
        {
            File.Copy(key, Path.Combine(factory.KeysPath, Path.GetFileName(key)));
        }

        return factory;
    }

    private async Task AssertEverythingWorksAsync(ApiFactory factory, HttpClient http)
    {
        var endpointId = _old.CreateResponse.Body["id"]!.GetValue<string>();
        var withoutSecret = _old.CreateResponse.Body.DeepClone().AsObject();
        withoutSecret.Remove("secret");

        // The old API key authenticates, and the endpoint reads back as the old build created it.
        using var get = await http.GetAsync(new Uri(_old.CreateResponse.Location, UriKind.Relative));
        var read = await get.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK), read);
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(read), withoutSecret), Is.True, read);
            Assert.That(get.Headers.ETag?.Tag, Is.EqualTo(_old.CreateResponse.Etag));
        });

        // The idempotency record (a response encrypted with the old key ring) replays the first response.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks") { Content = Json.Body(_old.CreateRequestBody) };
        request.Headers.Add("Idempotency-Key", _old.IdempotencyKey);
        using var replay = await http.SendAsync(request);
        var replayed = await replay.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Created), replayed);
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(replayed), _old.CreateResponse.Body), Is.True, replayed);
            Assert.That(replay.Headers.Location?.OriginalString, Is.EqualTo(_old.CreateResponse.Location));
            Assert.That(replay.Headers.ETag?.Tag, Is.EqualTo(_old.CreateResponse.Etag));
        });
        using var list = await http.GetAsync(new Uri("/v1/webhooks", UriKind.Relative));
        var ids = (await Json.ReadAsync(list)).GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString());
        Assert.That(ids, Is.EqualTo(new[] { endpointId }), "the replay created nothing");

        // The endpoint's stored signing secret decrypts, with the old key ring, to what the old build printed.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Database
                .SqlQuery<string>($"SELECT signing_secret AS Value FROM webhook_endpoints WHERE lower(id) = {endpointId}")
                .SingleAsync();
            Assert.That(
                scope.ServiceProvider.GetRequiredService<ISecretProtector>().Unprotect(stored),
                Is.EqualTo(_old.CreateResponse.Body["secret"]!.GetValue<string>()));
        }

        // The old client secret authenticates, and the client's webhook URL is the one it set.
        using var anonymous = factory.CreateClient(key: null);
        using var client = await ClientsApi.SendAsync(anonymous, HttpMethod.Get, ClientsApi.Basic(_old.ClientId, _old.ClientSecret));
        Assert.That(client.StatusCode, Is.EqualTo(HttpStatusCode.OK), await client.Content.ReadAsStringAsync());
        var body = await Json.ReadAsync(client);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("client_id").GetString(), Is.EqualTo(_old.ClientId));
            Assert.That(body.GetProperty("customer_id").GetString(), Is.EqualTo(_old.CustomerId));
            Assert.That(body.GetProperty("webhook_url").GetString(), Is.EqualTo(_old.ClientWebhookUrl));
        });
    }

    private static void AssertNoMigrationPending(ApiFactory factory)
    {
        using var scope = factory.Services.CreateScope();
        var database = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Database;
        Assert.That(database.GetAppliedMigrations(), Is.EqualTo(database.GetMigrations()));
    }

    private static void CopyDatabase(string target) => File.Copy(Path.Combine(Fixture, "webhooks.db"), target);

    /// <summary>Every row of every table the file holds, each value with its SQLite storage class.</summary>
    private static List<string> Rows(string databaseFile)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var rows = new List<string>();
        foreach (var table in tables)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY rowid;";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(table + ": " + string.Join(", ", Enumerable.Range(0, reader.FieldCount).Select(i =>
                    $"{reader.GetName(i)}={reader.GetDataTypeName(i)}:{Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)}")));
            }
        }

        Assert.That(tables, Is.SupersetOf(Made));
        return rows;
    }

    /// <summary>The tables the old build made, one row in each.</summary>
    private static readonly string[] Made = ["organizations", "api_keys", "clients", "webhook_endpoints", "idempotency_keys", "__ef_migrations_history"];

    /// <summary>
    /// Every old row is still there, byte for byte, except that the client has gained a webhook
    /// signing secret (a new column, filled at start: migration <c>Deliveries</c>; <c>DeliveryLists</c> finds no
    /// event or delivery to give a list position) and the endpoint has gained only empty columns
    /// (<c>SecretGrace</c>: no previous secret); the migrations history has gained one row per later
    /// migration, in order; the new tables are empty, and so is EF Core's migrations lock table (a row
    /// left behind would make the next start wait for it).
    /// </summary>
    private static void AssertUpgradedInPlace(List<string> before, List<string> after)
    {
        Assert.That(before, Has.Count.EqualTo(Made.Length), "the old file: one row of each kind");
        var oldClient = before.Single(row => row.StartsWith("clients: ", StringComparison.Ordinal));
        var newClient = after.Single(row => row.StartsWith("clients: ", StringComparison.Ordinal));
        var oldEndpoint = before.Single(row => row.StartsWith("webhook_endpoints: ", StringComparison.Ordinal));
        var newEndpoint = after.Single(row => row.StartsWith("webhook_endpoints: ", StringComparison.Ordinal));
        var laterMigrations = after.Where(row => row.StartsWith("__ef_migrations_history: ", StringComparison.Ordinal)).Skip(1).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(after.Except([newClient, newEndpoint]).Except(laterMigrations), Is.EqualTo(before.Except([oldClient, oldEndpoint])), "every other row unchanged");
            Assert.That(newClient, Does.StartWith(oldClient + ", webhook_secret=TEXT:"), "the client row gains only its webhook secret");
            Assert.That(newEndpoint, Does.StartWith(oldEndpoint + ", "), "the endpoint row keeps every old value");
            Assert.That(newEndpoint[(oldEndpoint.Length + 2)..].Split(", "), Has.All.EndsWith(":"), "and gains only empty columns");
            Assert.That(laterMigrations.Select(row => row.Split(", ")[0].Split(':')[^1]), Is.EqualTo(MigrationsAfterTheFirst()), "every later migration, in order");
            Assert.That(after, Has.Count.EqualTo(before.Count + laterMigrations.Count), "the new tables are empty; nothing is in the lock table");
        });
    }

    /// <summary>The ids of the SQLite migrations this build has, after the initial one.</summary>
    private static IEnumerable<string> MigrationsAfterTheFirst()
    {
        using var context = new SqliteWebhooksDbContext(new DbContextOptionsBuilder<SqliteWebhooksDbContext>().UseSqlite("Data Source=:memory:").Options);
        return context.Database.GetMigrations().Skip(1).ToList();
    }

    private sealed record CreateResponse(string Location, string Etag, JsonObject Body);

    /// <summary>What the old build printed while it made the test data (<c>made-by-the-old-build.json</c>).</summary>
    private sealed record OldRelease(
        string ApiKey,
        string ClientId,
        string ClientSecret,
        string CustomerId,
        string ClientWebhookUrl,
        string IdempotencyKey,
        string CreateRequestBody,
        CreateResponse CreateResponse);
}
