using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Webhooks.Infrastructure.Tests.Persistence.SqlServer;

/// <summary>
/// The migration script EF Core generates for SQL Server, generated offline.
/// No SQL Server is needed, and the dummy connection string is never opened.
/// </summary>
[TestFixture]
public sealed class SqlServerOfflineSqlTests
{
    /// <summary>The EF Core version the migrations history records (EF Core writes its own version).</summary>
    private const string EfCoreVersion = "10.0.15";

    private string _script = null!;
    private string _idempotentScript = null!;

    [OneTimeSetUp]
    public void GenerateScripts()
    {
        using var context = TestData.NewSqlServerContext();
        var migrator = context.GetService<IMigrator>();
        _script = migrator.GenerateScript();
        _idempotentScript = migrator.GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
    }

    /// <summary>Each table's columns (type, collation, nullability), primary key and foreign keys, as the script creates them.</summary>
    public static IEnumerable<TestCaseData> Tables()
    {
        yield return new TestCaseData("organizations", new[]
            {
                "[id] uniqueidentifier NOT NULL",
                "[name] nvarchar(200) NOT NULL",
                "[created_at] datetimeoffset NOT NULL",
                "CONSTRAINT [PK_organizations] PRIMARY KEY ([id])",
            }).SetArgDisplayNames("organizations");
        yield return new TestCaseData("api_keys", new[]
            {
                "[id] uniqueidentifier NOT NULL",
                "[org_id] uniqueidentifier NOT NULL",
                "[name] nvarchar(200) NULL",
                "[key_hash] char(64) NOT NULL",
                "[scopes] nvarchar(max) NOT NULL",
                "[created_at] datetimeoffset NOT NULL",
                "[revoked_at] datetimeoffset NULL",
                "CONSTRAINT [PK_api_keys] PRIMARY KEY ([id])",
                "CONSTRAINT [FK_api_keys_organizations_org_id] FOREIGN KEY ([org_id]) REFERENCES [organizations] ([id]) ON DELETE NO ACTION",
            }).SetArgDisplayNames("api_keys");
        yield return new TestCaseData("webhook_endpoints", new[]
            {
                "[id] uniqueidentifier NOT NULL",
                "[org_id] uniqueidentifier NOT NULL",
                "[url] nvarchar(2048) NOT NULL",
                "[description] nvarchar(400) NULL",
                "[events] nvarchar(max) NOT NULL",
                "[active] bit NOT NULL",
                "[api_version] nvarchar(32) NOT NULL",
                "[created_at] datetimeoffset NOT NULL",
                "[updated_at] datetimeoffset NOT NULL",
                "[deleted_at] datetimeoffset NULL",
                "[revision] int NOT NULL",
                "[signing_secret] varchar(1024) NOT NULL",
                "[list_position] char(36) NOT NULL",
                "CONSTRAINT [PK_webhook_endpoints] PRIMARY KEY ([id])",
                "CONSTRAINT [FK_webhook_endpoints_organizations_org_id] FOREIGN KEY ([org_id]) REFERENCES [organizations] ([id]) ON DELETE NO ACTION",
            }).SetArgDisplayNames("webhook_endpoints");
        yield return new TestCaseData("idempotency_keys", new[]
            {
                "[org_id] uniqueidentifier NOT NULL",
                "[key] varchar(255) COLLATE Latin1_General_100_BIN2 NOT NULL",
                "[request_hash] char(64) NOT NULL",
                "[response] varchar(max) NOT NULL",
                "[created_at] datetimeoffset NOT NULL",
                "CONSTRAINT [PK_idempotency_keys] PRIMARY KEY ([org_id], [key])",
                "CONSTRAINT [FK_idempotency_keys_organizations_org_id] FOREIGN KEY ([org_id]) REFERENCES [organizations] ([id]) ON DELETE CASCADE",
            }).SetArgDisplayNames("idempotency_keys");
        yield return new TestCaseData("events", new[]
            {
                "[id] uniqueidentifier NOT NULL",
                "[org_id] uniqueidentifier NULL",
                "[client_id] uniqueidentifier NULL",
                "[type] varchar(100) NOT NULL",
                "[data] nvarchar(max) NOT NULL",
                "[created_at] datetimeoffset NOT NULL",
                "[delivery_count] int NOT NULL",
                "CONSTRAINT [PK_events] PRIMARY KEY ([id])",
            }).SetArgDisplayNames("events");
        yield return new TestCaseData("deliveries", new[]
            {
                "[id] uniqueidentifier NOT NULL",
                "[event_id] uniqueidentifier NOT NULL",
                "[event_type] varchar(100) NOT NULL",
                "[org_id] uniqueidentifier NULL",
                "[endpoint_id] uniqueidentifier NULL",
                "[client_id] uniqueidentifier NULL",
                "[status] varchar(16) NOT NULL",
                "[attempt_count] int NOT NULL",
                "[next_attempt_at] datetimeoffset NULL",
                "[last_attempt_at] datetimeoffset NULL",
                "[last_response_status] int NULL",
                "[created_at] datetimeoffset NOT NULL",
                "[updated_at] datetimeoffset NOT NULL",
                "[lease_expires_at] datetimeoffset NULL",
                "[lease_owner] varchar(64) NULL",
                "CONSTRAINT [PK_deliveries] PRIMARY KEY ([id])",
                "CONSTRAINT [FK_deliveries_clients_client_id] FOREIGN KEY ([client_id]) REFERENCES [clients] ([id]) ON DELETE NO ACTION",
                "CONSTRAINT [FK_deliveries_events_event_id] FOREIGN KEY ([event_id]) REFERENCES [events] ([id]) ON DELETE CASCADE",
                "CONSTRAINT [FK_deliveries_webhook_endpoints_endpoint_id] FOREIGN KEY ([endpoint_id]) REFERENCES [webhook_endpoints] ([id]) ON DELETE NO ACTION",
            }).SetArgDisplayNames("deliveries");
        yield return new TestCaseData("delivery_attempts", new[]
            {
                "[delivery_id] uniqueidentifier NOT NULL",
                "[number] int NOT NULL",
                "[trigger] varchar(16) NOT NULL",
                "[started_at] datetimeoffset NOT NULL",
                "[duration_ms] int NOT NULL",
                "[response_status] int NULL",
                // 4096 characters are more than nvarchar(n) holds (4000): the domain caps the text instead.
                "[response_body] nvarchar(max) NULL",
                "[error] nvarchar(1000) NULL",
                "CONSTRAINT [PK_delivery_attempts] PRIMARY KEY ([delivery_id], [number])",
                "CONSTRAINT [FK_delivery_attempts_deliveries_delivery_id] FOREIGN KEY ([delivery_id]) REFERENCES [deliveries] ([id]) ON DELETE CASCADE",
            }).SetArgDisplayNames("delivery_attempts");
    }

