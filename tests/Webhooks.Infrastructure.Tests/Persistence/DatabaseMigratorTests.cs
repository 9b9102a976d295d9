using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Webhooks.Application.Organizations;

namespace Webhooks.Infrastructure.Tests.Persistence;

/// <summary>
/// The migrator on the default set-up: the application's registrations with no
/// <c>Database:Provider</c> and no connection string, so the file is <c>data/webhooks.db</c> under
/// a temporary content root.
/// </summary>
[TestFixture]
public sealed class DatabaseMigratorTests : SqliteAppTests
{
    private static readonly string[] Tables = ["organizations", "api_keys", "webhook_endpoints", "idempotency_keys", "__ef_migrations_history"];

    protected override bool Migrate => false;

    [Test]
    public async Task Migrate_CreatesTheDataFolderAndFileAndEveryTable()
    {
        Assert.That(Directory.Exists(Path.GetDirectoryName(App.DatabaseFile)), Is.False, "precondition");

        await App.MigrateAsync();

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(App.DatabaseFile), Is.True, App.DatabaseFile);
            Assert.That(TableNames(), Is.SupersetOf(Tables));
            Assert.That(HistoryCount(), Is.EqualTo(MigrationCount()).And.GreaterThan(0));
        });
    }

    [Test]
    public async Task Migrate_CreatesEveryTableAndColumnOfTheModel()
    {
        await App.MigrateAsync();

        await using var scope = App.Scope();
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
    public async Task Migrate_FromDeliveries_GivesExistingEventsAndDeliveriesTheirIdsLowerCaseTextAsListPosition()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(App.DatabaseFile)!);
        await using (var scope = App.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().GetService<IMigrator>().MigrateAsync("Deliveries");
        }

        var eventId = Guid.CreateVersion7();
        var deliveryId = Guid.CreateVersion7();
        using (var connection = App.Open())
        {
            // As EF Core's SQLite provider stores a Guid: upper-case text.
            SqliteFile.Execute(connection, $"INSERT INTO events (id, org_id, type, data, created_at, delivery_count) VALUES ('{eventId.ToString().ToUpperInvariant()}', NULL, 'a.b', '{{}}', 0, 1);");
            SqliteFile.Execute(connection, $"INSERT INTO deliveries (id, event_id, event_type, status, attempt_count, created_at, updated_at) VALUES ('{deliveryId.ToString().ToUpperInvariant()}', '{eventId.ToString().ToUpperInvariant()}', 'a.b', 'pending', 0, 0, 0);");
        }

        await App.MigrateAsync();

        var orgId = await App.SaveOrganizationAsync();
        Assert.Multiple(() =>
        {
            Assert.That(App.Scalar("SELECT id FROM organizations"), Is.EqualTo(orgId.ToString().ToUpperInvariant()), "EF Core stores a Guid as upper-case text");
            Assert.That(App.Scalar("SELECT list_position FROM events"), Is.EqualTo(eventId.ToString("D")));
            Assert.That(App.Scalar("SELECT list_position FROM deliveries"), Is.EqualTo(deliveryId.ToString("D")));
        });
    }

    [Test]
    public async Task Migrate_TurnsOnWriteAheadLogging()
    {
        await App.MigrateAsync();

        Assert.That(App.Scalar("PRAGMA journal_mode;"), Is.EqualTo("wal"));
    }

    [Test]
    public async Task Migrate_ExistingFileWithARollbackJournal_SwitchesItToWriteAheadLogging()
    {
        // EF Core turns WAL on only when it creates the file; a file that already exists (made by
        // an earlier version, or by hand) is switched by the migrator.
        Directory.CreateDirectory(Path.GetDirectoryName(App.DatabaseFile)!);
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = App.DatabaseFile, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=DELETE; CREATE TABLE keep_me (x INTEGER);";
            command.ExecuteNonQuery();
        }

        Assert.That(App.Scalar("PRAGMA journal_mode;"), Is.EqualTo("delete"), "precondition");

        await App.MigrateAsync();

        Assert.Multiple(() =>
        {
            Assert.That(App.Scalar("PRAGMA journal_mode;"), Is.EqualTo("wal"));
            Assert.That(TableNames(), Is.SupersetOf(Tables.Append("keep_me")));
        });
    }

    [Test]
    public async Task Migrate_Twice_ChangesNothing()
    {
        await App.MigrateAsync();
        var orgId = await App.SaveOrganizationAsync();
        var schema = App.Scalar("SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master ORDER BY name);");

        await App.MigrateAsync();

        Assert.Multiple(() =>
        {
            Assert.That(HistoryCount(), Is.EqualTo(MigrationCount()));
            Assert.That(App.Scalar("SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master ORDER BY name);"), Is.EqualTo(schema));
            Assert.That(App.Scalar("SELECT count(*) FROM organizations;"), Is.EqualTo(1L), "migrating again must keep the data");
        });
        await using var scope = App.Scope();
        Assert.That(await scope.ServiceProvider.GetRequiredService<IOrganizationRepository>().ExistsAsync(orgId, CancellationToken.None), Is.True);
    }

    [Test]
    public async Task Migrate_ThenNoMigrationIsPending()
    {
        await App.MigrateAsync();

        await using var scope = App.Scope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(db, Is.InstanceOf<SqliteWebhooksDbContext>());
            Assert.That(await db.Database.GetPendingMigrationsAsync(), Is.Empty);
        });
    }

    [Test]
    public async Task Migrate_GivesEachClientWithoutAWebhookSecretOne_AndKeepsTheOthers()
    {
        await App.MigrateAsync();
        var withSecret = TestData.NewClient();
        var withoutSecret = TestData.NewClient(webhookUrl: null);
        await App.SaveAsync(sp =>
        {
            sp.GetRequiredService<Application.Clients.IClientRepository>().Add(withSecret);
            sp.GetRequiredService<Application.Clients.IClientRepository>().Add(withoutSecret);
        });
        // As a client registered before clients had a webhook secret is stored.
        using (var connection = App.Open())
        {
            SqliteFile.Execute(connection, $"UPDATE clients SET webhook_secret = NULL WHERE id = '{withoutSecret.Id.ToString().ToUpperInvariant()}';");
        }

        var before = ClientRows();

        await App.MigrateAsync();

        var after = ClientRows();
        await using var scope = App.Scope();
        var protector = scope.ServiceProvider.GetRequiredService<Application.Common.Ports.ISecretProtector>();
        var given = after[withoutSecret.Id].Secret;
        Assert.Multiple(() =>
        {
            Assert.That(before[withoutSecret.Id].Secret, Is.Null, "precondition");
            Assert.That(after[withSecret.Id], Is.EqualTo(before[withSecret.Id]), "a client that has a secret keeps it");
            Assert.That(given, Is.Not.Null);
            Assert.That(protector.Unprotect(given!), Does.Match("^whsec_[A-Za-z0-9+/]{43}=$"), "stored encrypted: whsec_ and 32 random bytes");
            Assert.That(after[withoutSecret.Id] with { Secret = null }, Is.EqualTo(before[withoutSecret.Id]), "nothing else changes, updated_at included");
        });
    }

    [Test]
    public async Task Migrate_AgainAfterGivingSecrets_KeepsThem()
    {
        await App.MigrateAsync();
        var client = TestData.NewClient();
        await App.SaveAsync(sp => sp.GetRequiredService<Application.Clients.IClientRepository>().Add(client));
        using (var connection = App.Open())
        {
            SqliteFile.Execute(connection, "UPDATE clients SET webhook_secret = NULL;");
        }

        await App.MigrateAsync();
        var first = ClientRows();
        await App.MigrateAsync();

        Assert.That(ClientRows(), Is.EqualTo(first));
    }

    private sealed record ClientRow(string? Secret, long UpdatedAt, string SecretHash);

    private Dictionary<Guid, ClientRow> ClientRows() =>
        App.Rows("SELECT id, webhook_secret, updated_at, secret_hash FROM clients;").ToDictionary(
            row => Guid.Parse((string)row[0]),
            row => new ClientRow(row[1] as string, (long)row[2], (string)row[3]));

    private int MigrationCount()
    {
        using var scope = App.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Database.GetMigrations().Count();
    }

    private long HistoryCount() => (long)App.Scalar("SELECT count(*) FROM __ef_migrations_history;")!;

    private List<string> TableNames()
    {
        using var connection = App.Open();
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
        using var connection = App.Open();
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
}
