using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace Webhooks.Infrastructure.Tests.Persistence;

/// <summary>
/// For each provider: the committed migrations (their model snapshot) describe the current model,
/// so that no change to the model was left without a migration. Nothing here opens a connection.
/// </summary>
[TestFixture]
public sealed class MigrationsModelTests : TempFolderTests
{
    [Test]
    public void Sqlite_ModelHasNoChangesMissingFromItsMigrations()
    {
        using var context = TestData.NewSqliteContext(Temp.File("model.db"));

        AssertNoPendingModelChanges(context);
        Assert.That(File.Exists(Temp.File("model.db")), Is.False, "comparing models must not create the database");
    }

    [Test]
    public void SqlServer_ModelHasNoChangesMissingFromItsMigrations()
    {
        using var context = TestData.NewSqlServerContext();

        AssertNoPendingModelChanges(context);
    }

    [Test]
    public void Postgres_ModelHasNoChangesMissingFromItsMigrations()
    {
        using var context = TestData.NewPostgresContext();

        AssertNoPendingModelChanges(context);
    }

    [Test]
    public void EachProvider_FindsOnlyItsOwnMigrations()
    {
        using var sqlite = TestData.NewSqliteContext(Temp.File("model.db"));
        using var sqlServer = TestData.NewSqlServerContext();
        using var postgres = TestData.NewPostgresContext();

        var sqliteMigrations = sqlite.Database.GetMigrations().ToList();
        var sqlServerMigrations = sqlServer.Database.GetMigrations().ToList();
        var postgresMigrations = postgres.Database.GetMigrations().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(sqliteMigrations, Is.Not.Empty, "SQLite migrations");
            Assert.That(sqlServerMigrations, Is.Not.Empty, "SQL Server migrations");
            Assert.That(postgresMigrations, Is.Not.Empty, "PostgreSQL migrations");
            Assert.That(sqliteMigrations.Intersect(sqlServerMigrations), Is.Empty, "a migration is shared by SQLite and SQL Server");
            Assert.That(postgresMigrations.Intersect(sqliteMigrations.Concat(sqlServerMigrations)), Is.Empty, "a migration is shared with PostgreSQL");
            Assert.That(MigrationTypes(sqlite).Select(t => t.Namespace), Is.All.EqualTo("Webhooks.Infrastructure.Persistence.Migrations.Sqlite"));
            Assert.That(MigrationTypes(sqlServer).Select(t => t.Namespace), Is.All.EqualTo("Webhooks.Infrastructure.Persistence.Migrations.SqlServer"));
            Assert.That(MigrationTypes(postgres).Select(t => t.Namespace), Is.All.EqualTo("Webhooks.Infrastructure.Persistence.Migrations.Postgres"));
            Assert.That(new[] { SnapshotType(sqlite), SnapshotType(sqlServer), SnapshotType(postgres) }, Is.Unique, "each provider needs its own model snapshot");
        });
    }

    [Test]
    public void EachProvider_SnapshotUsesItsOwnColumnTypes()
    {
        // Guards the model-difference tests themselves: were both snapshots the same, a missing
        // provider-specific difference could go unnoticed.
        using var sqlite = TestData.NewSqliteContext(Temp.File("model.db"));
        using var sqlServer = TestData.NewSqlServerContext();
        using var postgres = TestData.NewPostgresContext();

        var sqliteSnapshot = FinalizedSnapshot(sqlite);
        var sqlServerSnapshot = FinalizedSnapshot(sqlServer);
        var postgresSnapshot = FinalizedSnapshot(postgres);

        Assert.Multiple(() =>
        {
            Assert.That(ColumnType(sqliteSnapshot, "webhook_endpoints", "created_at"), Is.EqualTo("INTEGER"));
            Assert.That(ColumnType(sqlServerSnapshot, "webhook_endpoints", "created_at"), Is.EqualTo("datetimeoffset"));
            Assert.That(ColumnType(sqlServerSnapshot, "api_keys", "key_hash"), Is.EqualTo("char(64)"));
            Assert.That(ColumnType(sqliteSnapshot, "webhook_endpoints", "list_position"), Is.EqualTo("TEXT"));
            Assert.That(ColumnType(sqlServerSnapshot, "webhook_endpoints", "list_position"), Is.EqualTo("char(36)"));
            Assert.That(ColumnType(sqliteSnapshot, "webhook_endpoints", "revision"), Is.EqualTo("INTEGER"));
            Assert.That(ColumnType(sqlServerSnapshot, "webhook_endpoints", "revision"), Is.EqualTo("int"));
            Assert.That(ColumnType(sqlServerSnapshot, "webhook_endpoints", "signing_secret"), Is.EqualTo("varchar(1024)"));
            Assert.That(ColumnType(sqlServerSnapshot, "idempotency_keys", "response"), Is.EqualTo("varchar(max)"));
            Assert.That(ColumnType(postgresSnapshot, "webhook_endpoints", "created_at"), Is.EqualTo("timestamp with time zone"));
            Assert.That(ColumnType(postgresSnapshot, "deliveries", "next_attempt_at"), Is.EqualTo("timestamp with time zone"));
            Assert.That(ColumnType(postgresSnapshot, "webhook_endpoints", "id"), Is.EqualTo("uuid"));
            Assert.That(ColumnType(postgresSnapshot, "api_keys", "key_hash"), Is.EqualTo("character(64)"));
            Assert.That(ColumnType(postgresSnapshot, "webhook_endpoints", "list_position"), Is.EqualTo("character(36)"));
            Assert.That(ColumnType(postgresSnapshot, "webhook_endpoints", "revision"), Is.EqualTo("integer"));
            Assert.That(ColumnType(postgresSnapshot, "idempotency_keys", "response"), Is.EqualTo("text"));
        });
    }

    [Test]
    public void Postgres_SnapshotOrdersEveryListPositionByBytes()
    {
        using var postgres = TestData.NewPostgresContext();

        var positions = FinalizedSnapshot(postgres).GetRelationalModel().Tables
            .Select(table => table.FindColumn("list_position"))
            .OfType<IColumn>()
            .ToList();

        Assert.That(positions.Select(c => c.Table.Name), Is.EquivalentTo(new[] { "webhook_endpoints", "events", "deliveries", "webhook_endpoint_history" }));
        Assert.That(positions.Select(c => c.Collation), Is.All.EqualTo(PostgresWebhooksDbContext.ListPositionCollation));
    }

    [Test]
    public void EachProvider_ModelMakesRevisionTheConcurrencyTokenAndListPositionAShadowColumn()
    {
        using var sqlite = TestData.NewSqliteContext(Temp.File("model.db"));
        using var sqlServer = TestData.NewSqlServerContext();
        using var postgres = TestData.NewPostgresContext();

        Assert.Multiple(() =>
        {
            foreach (DbContext context in new DbContext[] { sqlite, sqlServer, postgres })
            {
                var endpoint = context.Model.FindEntityType(typeof(Domain.Webhooks.WebhookEndpoint))!;
                var revision = endpoint.FindProperty(nameof(Domain.Webhooks.WebhookEndpoint.Revision))!;
                var position = endpoint.FindProperty("ListPosition");
                Assert.That(revision.IsConcurrencyToken, Is.True, context.GetType().Name);
                Assert.That(position, Is.Not.Null, context.GetType().Name);
                Assert.That(position!.IsShadowProperty(), Is.True, context.GetType().Name);
                Assert.That(
                    endpoint.GetIndexes().Select(i => string.Join(",", i.Properties.Select(p => p.Name))),
                    Does.Contain("OrgId,ListPosition"),
                    context.GetType().Name);
            }
        });
    }

    [Test]
    public void EachProvider_SnapshotHoldsTheLifecycleSchema()
    {
        using var sqlite = TestData.NewSqliteContext(Temp.File("model.db"));
        using var sqlServer = TestData.NewSqlServerContext();
        using var postgres = TestData.NewPostgresContext();

        Assert.Multiple(() =>
        {
            foreach (var snapshot in new[] { FinalizedSnapshot(sqlite), FinalizedSnapshot(sqlServer), FinalizedSnapshot(postgres) })
            {
                var relational = snapshot.GetRelationalModel();
                var endpoints = relational.FindTable("webhook_endpoints", schema: null)!;
                var idempotency = relational.FindTable("idempotency_keys", schema: null);
                Assert.That(endpoints.FindColumn("revision"), Is.Not.Null);
                Assert.That(endpoints.FindColumn("signing_secret")?.IsNullable, Is.False);
                Assert.That(endpoints.FindColumn("list_position")?.IsNullable, Is.False);
                Assert.That(
                    endpoints.Indexes.Select(i => i.Name + "(" + string.Join(",", i.Columns.Select(c => c.Name)) + ")"),
                    Does.Contain("ix_webhook_endpoints_org_id_list_position(org_id,list_position)"));
                Assert.That(idempotency, Is.Not.Null);
                Assert.That(idempotency?.PrimaryKey?.Columns.Select(c => c.Name), Is.EqualTo(new[] { "org_id", "key" }));
            }
        });
    }

    private static void AssertNoPendingModelChanges(DbContext context)
    {
        var snapshot = FinalizedSnapshot(context);
        var differ = context.GetService<IMigrationsModelDiffer>();
        var current = context.GetService<IDesignTimeModel>().Model.GetRelationalModel();

        var differences = differ.GetDifferences(snapshot.GetRelationalModel(), current);

        Assert.That(
            context.Database.HasPendingModelChanges(),
            Is.False,
            $"{context.GetType().Name}: the model has changes that no migration holds; add a migration for this provider. Differences: "
                + string.Join("; ", differences.Select(Describe)));
    }

    private static IModel FinalizedSnapshot(DbContext context)
    {
        var snapshot = context.GetService<IMigrationsAssembly>().ModelSnapshot;
        Assert.That(snapshot, Is.Not.Null, $"{context.GetType().Name} has no model snapshot");
        IModel model = snapshot!.Model;
        if (model is IMutableModel mutable)
        {
            model = mutable.FinalizeModel();
        }

        return context.GetService<IModelRuntimeInitializer>().Initialize(model, designTime: true, validationLogger: null);
    }

    private static string? ColumnType(IModel model, string table, string column) =>
        model.GetRelationalModel().FindTable(table, schema: null)?.FindColumn(column)?.StoreType;

    private static IEnumerable<Type> MigrationTypes(DbContext context) =>
        context.GetService<IMigrationsAssembly>().Migrations.Values.Select(t => t.AsType());

    private static Type? SnapshotType(DbContext context) => context.GetService<IMigrationsAssembly>().ModelSnapshot?.GetType();

    private static string Describe(MigrationOperation operation) => operation switch
    {
        AddColumnOperation add => $"add column {add.Table}.{add.Name}",
        DropColumnOperation drop => $"drop column {drop.Table}.{drop.Name}",
        AlterColumnOperation alter => $"alter column {alter.Table}.{alter.Name}",
        CreateTableOperation create => $"create table {create.Name}",
        DropTableOperation drop => $"drop table {drop.Name}",
        CreateIndexOperation index => $"create index {index.Name}",
        DropIndexOperation index => $"drop index {index.Name}",
        _ => operation.GetType().Name,
    };
}
