using System.Data;
using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Webhooks;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Tests.Support;

namespace Webhooks.Infrastructure.Tests.Persistence.SqlServer;

/// <summary>
/// What EF Core generates for SQL Server, generated offline: the migration script and query SQL.
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

    [Test]
    public void Script_CreatesOrganizations()
    {
        var table = CreateTable(_script, "organizations");

        Assert.Multiple(() =>
        {
            Assert.That(table, Does.Contain("[id] uniqueidentifier NOT NULL"));
            Assert.That(table, Does.Contain("[name] nvarchar(200) NOT NULL"));
            Assert.That(table, Does.Contain("[created_at] datetimeoffset NOT NULL"));
            Assert.That(table, Does.Contain("CONSTRAINT [PK_organizations] PRIMARY KEY ([id])"));
        });
    }

    [Test]
    public void Script_CreatesApiKeys()
    {
        var table = CreateTable(_script, "api_keys");

        Assert.Multiple(() =>
        {
            Assert.That(table, Does.Contain("[id] uniqueidentifier NOT NULL"));
            Assert.That(table, Does.Contain("[org_id] uniqueidentifier NOT NULL"));
            Assert.That(table, Does.Contain("[name] nvarchar(200) NULL"));
            Assert.That(table, Does.Contain("[key_hash] char(64) NOT NULL"));
            Assert.That(table, Does.Contain("[scopes] nvarchar(max) NOT NULL"));
            Assert.That(table, Does.Contain("[created_at] datetimeoffset NOT NULL"));
            Assert.That(table, Does.Contain("[revoked_at] datetimeoffset NULL"));
            Assert.That(table, Does.Contain("CONSTRAINT [PK_api_keys] PRIMARY KEY ([id])"));
            Assert.That(
                table,
                Does.Contain("CONSTRAINT [FK_api_keys_organizations_org_id] FOREIGN KEY ([org_id]) REFERENCES [organizations] ([id]) ON DELETE NO ACTION"));
        });
    }

    [Test]
    public void Script_CreatesWebhookEndpoints()
    {
        var table = CreateTable(_script, "webhook_endpoints");

        Assert.Multiple(() =>
        {
            Assert.That(table, Does.Contain("[id] uniqueidentifier NOT NULL"));
            Assert.That(table, Does.Contain("[org_id] uniqueidentifier NOT NULL"));
            Assert.That(table, Does.Contain("[url] nvarchar(2048) NOT NULL"));
            Assert.That(table, Does.Contain("[description] nvarchar(400) NULL"));
            Assert.That(table, Does.Contain("[events] nvarchar(max) NOT NULL"));
            Assert.That(table, Does.Contain("[active] bit NOT NULL"));
            Assert.That(table, Does.Contain("[api_version] nvarchar(32) NOT NULL"));
            Assert.That(table, Does.Contain("[created_at] datetimeoffset NOT NULL"));
            Assert.That(table, Does.Contain("[updated_at] datetimeoffset NOT NULL"));
            Assert.That(table, Does.Contain("[deleted_at] datetimeoffset NULL"));
            Assert.That(table, Does.Contain("[revision] int NOT NULL"));
            Assert.That(table, Does.Contain("[signing_secret] varchar(1024) NOT NULL"));
            Assert.That(table, Does.Contain("[list_position] char(36) NOT NULL"));
            Assert.That(table, Does.Contain("CONSTRAINT [PK_webhook_endpoints] PRIMARY KEY ([id])"));
            Assert.That(
                table,
                Does.Contain("CONSTRAINT [FK_webhook_endpoints_organizations_org_id] FOREIGN KEY ([org_id]) REFERENCES [organizations] ([id]) ON DELETE NO ACTION"));
        });
    }

    [Test]
    public void Script_CreatesIdempotencyKeys()
    {
        var table = CreateTable(_script, "idempotency_keys");

        Assert.Multiple(() =>
        {
            Assert.That(table, Does.Contain("[org_id] uniqueidentifier NOT NULL"));
            Assert.That(table, Does.Contain("[key] varchar(255) COLLATE Latin1_General_100_BIN2 NOT NULL"), "keys are case-sensitive, as on SQLite");
            Assert.That(table, Does.Contain("[request_hash] char(64) NOT NULL"));
            Assert.That(table, Does.Contain("[response] varchar(max) NOT NULL"));
            Assert.That(table, Does.Contain("[created_at] datetimeoffset NOT NULL"));
            Assert.That(table, Does.Contain("CONSTRAINT [PK_idempotency_keys] PRIMARY KEY ([org_id], [key])"));
            Assert.That(
                table,
                Does.Contain("CONSTRAINT [FK_idempotency_keys_organizations_org_id] FOREIGN KEY ([org_id]) REFERENCES [organizations] ([id]) ON DELETE CASCADE"));
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
                    Assert.That(
                        created.Groups["body"].Value,
                        Does.Contain($"[{column.Name}] {column.StoreType} {(column.Collation is null ? string.Empty : $"COLLATE {column.Collation} ")}{(column.IsNullable ? "NULL" : "NOT NULL")}"),
                        $"[{table.Name}].[{column.Name}]");
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
        });
    }

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

    [Test]
    public void LookupQuery_FiltersByIdOrganizationAndNotDeleted()
    {
        using var context = TestData.NewSqlServerContext();
        var id = Guid.CreateVersion7();
        var orgId = Guid.CreateVersion7();

        // The same predicate WebhookEndpointRepository.GetAsync uses.
        var sql = context.Set<WebhookEndpoint>()
            .Where(e => e.Id == id && e.OrgId == orgId && e.DeletedAt == null)
            .Take(1)
            .ToQueryString();

        AssertLookupSql(sql);
    }

    [Test]
    public void ArrayContainsQuery_IsAnInListOfParameters()
    {
        // Compiled by C# 14 (array.Contains binds to MemoryExtensions.Contains over a span), which
        // EF Core 6 could not run; EF Core 10 sends one parameter per item.
        using var context = TestData.NewSqlServerContext();
        Guid[] ids = [Guid.CreateVersion7(), Guid.CreateVersion7()];

        var sql = Normalized(context.Set<WebhookEndpoint>().Where(e => ids.Contains(e.Id)).Select(e => e.Id).ToQueryString());

        Assert.That(sql, Does.Match(@"SELECT \[w\]\.\[id\] FROM \[webhook_endpoints\] AS \[w\] WHERE \[w\]\.\[id\] IN \(@\w+, @\w+\)$"));
    }

    [Test]
    public async Task Repository_GetAsync_SendsTheLookupQuery([Values] bool untracked)
    {
        // Runs the real repository against the SQL Server provider; an interceptor stops the
        // connection from opening and answers the command with no rows, so the SQL it would
        // send is captured offline.
        var capture = new CapturedCommands();
        using var temp = new TempFolder();
        await using var services = TestData.BuildServices(
            temp.Path,
            new Dictionary<string, string?>
            {
                ["Database:Provider"] = "SqlServer",
                ["ConnectionStrings:Webhooks"] = TestData.DummySqlServerConnectionString,
            },
            s => s.AddSingleton(provider => new DbContextOptionsBuilder<SqlServerWebhooksDbContext>()
                .UseSqlServer(TestData.DummySqlServerConnectionString, PersistenceSetup.SqlServerOptions)
                .AddInterceptors(new NoConnection(), capture)
                .Options));
        await using var scope = services.CreateAsyncScope();
        Assert.That(scope.ServiceProvider.GetRequiredService<WebhooksDbContext>(), Is.InstanceOf<SqlServerWebhooksDbContext>());

        var repository = scope.ServiceProvider.GetRequiredService<IWebhookEndpointRepository>();
        var found = untracked
            ? await repository.ReadAsync(Guid.CreateVersion7(), Guid.CreateVersion7(), CancellationToken.None)
            : await repository.GetAsync(Guid.CreateVersion7(), Guid.CreateVersion7(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.Null);
            Assert.That(capture.Commands, Has.Count.EqualTo(1));
        });
        AssertLookupSql(capture.Commands[0]);
    }

    [Test]
    public async Task Repository_ListAsync_FirstPage_SeeksTheOrganizationsNewestByListPosition()
    {
        var orgId = Guid.CreateVersion7();
        var (commands, parameters) = await CaptureListAsync(orgId, afterId: null, take: 21);

        Assert.That(commands, Has.Count.EqualTo(1));
        var sql = Normalized(commands[0]);
        Assert.Multiple(() =>
        {
            Assert.That(sql, Does.Match(@"SELECT TOP\(@\w+\) "));
            Assert.That(sql, Does.Contain("FROM [webhook_endpoints] AS [w]"));
            Assert.That(sql, Does.Match(@"WHERE \(?\[w\]\.\[org_id\] = @\w+\)? AND \(?\[w\]\.\[deleted_at\] IS NULL\)?"));
            Assert.That(sql, Does.Contain("ORDER BY [w].[list_position] DESC"));
            Assert.That(sql, Does.Not.Contain("[w].[list_position] <"), "the first page has no lower bound");
            Assert.That(sql, Does.Not.Contain("OFFSET").And.Not.Contain("ROW_NUMBER").And.Not.Contain("FETCH"));
            Assert.That(parameters.Select(p => p.Value), Does.Contain(21).And.Contain(orgId));
        });
    }

    [Test]
    public async Task Repository_ListAsync_NextPage_IsAKeysetQueryOnListPositionWithoutOffset()
    {
        var orgId = Guid.CreateVersion7();
        var afterId = Guid.Parse("0196f0c1-2d3e-7f40-8a1b-2c3d4e5f6a7b");
        var (commands, parameters) = await CaptureListAsync(orgId, afterId, take: 6);

        Assert.That(commands, Has.Count.EqualTo(1));
        var sql = Normalized(commands[0]);
        var position = parameters.SingleOrDefault(p => p.Value is string);
        Assert.Multiple(() =>
        {
            Assert.That(sql, Does.Match(@"SELECT TOP\(@\w+\) "));
            Assert.That(sql, Does.Match(@"\[w\]\.\[org_id\] = @\w+"));
            Assert.That(sql, Does.Contain("[w].[deleted_at] IS NULL"));
            Assert.That(sql, Does.Match(@"\[w\]\.\[list_position\] < @\w+"));
            Assert.That(sql, Does.Contain("ORDER BY [w].[list_position] DESC"));
            Assert.That(sql, Does.Not.Contain("OFFSET").And.Not.Contain("ROW_NUMBER").And.Not.Contain("FETCH"));
            Assert.That(position, Is.Not.Null, "the position is sent as a parameter");
            Assert.That(position?.Value, Is.EqualTo("0196f0c1-2d3e-7f40-8a1b-2c3d4e5f6a7b"));
        });
    }

    [Test]
    public async Task Repository_ListAsync_SendsThePositionAsNonUnicodeText_SoTheIndexCanBeSought()
    {
        // An nvarchar parameter against the char(36) column would make SQL Server convert the
        // column on every row (an index scan whose cost grows with the rows skipped).
        var (_, parameters) = await CaptureListAsync(Guid.CreateVersion7(), Guid.CreateVersion7(), take: 6);

        var position = parameters.Single(p => p.Value is string);
        Assert.That(position.DbType, Is.EqualTo(DbType.AnsiStringFixedLength).Or.EqualTo(DbType.AnsiString));
    }

    [Test]
    public void ListQuery_ToQueryString_UsesListPositionAndNoOffset()
    {
        using var context = TestData.NewSqlServerContext();
        var orgId = Guid.CreateVersion7();
        var position = Guid.CreateVersion7().ToString("D");

        // The query WebhookEndpointRepository.ListAsync builds for a next page.
        var sql = context.Set<WebhookEndpoint>().AsNoTracking()
            .Where(e => e.OrgId == orgId && e.DeletedAt == null)
            .Where(e => EF.Property<string>(e, "ListPosition").CompareTo(position) < 0)
            .OrderByDescending(e => EF.Property<string>(e, "ListPosition"))
            .Take(5)
            .ToQueryString();

        Assert.Multiple(() =>
        {
            Assert.That(sql, Does.Contain("[w].[list_position] < @"));
            Assert.That(sql, Does.Contain("ORDER BY [w].[list_position] DESC"));
            Assert.That(sql, Does.Not.Contain("OFFSET"));
        });
    }

    private static async Task<(List<string> Commands, List<DbParameter> Parameters)> CaptureListAsync(Guid orgId, Guid? afterId, int take)
    {
        var capture = new CapturedCommands();
        using var temp = new TempFolder();
        await using var services = TestData.BuildServices(
            temp.Path,
            new Dictionary<string, string?>
            {
                ["Database:Provider"] = "SqlServer",
                ["ConnectionStrings:Webhooks"] = TestData.DummySqlServerConnectionString,
            },
            s => s.AddSingleton(provider => new DbContextOptionsBuilder<SqlServerWebhooksDbContext>()
                .UseSqlServer(TestData.DummySqlServerConnectionString, PersistenceSetup.SqlServerOptions)
                .AddInterceptors(new NoConnection(), capture)
                .Options));
        await using var scope = services.CreateAsyncScope();

        var items = await scope.ServiceProvider.GetRequiredService<IWebhookEndpointRepository>().ListAsync(orgId, afterId, take, CancellationToken.None);

        Assert.That(items, Is.Empty);
        return (capture.Commands, capture.Parameters);
    }

    private static void AssertLookupSql(string sql)
    {
        var normalized = Normalized(sql);
        var where = normalized[(normalized.IndexOf(" WHERE ", StringComparison.Ordinal) + 1)..].Replace("(", string.Empty, StringComparison.Ordinal).Replace(")", string.Empty, StringComparison.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(normalized, Does.Match(@"SELECT TOP\((1|@\w+)\) "));
            Assert.That(normalized, Does.Contain("FROM [webhook_endpoints] AS [w] WHERE"));
            Assert.That(where, Does.Match(@"^WHERE \[w\]\.\[id\] = @\w+ AND \[w\]\.\[org_id\] = @\w+ AND \[w\]\.\[deleted_at\] IS NULL;?$"));
            Assert.That(normalized, Does.Contain("[w].[url]").And.Contain("[w].[events]").And.Contain("[w].[description]"));
        });
    }

    private static string Normalized(string sql) => Regex.Replace(sql, @"\s+", " ");

    private static string CreateTable(string script, string table)
    {
        var match = Regex.Match(script, $@"CREATE TABLE \[{table}\] \((?<body>.*?)\n\);", RegexOptions.Singleline);
        Assert.That(match.Success, Is.True, $"no CREATE TABLE [{table}] in the script:\n{script}");
        return Regex.Replace(match.Groups["body"].Value, @"\s+", " ");
    }

    /// <summary>Keeps the connection from opening, so that nothing reaches the network.</summary>
    private sealed class NoConnection : DbConnectionInterceptor
    {
        public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
            InterceptionResult.Suppress();

        public override ValueTask<InterceptionResult> ConnectionOpeningAsync(
            DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(InterceptionResult.Suppress());

        public override InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
            InterceptionResult.Suppress();

        public override ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
            ValueTask.FromResult(InterceptionResult.Suppress());
    }

    /// <summary>Records each query's SQL and answers it with no rows instead of sending it.</summary>
    private sealed class CapturedCommands : DbCommandInterceptor
    {
        public List<string> Commands { get; } = [];

        public List<DbParameter> Parameters { get; } = [];

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Commands.Add(command.CommandText);
            Parameters.AddRange(command.Parameters.Cast<DbParameter>());
            return InterceptionResult<DbDataReader>.SuppressWithResult(EmptyReader());
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Add(command.CommandText);
            Parameters.AddRange(command.Parameters.Cast<DbParameter>());
            return ValueTask.FromResult(InterceptionResult<DbDataReader>.SuppressWithResult(EmptyReader()));
        }

        /// <summary>
        /// No rows, but enough columns: with retries on failure (<c>EnableRetryOnFailure</c>) EF Core
        /// buffers each result and first checks that the reader has at least the columns it projects.
        /// </summary>
        private static DbDataReader EmptyReader()
        {
            var table = new DataTable();
            for (var i = 0; i < 64; i++)
            {
                table.Columns.Add("c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), typeof(object));
            }

            return table.CreateDataReader();
        }
    }
}
