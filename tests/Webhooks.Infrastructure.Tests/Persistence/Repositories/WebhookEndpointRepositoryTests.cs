using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Webhooks.Application.Clients;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Organizations;
using Webhooks.Application.Webhooks;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Tests.Support;

namespace Webhooks.Infrastructure.Tests.Persistence.Repositories;

/// <summary>
/// The default set-up, on a real SQLite file: the application's registrations with no
/// <c>Database:Provider</c> and no connection string, so the file is <c>data/webhooks.db</c> under
/// a temporary content root.
/// </summary>
[TestFixture]
public sealed class SqliteDatabaseTests
{
    private static readonly string[] Tables = ["organizations", "api_keys", "webhook_endpoints", "idempotency_keys", "__ef_migrations_history"];

    private TempFolder _temp = null!;
    private ServiceProvider _services = null!;

    private string DatabaseFile => Path.Combine(_temp.Path, "data", "webhooks.db");

    [SetUp]
    public void SetUp()
    {
        _temp = new TempFolder();
        _services = TestData.BuildServices(_temp.Path, new Dictionary<string, string?>());
    }

    [TearDown]
    public async Task TearDown()
    {
        await _services.DisposeAsync();
        _temp.Dispose();
    }

    [Test]
    public async Task Migrate_CreatesTheDataFolderAndFileAndEveryTable()
    {
        Assert.That(Directory.Exists(Path.Combine(_temp.Path, "data")), Is.False, "precondition");

        await MigrateAsync();

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(DatabaseFile), Is.True, DatabaseFile);
            Assert.That(TableNames(), Is.SupersetOf(Tables));
            Assert.That(HistoryCount(), Is.EqualTo(MigrationCount()).And.GreaterThan(0));
        });
    }

    [Test]
    public async Task Migrate_CreatesEveryTableAndColumnOfTheModel()
    {
        await MigrateAsync();

        await using var scope = _services.CreateAsyncScope();
        var model = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().GetService<IDesignTimeModel>().Model.GetRelationalModel();
        Assert.Multiple(() =>
        {
            foreach (var table in model.Tables)
            {
                var columns = Columns(table.Name);
                Assert.That(columns, Is.Not.Empty, $"no migration creates table {table.Name}");
                foreach (var column in table.Columns)
                {
                    Assert.That(columns, Does.Contain($"{column.Name} {column.StoreType} {(column.IsNullable ? "NULL" : "NOT NULL")}"), $"{table.Name}.{column.Name}");
                }
            }
        });
    }

    [Test]
    public async Task Migrate_TurnsOnWriteAheadLogging()
    {
        await MigrateAsync();

        Assert.That(Scalar("PRAGMA journal_mode;"), Is.EqualTo("wal"));
    }

    [Test]
    public async Task Migrate_ExistingFileWithARollbackJournal_SwitchesItToWriteAheadLogging()
    {
        // EF Core turns WAL on only when it creates the file; a file that already exists (made by
        // an earlier version, or by hand) is switched by the migrator.
        Directory.CreateDirectory(Path.GetDirectoryName(DatabaseFile)!);
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabaseFile, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=DELETE; CREATE TABLE keep_me (x INTEGER);";
            command.ExecuteNonQuery();
        }

        Assert.That(Scalar("PRAGMA journal_mode;"), Is.EqualTo("delete"), "precondition");

        await MigrateAsync();

        Assert.Multiple(() =>
        {
            Assert.That(Scalar("PRAGMA journal_mode;"), Is.EqualTo("wal"));
            Assert.That(TableNames(), Is.SupersetOf(Tables.Append("keep_me")));
        });
    }

    [Test]
    public async Task Migrate_Twice_ChangesNothing()
    {
        await MigrateAsync();
        var orgId = await SaveOrganizationAsync();
        var schema = Scalar("SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master ORDER BY name);");

        await MigrateAsync();

        Assert.Multiple(() =>
        {
            Assert.That(HistoryCount(), Is.EqualTo(MigrationCount()));
            Assert.That(Scalar("SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master ORDER BY name);"), Is.EqualTo(schema));
            Assert.That(Scalar("SELECT count(*) FROM organizations;"), Is.EqualTo(1L), "migrating again must keep the data");
        });
        await using var scope = _services.CreateAsyncScope();
        Assert.That(await scope.ServiceProvider.GetRequiredService<IOrganizationRepository>().ExistsAsync(orgId, CancellationToken.None), Is.True);
    }

    [Test]
    public async Task Migrate_ThenNoMigrationIsPending()
    {
        await MigrateAsync();

        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(db, Is.InstanceOf<SqliteWebhooksDbContext>());
            Assert.That(await db.Database.GetPendingMigrationsAsync(), Is.Empty);
        });
    }

    [TestCase("Billing alerts", false)]
    [TestCase(null, false)]
    [TestCase("Billing alerts", true)]
    [TestCase(null, true)]
    public async Task WebhookEndpoint_RoundTripsEveryField(string? description, bool untracked)
    {
        await MigrateAsync();
        var orgId = await SaveOrganizationAsync();
        var endpoint = TestData.NewEndpoint(orgId, description, "wallet.balance_zero", "subscription.past_due", "wallet.balance_low");
        await SaveAsync(sp => sp.GetRequiredService<IWebhookEndpointRepository>().Add(endpoint));

        await using var scope = _services.CreateAsyncScope();
        var loaded = await Lookup(scope.ServiceProvider.GetRequiredService<IWebhookEndpointRepository>(), untracked, endpoint.Id, orgId);

        Assert.That(loaded, Is.Not.Null);
        Assert.That(loaded, Is.Not.SameAs(endpoint));
        Assert.Multiple(() =>
        {
            Assert.That(loaded!.Id, Is.EqualTo(endpoint.Id));
            Assert.That(loaded.OrgId, Is.EqualTo(orgId));
            Assert.That(loaded.Url.Value, Is.EqualTo("https://hooks.example.com/billing?x=1"));
            Assert.That(loaded.Description?.Value, Is.EqualTo(description));
            Assert.That(loaded.Events, Is.EqualTo(new[] { "wallet.balance_zero", "subscription.past_due", "wallet.balance_low" }), "order is kept");
            Assert.That(loaded.Active, Is.False);
            Assert.That(loaded.ApiVersion, Is.EqualTo(WebhookCatalogOptions.DefaultApiVersion));
            Assert.That(loaded.CreatedAt, Is.EqualTo(TestData.At(2026, 3, 4, 5, 6, 7)));
            Assert.That(loaded.CreatedAt.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(loaded.UpdatedAt, Is.EqualTo(TestData.At(2026, 3, 4, 5, 6, 7)));
            Assert.That(loaded.DeletedAt, Is.Null);
            Assert.That(loaded.IsDeleted, Is.False);
            Assert.That(loaded.Revision, Is.EqualTo(1));
            Assert.That(loaded.ProtectedSecret, Is.EqualTo(TestData.ProtectedSecret));
        });
    }

    [Test]
    public async Task WebhookEndpoint_ChangesAreSavedThroughTheUnitOfWork()
    {
        await MigrateAsync();
        var orgId = await SaveOrganizationAsync();
        var endpoint = TestData.NewEndpoint(orgId);
        await SaveAsync(sp => sp.GetRequiredService<IWebhookEndpointRepository>().Add(endpoint));
        var later = TestData.At(2026, 7, 8, 9, 10, 11);

        await SaveAsync(async sp =>
        {
            var tracked = await sp.GetRequiredService<IWebhookEndpointRepository>().GetAsync(endpoint.Id, orgId, CancellationToken.None);
            Assert.That(tracked, Is.Not.Null);
            tracked!.Patch(TestData.ClearDescription, later);
            tracked.Patch(TestData.Activate, later);
        });

        await using var scope = _services.CreateAsyncScope();
        var loaded = await scope.ServiceProvider.GetRequiredService<IWebhookEndpointRepository>().GetAsync(endpoint.Id, orgId, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(loaded!.Description, Is.Null);
            Assert.That(loaded.Active, Is.True);
            Assert.That(loaded.UpdatedAt, Is.EqualTo(later));
            Assert.That(loaded.CreatedAt, Is.EqualTo(TestData.At(2026, 3, 4, 5, 6, 7)));
            Assert.That(loaded.Revision, Is.EqualTo(3), "two changes");
        });
    }

    [Test]
    public async Task Query_ArrayContains_FindsExactlyTheListedEndpoints()
    {
        // C# 14 binds array.Contains inside an expression tree to MemoryExtensions.Contains over a
        // span; EF Core 6 compiled that into an invalid program (why LangVersion was 13 until EF Core 10).
        await MigrateAsync();
        var orgId = await SaveOrganizationAsync();
        WebhookEndpoint[] endpoints = [TestData.NewEndpoint(orgId), TestData.NewEndpoint(orgId), TestData.NewEndpoint(orgId)];
        await SaveAsync(sp =>
        {
            foreach (var endpoint in endpoints)
            {
                sp.GetRequiredService<IWebhookEndpointRepository>().Add(endpoint);
            }
        });
        Guid[] wanted = [endpoints[0].Id, endpoints[2].Id];

        await using var scope = _services.CreateAsyncScope();
        var found = await scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Set<WebhookEndpoint>()
            .Where(e => wanted.Contains(e.Id)).Select(e => e.Id).ToListAsync();

        Assert.That(found, Is.EquivalentTo(wanted));
    }

    [Test]
    public async Task WebhookEndpoint_StoresInstantsInUtc()
    {
        await MigrateAsync();
        var orgId = await SaveOrganizationAsync();
        var endpoint = TestData.NewEndpoint(orgId);
        await SaveAsync(sp => sp.GetRequiredService<IWebhookEndpointRepository>().Add(endpoint));

        Assert.That(
            Scalar($"SELECT created_at FROM webhook_endpoints WHERE id = '{endpoint.Id.ToString().ToUpperInvariant()}';"),
            Is.EqualTo(TestData.At(2026, 3, 4, 5, 6, 7).UtcTicks));
    }

    [Test]
    public async Task ReadAsync_LeavesNothingTracked_GetAsyncTracksTheEndpoint()
    {
        await MigrateAsync();
        var orgId = await SaveOrganizationAsync();
        var endpoint = TestData.NewEndpoint(orgId);
        await SaveAsync(sp => sp.GetRequiredService<IWebhookEndpointRepository>().Add(endpoint));

        await using var scope = _services.CreateAsyncScope();
        var repository = scope.ServiceProvider.GetRequiredService<IWebhookEndpointRepository>();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();

        var read = await repository.ReadAsync(endpoint.Id, orgId, CancellationToken.None);
        Assert.That(read, Is.Not.Null);
        Assert.That(db.ChangeTracker.Entries(), Is.Empty, "a read is untracked");

        var tracked = await repository.GetAsync(endpoint.Id, orgId, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(tracked, Is.Not.SameAs(read));
            Assert.That(db.ChangeTracker.Entries<WebhookEndpoint>().Select(e => e.Entity), Is.EqualTo(new[] { tracked }));
        });
    }

    private static Task<WebhookEndpoint?> Lookup(IWebhookEndpointRepository repository, bool untracked, Guid id, Guid orgId) =>
        untracked ? repository.ReadAsync(id, orgId, CancellationToken.None) : repository.GetAsync(id, orgId, CancellationToken.None);

    [Test]
    public async Task GetAsync_AnotherOrganizationsEndpoint_IsNull([Values] bool untracked)
    {
        await MigrateAsync();
        var owner = await SaveOrganizationAsync("Owner");
        var other = await SaveOrganizationAsync("Other");
        var endpoint = TestData.NewEndpoint(owner);
        await SaveAsync(sp => sp.GetRequiredService<IWebhookEndpointRepository>().Add(endpoint));

        await using var scope = _services.CreateAsyncScope();
        var repository = scope.ServiceProvider.GetRequiredService<IWebhookEndpointRepository>();
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await Lookup(repository, untracked, endpoint.Id, other), Is.Null);
            Assert.That(await Lookup(repository, untracked, Guid.CreateVersion7(), owner), Is.Null);
            Assert.That(await Lookup(repository, untracked, endpoint.Id, owner), Is.Not.Null, "control");
        });
    }

    [Test]
    public async Task GetAsync_DeletedEndpoint_IsNull([Values] bool untracked)
    {
        await MigrateAsync();
        var orgId = await SaveOrganizationAsync();
        var endpoint = TestData.NewEndpoint(orgId);
        var kept = TestData.NewEndpoint(orgId);
        await SaveAsync(sp =>
        {
            sp.GetRequiredService<IWebhookEndpointRepository>().Add(endpoint);
            sp.GetRequiredService<IWebhookEndpointRepository>().Add(kept);
        });
        await SaveAsync(async sp =>
        {
            var tracked = await sp.GetRequiredService<IWebhookEndpointRepository>().GetAsync(endpoint.Id, orgId, CancellationToken.None);
            tracked!.Delete(TestData.At(2026, 9, 9, 9, 9, 9));
        });

        await using var scope = _services.CreateAsyncScope();
        var repository = scope.ServiceProvider.GetRequiredService<IWebhookEndpointRepository>();
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await Lookup(repository, untracked, endpoint.Id, orgId), Is.Null);
            Assert.That(await Lookup(repository, untracked, kept.Id, orgId), Is.Not.Null, "control");
            Assert.That(Scalar("SELECT count(*) FROM webhook_endpoints WHERE deleted_at IS NOT NULL;"), Is.EqualTo(1L), "a delete is soft");
        });
    }

    [Test]
    public async Task ApiKey_FindByHash_FindsTheKeyWithItsScopes()
    {
        await MigrateAsync();
        var orgId = await SaveOrganizationAsync();
        var key = TestData.NewApiKey(orgId, TestData.Hash('a'), Scopes.WebhooksWrite, Scopes.WebhooksRead);
        await SaveAsync(sp => sp.GetRequiredService<IApiKeyRepository>().Add(key));

        await using var scope = _services.CreateAsyncScope();
        var repository = scope.ServiceProvider.GetRequiredService<IApiKeyRepository>();
        var found = await repository.FindByHashAsync(TestData.Hash('a'), CancellationToken.None);

        Assert.That(found, Is.Not.Null);
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(found!.Id, Is.EqualTo(key.Id));
            Assert.That(found.OrgId, Is.EqualTo(orgId));
            Assert.That(found.Name, Is.EqualTo("ci key"));
            Assert.That(found.KeyHash, Is.EqualTo(TestData.Hash('a')));
            Assert.That(found.Scopes, Is.EqualTo(new[] { Scopes.WebhooksWrite, Scopes.WebhooksRead }));
            Assert.That(found.CreatedAt, Is.EqualTo(TestData.At(2026, 5, 6, 7, 8, 9)));
            Assert.That(found.IsRevoked, Is.False);
            Assert.That(await repository.FindByHashAsync(TestData.Hash('b'), CancellationToken.None), Is.Null);
        });
    }

    [Test]
    public async Task ApiKey_FindByHash_ReturnsRevokedKeysToo()
    {
        await MigrateAsync();
        var orgId = await SaveOrganizationAsync();
        var key = TestData.NewApiKey(orgId, TestData.Hash('c'));
        await SaveAsync(sp => sp.GetRequiredService<IApiKeyRepository>().Add(key));
        var revokedAt = TestData.At(2026, 6, 7, 8, 9, 10);
        await SaveAsync(async sp =>
        {
            var tracked = await sp.GetRequiredService<IApiKeyRepository>().GetAsync(key.Id, CancellationToken.None);
            tracked!.Revoke(revokedAt);
        });

        await using var scope = _services.CreateAsyncScope();
        var found = await scope.ServiceProvider.GetRequiredService<IApiKeyRepository>().FindByHashAsync(TestData.Hash('c'), CancellationToken.None);

        Assert.That(found, Is.Not.Null, "the authenticator, not the repository, refuses revoked keys");
        Assert.Multiple(() =>
        {
            Assert.That(found!.IsRevoked, Is.True);
            Assert.That(found.RevokedAt, Is.EqualTo(revokedAt));
            Assert.That(found.Scopes, Is.EqualTo(new[] { Scopes.WebhooksRead }));
        });
    }

    [Test]
    public async Task ApiKey_DuplicateHash_ViolatesTheUniqueIndex()
    {
        await MigrateAsync();
        var orgId = await SaveOrganizationAsync();
        await SaveAsync(sp => sp.GetRequiredService<IApiKeyRepository>().Add(TestData.NewApiKey(orgId, TestData.Hash('d'))));

        // The unit of work reports every unique violation as a conflict (decision 0006): a rerun
        // of the command makes a new key.
        // Only a duplicate idempotency key is a conflict worth retrying; any other duplicate is an error.
        var error = Assert.ThrowsAsync<DbUpdateException>(() =>
            SaveAsync(sp => sp.GetRequiredService<IApiKeyRepository>().Add(TestData.NewApiKey(orgId, TestData.Hash('d')))));

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Not.Null, "the provider's error surfaces");
            Assert.That(error!.InnerException, Is.InstanceOf<SqliteException>());
            Assert.That(error.InnerException!.Message, Does.Contain("UNIQUE").And.Contain("api_keys.key_hash"));
            Assert.That(Scalar("SELECT count(*) FROM api_keys;"), Is.EqualTo(1L));
        });
    }

    [Test]
    public async Task WebhookEndpoint_OfAnUnknownOrganization_ViolatesTheForeignKey()
    {
        await MigrateAsync();

        var error = Assert.ThrowsAsync<DbUpdateException>(() =>
            SaveAsync(sp => sp.GetRequiredService<IWebhookEndpointRepository>().Add(TestData.NewEndpoint(Guid.CreateVersion7()))));

        Assert.That(error!.InnerException?.Message, Does.Contain("FOREIGN KEY"));
    }

    [Test]
    public async Task OrganizationRepository_AnyAndExists()
    {
        await MigrateAsync();
        await using (var scope = _services.CreateAsyncScope())
        {
            Assert.That(await scope.ServiceProvider.GetRequiredService<IOrganizationRepository>().AnyAsync(CancellationToken.None), Is.False);
        }

        var orgId = await SaveOrganizationAsync();

        await using (var scope = _services.CreateAsyncScope())
        {
            var repository = scope.ServiceProvider.GetRequiredService<IOrganizationRepository>();
            await Assert.MultipleAsync(async () =>
            {
                Assert.That(await repository.AnyAsync(CancellationToken.None), Is.True);
                Assert.That(await repository.ExistsAsync(orgId, CancellationToken.None), Is.True);
                Assert.That(await repository.ExistsAsync(Guid.CreateVersion7(), CancellationToken.None), Is.False);
            });
        }
    }

    [Test]
    public async Task Client_RoundTripsAndItsCredentialsShowSuspension()
    {
        await MigrateAsync();
        var client = Client.Register(Guid.CreateVersion7(), "customer-42", TestData.Hash('f'), TestData.At(2026, 2, 3, 4, 5, 6));
        client.SetWebhookUrl(HttpsUrl.Create("https://device.example.com/hook").Value, TestData.At(2026, 2, 3, 4, 5, 7));
        await SaveAsync(sp => sp.GetRequiredService<IClientRepository>().Add(client));

        await using (var scope = _services.CreateAsyncScope())
        {
            var repository = scope.ServiceProvider.GetRequiredService<IClientRepository>();
            var loaded = await repository.GetAsync(client.Id, CancellationToken.None);
            var credentials = await repository.FindCredentialsAsync(client.Id, CancellationToken.None);
            await Assert.MultipleAsync(async () =>
            {
                Assert.That(loaded!.CustomerId, Is.EqualTo("customer-42"));
                Assert.That(loaded.WebhookUrl?.Value, Is.EqualTo("https://device.example.com/hook"));
                Assert.That(loaded.CreatedAt, Is.EqualTo(TestData.At(2026, 2, 3, 4, 5, 6)));
                Assert.That(loaded.UpdatedAt, Is.EqualTo(TestData.At(2026, 2, 3, 4, 5, 7)));
                Assert.That(loaded.SuspendedAt, Is.Null);
                Assert.That(credentials, Is.EqualTo(new ClientCredentials(client.Id, TestData.Hash('f'), IsSuspended: false)));
                Assert.That(await repository.FindCredentialsAsync(Guid.CreateVersion7(), CancellationToken.None), Is.Null);
            });
        }

        await SaveAsync(async sp =>
        {
            var tracked = await sp.GetRequiredService<IClientRepository>().GetAsync(client.Id, CancellationToken.None);
            tracked!.SetWebhookUrl(null, TestData.At(2026, 2, 3, 4, 5, 8));
            tracked.Suspend(TestData.At(2026, 2, 3, 4, 5, 8));
        });

        await using (var scope = _services.CreateAsyncScope())
        {
            var repository = scope.ServiceProvider.GetRequiredService<IClientRepository>();
            var loaded = await repository.GetAsync(client.Id, CancellationToken.None);
            var credentials = await repository.FindCredentialsAsync(client.Id, CancellationToken.None);
            Assert.Multiple(() =>
            {
                Assert.That(loaded!.WebhookUrl, Is.Null);
                Assert.That(loaded.SuspendedAt, Is.EqualTo(TestData.At(2026, 2, 3, 4, 5, 8)));
                Assert.That(credentials!.IsSuspended, Is.True);
            });
        }
    }

    [Test]
    public async Task HealthCheck_IsUnhealthyBeforeTheFileExistsAndHealthyAfterMigrating()
    {
        await using (var scope = _services.CreateAsyncScope())
        {
            var before = await ActivatorUtilities.CreateInstance<DatabaseHealthCheck>(scope.ServiceProvider)
                .CheckHealthAsync(new HealthCheckContext());
            Assert.That(before.Status, Is.EqualTo(HealthStatus.Unhealthy));
        }

        await MigrateAsync();

        await using (var scope = _services.CreateAsyncScope())
        {
            var after = await ActivatorUtilities.CreateInstance<DatabaseHealthCheck>(scope.ServiceProvider)
                .CheckHealthAsync(new HealthCheckContext());
            Assert.That(after.Status, Is.EqualTo(HealthStatus.Healthy));
        }
    }

    private async Task MigrateAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
    }

    private async Task<Guid> SaveOrganizationAsync(string name = "Acme")
    {
        var organization = TestData.NewOrganization(name);
        await SaveAsync(sp => sp.GetRequiredService<IOrganizationRepository>().Add(organization));
        return organization.Id;
    }

    private Task SaveAsync(Action<IServiceProvider> change) => SaveAsync(sp =>
    {
        change(sp);
        return Task.CompletedTask;
    });

    /// <summary>One unit of work in its own scope (its own context), as a command runs.</summary>
    private async Task SaveAsync(Func<IServiceProvider, Task> change)
    {
        await using var scope = _services.CreateAsyncScope();
        await change(scope.ServiceProvider);
        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
    }

    private int MigrationCount()
    {
        using var scope = _services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Database.GetMigrations().Count();
    }

    private long HistoryCount() => (long)Scalar("SELECT count(*) FROM __ef_migrations_history;")!;

    private List<string> TableNames()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table';";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>Each column of the table as "name TYPE NULL|NOT NULL".</summary>
    private List<string> Columns(string table)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, type, \"notnull\" FROM pragma_table_info($table);";
        command.Parameters.AddWithValue("$table", table);
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            columns.Add($"{reader.GetString(0)} {reader.GetString(1)} {(reader.GetInt64(2) == 0 ? "NULL" : "NOT NULL")}");
        }

        return columns;
    }

    private object? Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabaseFile, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
