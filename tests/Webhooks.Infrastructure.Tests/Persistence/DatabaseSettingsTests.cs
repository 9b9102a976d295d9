using Microsoft.Extensions.Configuration;
using Webhooks.Application.Common.Ports;
using Webhooks.Infrastructure.Persistence.WritePath;

namespace Webhooks.Infrastructure.Tests.Persistence;

[TestFixture]
public sealed class DatabaseSettingsTests
{
    private static readonly string ContentRoot = Path.Combine(Path.GetTempPath(), "webhooks-content-root");

    [Test]
    public void From_NothingConfigured_IsSqliteUnderDataInTheContentRoot()
    {
        var settings = DatabaseSettings.From(Configuration(), ContentRoot);

        Assert.Multiple(() =>
        {
            Assert.That(settings.Provider, Is.EqualTo(DatabaseProvider.Sqlite));
            Assert.That(DataSource(settings), Is.EqualTo(Path.Combine(ContentRoot, "data", "webhooks.db")));
        });
    }

    [Test]
    public void From_RelativeSqliteFile_IsResolvedUnderTheContentRoot()
    {
        var settings = DatabaseSettings.From(Configuration(("ConnectionStrings:Webhooks", "Data Source=db/other.db;Cache=Shared")), ContentRoot);

        Assert.Multiple(() =>
        {
            Assert.That(settings.Provider, Is.EqualTo(DatabaseProvider.Sqlite));
            Assert.That(DataSource(settings), Is.EqualTo(Path.Combine(ContentRoot, "db", "other.db")));
            Assert.That(new SqliteConnectionStringBuilder(settings.ConnectionString).Cache, Is.EqualTo(SqliteCacheMode.Shared), "other keywords are kept");
        });
    }

    [Test]
    public void From_AbsoluteSqliteFile_IsKept()
    {
        var file = Path.Combine(Path.GetTempPath(), "elsewhere", "webhooks.db");

        var settings = DatabaseSettings.From(Configuration(("ConnectionStrings:Webhooks", $"Data Source={file}")), ContentRoot);

        Assert.That(DataSource(settings), Is.EqualTo(file));
    }

    [Test]
    public void From_InMemorySqlite_IsKept()
    {
        var settings = DatabaseSettings.From(Configuration(("ConnectionStrings:Webhooks", "Data Source=:memory:")), ContentRoot);

        Assert.That(DataSource(settings), Is.EqualTo(":memory:"));
    }

    [TestCase("SqlServer")]
    [TestCase("sqlserver")]
    [TestCase("SQLSERVER")]
    public void From_SqlServer_IsCaseInsensitiveAndKeepsTheConnectionString(string provider)
    {
        var settings = DatabaseSettings.From(
            Configuration(("Database:Provider", provider), ("ConnectionStrings:Webhooks", TestData.DummySqlServerConnectionString)),
            ContentRoot);

        Assert.Multiple(() =>
        {
            Assert.That(settings.Provider, Is.EqualTo(DatabaseProvider.SqlServer));
            Assert.That(settings.ConnectionString, Is.EqualTo(TestData.DummySqlServerConnectionString));
        });
    }

