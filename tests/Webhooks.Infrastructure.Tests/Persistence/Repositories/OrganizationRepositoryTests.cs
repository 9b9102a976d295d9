using Webhooks.Application.Organizations;

namespace Webhooks.Infrastructure.Tests.Persistence.Repositories;

/// <summary>
/// The organization repository on a real SQLite file.
/// </summary>
[TestFixture]
public sealed class OrganizationRepositoryTests : SqliteAppTests
{
    /// <summary>Migrated by the test itself, so that it starts with no organization at all.</summary>
    protected override bool Migrate => false;

    [Test]
    public async Task OrganizationRepository_AnyAndExists()
    {
        await App.MigrateAsync();
        await using (var scope = App.Scope())
        {
            Assert.That(await scope.ServiceProvider.GetRequiredService<IOrganizationRepository>().AnyAsync(CancellationToken.None), Is.False);
        }

        var orgId = await App.SaveOrganizationAsync();

        await using (var scope = App.Scope())
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
