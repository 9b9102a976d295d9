using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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
using Webhooks.Domain.Idempotency;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Tests.Support;

namespace Webhooks.Infrastructure.Tests.Persistence;

/// <summary>
/// The readiness check on a real SQLite file.
/// </summary>
[TestFixture]
public sealed class DatabaseHealthCheckTests
{
    private SqliteApp _app = null!;

    [SetUp]
    public async Task SetUp()
    {
        _app = await SqliteApp.StartAsync(migrate: false);
    }

    [TearDown]
    public Task TearDown() => _app.DisposeAsync().AsTask();

    [Test]
    public async Task HealthCheck_IsUnhealthyBeforeTheFileExistsAndHealthyAfterMigrating()
    {
        await using (var scope = _app.Scope())
        {
            var before = await ActivatorUtilities.CreateInstance<DatabaseHealthCheck>(scope.ServiceProvider)
                .CheckHealthAsync(new HealthCheckContext());
            Assert.That(before.Status, Is.EqualTo(HealthStatus.Unhealthy));
        }

        await _app.MigrateAsync();

        await using (var scope = _app.Scope())
        {
            var after = await ActivatorUtilities.CreateInstance<DatabaseHealthCheck>(scope.ServiceProvider)
                .CheckHealthAsync(new HealthCheckContext());
            Assert.That(after.Status, Is.EqualTo(HealthStatus.Healthy));
        }
    }
}