    [TestCaseSource(nameof(Tables))]
    public void Script_CreatesTheTableWithItsColumnsAndKeys(string name, string[] expected)
    {
        // idempotency_keys.key is binary-collated: keys are case-sensitive, as on SQLite.
        var table = CreateTable(_script, name);

        Assert.Multiple(() =>
        {
            foreach (var line in expected)
            {
                Assert.That(table, Does.Contain(line));
            }
        });
    }

    [Test]
    public void Script_CreatesEveryTableAndColumnOfTheModel()
    {
        // Whatever the model holds (tables added later included), running the migrations creates it.
        using var context = TestData.NewSqlServerContext();
        var model = context.GetService<IDesignTimeModel>().Model.GetRelationalModel();

        Assert.Multiple(() =>
        {
            foreach (var table in model.Tables)
            {
                var created = Regex.Match(_script, $@"CREATE TABLE \[{Regex.Escape(table.Name)}\] \((?<body>.*?)\n\);", RegexOptions.Singleline);
                Assert.That(created.Success, Is.True, $"no migration creates table [{table.Name}]");
                foreach (var column in table.Columns)
                {
                    // Created with its table, or added to it by a later migration.
                    var definition = $"[{column.Name}] {column.StoreType} {(column.Collation is null ? string.Empty : $"COLLATE {column.Collation} ")}{(column.IsNullable ? "NULL" : "NOT NULL")}";
                    var added = $"ALTER TABLE [{table.Name}] ADD {definition}";
                    Assert.That(
                        created.Groups["body"].Value.Contains(definition, StringComparison.Ordinal) || _script.Contains(added, StringComparison.Ordinal),
                        Is.True,
                        $"[{table.Name}].[{column.Name}]: neither created nor added as {definition}");
                }
            }
        });
    }

