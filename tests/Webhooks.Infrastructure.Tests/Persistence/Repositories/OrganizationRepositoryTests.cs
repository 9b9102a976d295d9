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

namespace Webhooks.Infrastructure.Tests.Persistence.Repositories;

/// <summary>
/// The organization repository on a real SQLite file.
/// </summary>
[TestFixture]
public sealed class OrganizationRepositoryTests
{
    private SqliteApp _app = null!;

    [SetUp]
    public async Task SetUp()
    {
        _app = await SqliteApp.StartAsync();
    }

    [TearDown]
    public Task TearDown() => _app.DisposeAsync().AsTask();

    [Test]
    public async Task OrganizationRepository_AnyAndExists()
    {
        await using (var scope = _app.Scope())
        {
            Assert.That(await scope.ServiceProvider.GetRequiredService<IOrganizationRepository>().AnyAsync(CancellationToken.None), Is.False);
        }

        var orgId = await _app.SaveOrganizationAsync();

        await using (var scope = _app.Scope())
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
}