    [TestCase("Sqlite")]
    [TestCase("sqlite")]
    [TestCase("SQLITE")]
    public void From_Sqlite_IsCaseInsensitive(string provider)
    {
        var settings = DatabaseSettings.From(Configuration(("Database:Provider", provider)), ContentRoot);

        Assert.Multiple(() =>
        {
            Assert.That(settings.Provider, Is.EqualTo(DatabaseProvider.Sqlite));
            Assert.That(DataSource(settings), Is.EqualTo(Path.Combine(ContentRoot, "data", "webhooks.db")));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public void From_SqlServerWithoutConnectionString_Throws(string? connectionString)
    {
        var configuration = Configuration(("Database:Provider", "SqlServer"), ("ConnectionStrings:Webhooks", connectionString));

        var error = Assert.Throws<InvalidOperationException>(() => DatabaseSettings.From(configuration, ContentRoot));

        Assert.That(error!.Message, Does.Contain("ConnectionStrings:Webhooks"));
    }

    [TestCase("Postgre")]
    [TestCase("pgsql")]
    [TestCase("mysql")]
    [TestCase("Sql Server")]
    public void From_UnknownProvider_Throws(string provider)
    {
        var error = Assert.Throws<InvalidOperationException>(() => DatabaseSettings.From(Configuration(("Database:Provider", provider)), ContentRoot));

        Assert.That(error!.Message, Is.EqualTo($"Database:Provider must be Sqlite, SqlServer or Postgres, not '{provider}'."));
    }

    [TestCase("Postgres")]
    [TestCase("postgres")]
    [TestCase("PostgreSQL")]
    [TestCase(" POSTGRESQL ")]
    public void From_Postgres_IsCaseInsensitive_AcceptsPostgreSql_AndKeepsTheConnectionString(string provider)
    {
        var settings = DatabaseSettings.From(
            Configuration(("Database:Provider", provider), ("ConnectionStrings:Webhooks", TestData.DummyPostgresConnectionString)),
            ContentRoot);

        Assert.Multiple(() =>
        {
            Assert.That(settings.Provider, Is.EqualTo(DatabaseProvider.Postgres));
            Assert.That(settings.ConnectionString, Is.EqualTo(TestData.DummyPostgresConnectionString));
        });
    }

    [TestCase(null)]
    [TestCase("  ")]
    public void From_PostgresWithoutConnectionString_Throws(string? connectionString)
    {
        var configuration = Configuration(("Database:Provider", "Postgres"), ("ConnectionStrings:Webhooks", connectionString));

        var error = Assert.Throws<InvalidOperationException>(() => DatabaseSettings.From(configuration, ContentRoot));

        Assert.That(error!.Message, Is.EqualTo("Database:Provider is Postgres but ConnectionStrings:Webhooks is not set."));
    }

    [TestCase("1")]
    [TestCase("42")]
    [TestCase("Sqlite,SqlServer")]
    public void From_ProviderThatIsNotAName_Throws(string provider)
    {
        // Only the two names are documented; a number or a flags list is a mistake, not a choice.
        var configuration = Configuration(("Database:Provider", provider), ("ConnectionStrings:Webhooks", TestData.DummySqlServerConnectionString));

        Assert.Throws<InvalidOperationException>(() => DatabaseSettings.From(configuration, ContentRoot));
    }

    /// <summary>A server provider's context, its straight-through write path (no queue) and its claims, from the settings alone.</summary>
    [TestCase("sqlserver", TestData.DummySqlServerConnectionString, typeof(SqlServerWebhooksDbContext), typeof(SqlServerWritePath), typeof(Infrastructure.Deliveries.SqlServerDeliveryClaims))]
    [TestCase("PostgreSQL", TestData.DummyPostgresConnectionString, typeof(PostgresWebhooksDbContext), typeof(PostgresWritePath), typeof(Infrastructure.Deliveries.PostgresDeliveryClaims))]
    public async Task AddPersistence_ServerProvider_ResolvesItsContextWritePathAndClaims(
        string provider, string connectionString, Type contextType, Type writePathType, Type claimsType)
    {
        await using var services = TestData.BuildServices(
            ContentRoot,
            new Dictionary<string, string?> { ["Database:Provider"] = provider, ["ConnectionStrings:Webhooks"] = connectionString });
        await using var scope = services.CreateAsyncScope();

        Assert.Multiple(() =>
        {
            Assert.That(scope.ServiceProvider.GetRequiredService<WebhooksDbContext>(), Is.InstanceOf(contextType));
            Assert.That(scope.ServiceProvider.GetRequiredService<IUnitOfWork>(), Is.InstanceOf<UnitOfWork>());
            Assert.That(scope.ServiceProvider.GetRequiredService<IDatabaseWritePath>(), Is.InstanceOf(writePathType));
            Assert.That(scope.ServiceProvider.GetRequiredService<Infrastructure.Deliveries.DeliveryClaims>(), Is.InstanceOf(claimsType));
        });
    }

    [Test]
    public async Task AddPersistence_Default_ResolvesTheSqliteContext()
    {
        await using var services = TestData.BuildServices(ContentRoot, new Dictionary<string, string?>());
        await using var scope = services.CreateAsyncScope();

        var context = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();

        Assert.That(context, Is.InstanceOf<SqliteWebhooksDbContext>());
    }

    private static IConfiguration Configuration(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();

    private static string DataSource(DatabaseSettings settings) => new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource;

    [TestCase(null, 3.0)]
    [TestCase("1", 1.0)]
    [TestCase(" 0.5 ", 0.5)]
    [TestCase("60", 60.0)]
    public void Settings_ReadTheReadyWriteTimeout(string? configured, double expectedSeconds)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Database:ReadyWriteTimeoutSeconds"] = configured }).Build();

        Assert.That(DatabaseSettings.From(configuration, ContentRoot).ReadyWriteTimeout, Is.EqualTo(TimeSpan.FromSeconds(expectedSeconds)));
    }

    [TestCase("0")]
    [TestCase("-1")]
    [TestCase("61")]
    [TestCase("three")]
    public void Settings_RefuseAReadyWriteTimeoutOutOfRange(string configured)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Database:ReadyWriteTimeoutSeconds"] = configured }).Build();

        Assert.That(() => DatabaseSettings.From(configuration, ContentRoot),
            Throws.InvalidOperationException.With.Message.Contains("Database:ReadyWriteTimeoutSeconds"));
    }

    [Test]
    public void Settings_RefuseAnUnknownSynchronousSetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Database:SqliteSynchronous"] = "OFF" }).Build();

        Assert.That(() => DatabaseSettings.From(configuration, ContentRoot),
            Throws.InvalidOperationException.With.Message.Contains("Database:SqliteSynchronous"));
    }
}