    [Test]
    public void Script_CreatesIndexes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_script, Does.Contain("CREATE UNIQUE INDEX [ux_api_keys_key_hash] ON [api_keys] ([key_hash]);"));
            Assert.That(_script, Does.Contain("CREATE INDEX [ix_webhook_endpoints_org_id_id] ON [webhook_endpoints] ([org_id], [id]);"));
            Assert.That(_script, Does.Contain("CREATE INDEX [ix_webhook_endpoints_org_id_list_position] ON [webhook_endpoints] ([org_id], [list_position]);"));
            Assert.That(_script, Does.Contain("CREATE INDEX [IX_api_keys_org_id] ON [api_keys] ([org_id]);"));
            Assert.That(_script, Does.Contain("CREATE INDEX [ix_deliveries_endpoint_id_status] ON [deliveries] ([endpoint_id], [status]);"));
            Assert.That(_script, Does.Contain("CREATE INDEX [ix_deliveries_client_id_status] ON [deliveries] ([client_id], [status]);"));
            Assert.That(_script, Does.Contain("CREATE INDEX [ix_deliveries_event_id] ON [deliveries] ([event_id]);"));
            Assert.That(_script, Does.Contain("CREATE INDEX [ix_events_org_id_id] ON [events] ([org_id], [id]);"));
            Assert.That(_script, Does.Contain("CREATE INDEX [ix_events_created_at] ON [events] ([created_at]);"));
        });
    }

    [Test]
    public void Script_AddsTheListPositionOfEventsAndDeliveries_FillsItFromTheIdsThenIndexesIt()
    {
        string[] steps =
        [
            "ALTER TABLE [events] ADD [list_position] char(36) NOT NULL DEFAULT '';",
            "ALTER TABLE [deliveries] ADD [list_position] char(36) NOT NULL DEFAULT '';",
            "EXEC(N'UPDATE [events] SET [list_position] = LOWER(CONVERT(char(36), [id]));');",
            "EXEC(N'UPDATE [deliveries] SET [list_position] = LOWER(CONVERT(char(36), [id]));');",
            "CREATE INDEX [ix_events_org_id_list_position] ON [events] ([org_id], [list_position]);",
            "CREATE INDEX [ix_deliveries_endpoint_id_list_position] ON [deliveries] ([endpoint_id], [list_position]);",
            "CREATE INDEX [ix_deliveries_event_id_list_position] ON [deliveries] ([event_id], [list_position]);",
        ];
        foreach (var script in new[] { _script, _idempotentScript })
        {
            var positions = steps.Select(step => script.IndexOf(step, StringComparison.Ordinal)).ToList();
            Assert.That(positions, Is.All.GreaterThanOrEqualTo(0), "each step");
            Assert.That(positions, Is.Ordered, "in this order: the fill before the indexes");
        }
    }

    [Test]
    public void Script_CreatesTheDueIndexOverPendingRowsOnly_WithTheReceiverAfterTheDueTime()
    {
        // What a worker claims: pending rows in due order; ended rows stay out of the index. Migration
        // DueIndexByReceiver makes it again with the receiver's columns (a busy receiver's rows are
        // skipped in the index) and drops ix_deliveries_event_id, a prefix of ix_deliveries_event_id_list_position.
        string[] steps =
        [
            "CREATE INDEX [ix_deliveries_due] ON [deliveries] ([next_attempt_at]) WHERE status = 'pending';",
            "DROP INDEX [ix_deliveries_due] ON [deliveries];",
            "DROP INDEX [ix_deliveries_event_id] ON [deliveries];",
            "CREATE INDEX [ix_deliveries_due] ON [deliveries] ([next_attempt_at], [endpoint_id], [client_id]) WHERE status = 'pending';",
        ];
        var positions = steps.Select(step => _script.IndexOf(step, StringComparison.Ordinal)).ToList();
        Assert.That(positions, Is.All.GreaterThanOrEqualTo(0), "each step");
        Assert.That(positions, Is.Ordered, "in this order");
    }

    [Test]
    public void Script_IndexesDeliveriesAndIdempotencyKeysByCreation_ForTheRetentionJob() => Assert.Multiple(() =>
    {
        Assert.That(_script, Does.Contain("CREATE INDEX [ix_deliveries_created_at] ON [deliveries] ([created_at]);"));
        Assert.That(_script, Does.Contain("CREATE INDEX [ix_idempotency_keys_created_at] ON [idempotency_keys] ([created_at]);"));
    });

    [Test]
    public void Script_AddsTheClientsWebhookSecret_NullableUntilTheStartUpStepFillsIt() =>
        Assert.That(_script, Does.Contain("ALTER TABLE [clients] ADD [webhook_secret] varchar(1024) NULL;"));

    [Test]
    public void Script_CreatesOrganizationsBeforeTheTablesThatReferenceIt()
    {
        var organizations = _script.IndexOf("CREATE TABLE [organizations]", StringComparison.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(organizations, Is.GreaterThanOrEqualTo(0));
            Assert.That(_script.IndexOf("CREATE TABLE [api_keys]", StringComparison.Ordinal), Is.GreaterThan(organizations));
            Assert.That(_script.IndexOf("CREATE TABLE [webhook_endpoints]", StringComparison.Ordinal), Is.GreaterThan(organizations));
            Assert.That(_script.IndexOf("CREATE TABLE [idempotency_keys]", StringComparison.Ordinal), Is.GreaterThan(organizations));
        });
    }

    [Test]
    public void Script_RecordsEveryMigrationInTheHistoryTable()
    {
        using var context = TestData.NewSqlServerContext();
        var migrations = context.Database.GetMigrations().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(_script, Does.Contain("CREATE TABLE [__ef_migrations_history]"));
            Assert.That(_script, Does.Not.Contain("__EFMigrationsHistory"));
            foreach (var migration in migrations)
            {
                Assert.That(
                    Normalized(_script),
                    Does.Contain($"INSERT INTO [__ef_migrations_history] ([MigrationId], [ProductVersion]) VALUES (N'{migration}', N'{EfCoreVersion}');"),
                    migration);
            }
        });
    }

    [Test]
    public void IdempotentScript_GuardsEachMigrationByTheHistoryTable()
    {
        using var context = TestData.NewSqlServerContext();
        var migrations = context.Database.GetMigrations().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(_idempotentScript, Does.Contain("IF OBJECT_ID(N'[__ef_migrations_history]') IS NULL"));
            Assert.That(_idempotentScript, Does.Contain("CREATE TABLE [organizations]"));
            Assert.That(_idempotentScript, Does.Contain("CREATE UNIQUE INDEX [ux_api_keys_key_hash]"));
            foreach (var migration in migrations)
            {
                Assert.That(
                    Normalized(_idempotentScript),
                    Does.Contain($"IF NOT EXISTS ( SELECT * FROM [__ef_migrations_history] WHERE [MigrationId] = N'{migration}' )"),
                    migration);
            }
        });
    }

    private static string Normalized(string sql) => Regex.Replace(sql, @"\s+", " ");

    private static string CreateTable(string script, string table)
    {
        var match = Regex.Match(script, $@"CREATE TABLE \[{table}\] \((?<body>.*?)\n\);", RegexOptions.Singleline);
        Assert.That(match.Success, Is.True, $"no CREATE TABLE [{table}] in the script:\n{script}");
        return Regex.Replace(match.Groups["body"].Value, @"\s+", " ");
    }
}
