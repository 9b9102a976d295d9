using Webhooks.Application.Organizations;
using Webhooks.Domain.Organizations;

namespace Webhooks.Infrastructure.Tests.Persistence.Repositories;

/// <summary>
/// The API key repository on a real SQLite file.
/// </summary>
[TestFixture]
public sealed class ApiKeyRepositoryTests : SqliteAppTests
{
    [Test]
    public async Task ApiKey_FindByHash_FindsTheKeyWithItsScopes()
    {
        var orgId = await App.SaveOrganizationAsync();
        var key = TestData.NewApiKey(orgId, TestData.Hash('a'), Scopes.WebhooksWrite, Scopes.WebhooksRead);
        await App.SaveAsync(sp => sp.GetRequiredService<IApiKeyRepository>().Add(key));

        await using var scope = App.Scope();
        var repository = scope.ServiceProvider.GetRequiredService<IApiKeyRepository>();
        var found = await repository.FindByHashAsync(TestData.Hash('a'), CancellationToken.None);

        Assert.That(found, Is.Not.Null);
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(found!.Id, Is.EqualTo(key.Id));
            Assert.That(found.OrgId, Is.EqualTo(orgId));
            Assert.That(found.Name, Is.EqualTo("ci key"));
            Assert.That(found.KeyHash, Is.EqualTo(TestData.Hash('a')));
            Assert.That(found.Scopes, Is.EqualTo(new[] { Scopes.WebhooksWrite, Scopes.WebhooksRead }));
            Assert.That(found.CreatedAt, Is.EqualTo(TestData.At(2026, 5, 6, 7, 8, 9)));
            Assert.That(found.IsRevoked, Is.False);
            Assert.That(await repository.FindByHashAsync(TestData.Hash('b'), CancellationToken.None), Is.Null);
        });
    }

    [Test]
    public async Task ApiKey_FindByHash_ReturnsRevokedKeysToo()
    {
        var orgId = await App.SaveOrganizationAsync();
        var key = TestData.NewApiKey(orgId, TestData.Hash('c'));
        await App.SaveAsync(sp => sp.GetRequiredService<IApiKeyRepository>().Add(key));
        var revokedAt = TestData.At(2026, 6, 7, 8, 9, 10);
        await App.SaveAsync(async sp =>
        {
            var tracked = await sp.GetRequiredService<IApiKeyRepository>().GetAsync(key.Id, CancellationToken.None);
            tracked!.Revoke(revokedAt);
        });

        await using var scope = App.Scope();
        var found = await scope.ServiceProvider.GetRequiredService<IApiKeyRepository>().FindByHashAsync(TestData.Hash('c'), CancellationToken.None);

        Assert.That(found, Is.Not.Null, "the authenticator, not the repository, refuses revoked keys");
        Assert.Multiple(() =>
        {
            Assert.That(found!.IsRevoked, Is.True);
            Assert.That(found.RevokedAt, Is.EqualTo(revokedAt));
            Assert.That(found.Scopes, Is.EqualTo(new[] { Scopes.WebhooksRead }));
        });
    }
}
