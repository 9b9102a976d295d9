using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Webhooks.Infrastructure.Tests.Persistence;

/// <summary>
/// The readiness check on a real SQLite file.
/// </summary>
[TestFixture]
public sealed class DatabaseHealthCheckTests : SqliteAppTests
{
    protected override bool Migrate => false;

    [Test]
    public async Task HealthCheck_IsUnhealthyBeforeTheFileExistsAndHealthyAfterMigrating()
    {
        await using (var scope = App.Scope())
        {
            var before = await ActivatorUtilities.CreateInstance<DatabaseHealthCheck>(scope.ServiceProvider)
                .CheckHealthAsync(new HealthCheckContext());
            Assert.That(before.Status, Is.EqualTo(HealthStatus.Unhealthy));
        }

        await App.MigrateAsync();

        await using (var scope = App.Scope())
        {
            var after = await ActivatorUtilities.CreateInstance<DatabaseHealthCheck>(scope.ServiceProvider)
                .CheckHealthAsync(new HealthCheckContext());
            Assert.That(after.Status, Is.EqualTo(HealthStatus.Healthy));
        }
    }
}
