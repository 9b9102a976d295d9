using Microsoft.Data.SqlClient;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Organizations;
using Webhooks.Application.Webhooks;

namespace Webhooks.Infrastructure.Tests.Persistence.SqlServer;

/// <summary>
/// Against a live SQL Server, only when <c>WEBHOOKS_TEST_SQLSERVER</c> holds a connection string
/// (to a server where the login may create databases); reported as skipped otherwise. Each test
/// migrates a fresh database with a random name and drops it afterwards.
/// </summary>
[TestFixture]
[Category("SqlServer")]
public sealed partial class LiveSqlServerTests
{
    public const string VariableName = "WEBHOOKS_TEST_SQLSERVER";

    private TempFolder _temp = null!;
    private ServiceProvider? _services;
    private string _connectionString = null!;
    private Dictionary<string, string?> _settings = null!;

    [SetUp]
    public void SetUp()
    {
        var server = Environment.GetEnvironmentVariable(VariableName);
        if (string.IsNullOrWhiteSpace(server))
        {
            Assert.Ignore($"set {VariableName} to run against a live SQL Server");
        }

        _connectionString = new SqlConnectionStringBuilder(server)
        {
            InitialCatalog = "webhooks_test_" + Guid.NewGuid().ToString("N")[..12],
        }.ConnectionString;
        _temp = new TempFolder();
        _settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "SqlServer",
            ["ConnectionStrings:Webhooks"] = _connectionString,
        };
        _services = TestData.BuildServices(_temp.Path, _settings);
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_services is null)
        {
            return;
        }

        try
        {
            await using var scope = _services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Database.EnsureDeletedAsync();
        }
        finally
        {
            await _services.DisposeAsync();
            _services = null;
            _temp.Dispose();
        }
    }

    [Test]
    public async Task Migrate_CreatesTheDatabaseAndAppliesEveryMigration()
    {
        await MigrateAsync();
        await MigrateAsync();

        await using var scope = _services!.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(db, Is.InstanceOf<SqlServerWebhooksDbContext>());
            Assert.That(await db.Database.GetPendingMigrationsAsync(), Is.Empty);
            Assert.That(await db.Database.GetAppliedMigrationsAsync(), Is.EqualTo(db.Database.GetMigrations()));
        });
    }

    [Test]
    public async Task WebhookEndpoint_RoundTrips()
    {
        await MigrateAsync();
        var organization = TestData.NewOrganization();
        var endpoint = TestData.NewEndpoint(organization.Id, "Billing alerts", "wallet.balance_zero", "subscription.past_due");
        var deleted = TestData.NewEndpoint(organization.Id);
        deleted.Delete(TestData.At(2026, 9, 9, 9, 9, 9));
        var key = TestData.NewApiKey(organization.Id, TestData.Hash('e'));
        key.Revoke(TestData.At(2026, 9, 9, 9, 9, 9));
        await using (var scope = _services!.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<IOrganizationRepository>().Add(organization);
            scope.ServiceProvider.GetRequiredService<IWebhookEndpointRepository>().Add(endpoint);
            scope.ServiceProvider.GetRequiredService<IWebhookEndpointRepository>().Add(deleted);
            scope.ServiceProvider.GetRequiredService<IApiKeyRepository>().Add(key);
            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        }

        await using (var scope = _services!.CreateAsyncScope())
        {
            var endpoints = scope.ServiceProvider.GetRequiredService<IWebhookEndpointRepository>();
            var loaded = await endpoints.GetAsync(endpoint.Id, organization.Id, CancellationToken.None);
            var found = await scope.ServiceProvider.GetRequiredService<IApiKeyRepository>().FindByHashAsync(TestData.Hash('e'), CancellationToken.None);
            Assert.That(loaded, Is.Not.Null);
            await Assert.MultipleAsync(async () =>
            {
                Assert.That(loaded!.Url.Value, Is.EqualTo(endpoint.Url.Value));
                Assert.That(loaded.Description?.Value, Is.EqualTo("Billing alerts"));
                Assert.That(loaded.Events, Is.EqualTo(new[] { "wallet.balance_zero", "subscription.past_due" }));
                Assert.That(loaded.Active, Is.False);
                Assert.That(loaded.CreatedAt, Is.EqualTo(endpoint.CreatedAt));
                Assert.That(loaded.DeletedAt, Is.Null);
                Assert.That(await endpoints.GetAsync(endpoint.Id, Guid.CreateVersion7(), CancellationToken.None), Is.Null);
                Assert.That(await endpoints.GetAsync(deleted.Id, organization.Id, CancellationToken.None), Is.Null);
                Assert.That(found?.IsRevoked, Is.True);
            });
        }

        await using (var scope = _services!.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<IApiKeyRepository>().Add(TestData.NewApiKey(organization.Id, TestData.Hash('e')));
            var conflict = Assert.ThrowsAsync<ConcurrencyConflictException>(() => scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None));
            Assert.That(conflict!.InnerException, Is.InstanceOf<DbUpdateException>(), "a unique violation is reported as a conflict (decision 0006)");
        }
    }

    [Test]
    public async Task ListAsync_IsNewestFirstByListPosition()
    {
        // SQL Server orders uniqueidentifier values by their last bytes first; the list must not.
        await MigrateAsync();
        var organization = TestData.NewOrganization();
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(2);
            ids.Add(Guid.CreateVersion7());
        }

        await using (var scope = _services!.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<IOrganizationRepository>().Add(organization);
            foreach (var id in new[] { ids[2], ids[0], ids[3], ids[1] })
            {
                scope.ServiceProvider.GetRequiredService<IWebhookEndpointRepository>().Add(TestData.NewEndpoint(id, organization.Id));
            }

            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        }

        await using (var scope = _services!.CreateAsyncScope())
        {
            var endpoints = scope.ServiceProvider.GetRequiredService<IWebhookEndpointRepository>();
            var all = await endpoints.ListAsync(organization.Id, null, 10, CancellationToken.None);
            var next = await endpoints.ListAsync(organization.Id, ids[3], 2, CancellationToken.None);
            Assert.Multiple(() =>
            {
                Assert.That(all.Select(e => e.Id), Is.EqualTo(new[] { ids[3], ids[2], ids[1], ids[0] }));
                Assert.That(next.Select(e => e.Id), Is.EqualTo(new[] { ids[2], ids[1] }));
            });
        }
    }

    private async Task MigrateAsync()
    {
        await using var scope = _services!.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
    }
}
