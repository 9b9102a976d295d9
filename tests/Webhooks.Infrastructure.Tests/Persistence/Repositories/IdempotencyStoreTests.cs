using Webhooks.Domain.Idempotency;

namespace Webhooks.Infrastructure.Tests.Persistence.Repositories;

/// <summary>
/// The idempotency store on a real SQLite file: records per organization and key.
/// </summary>
[TestFixture]
public sealed class IdempotencyStoreTests : SqliteAppTests
{
    [Test]
    public async Task IdempotencyStore_FindsTheRecordOfItsOrganizationOnly()
    {
        var other = await App.SaveOrganizationAsync("Other");
        var record = IdempotencyRecord.Create(OrgId, "key-1", TestData.Hash('a'), "CfDJ8-protected-response", TestData.At(2026, 7, 1, 0, 0, 0));
        await App.SaveAsync(sp => sp.Idempotency().Add(record));

        await using var scope = App.Scope();
        var store = scope.ServiceProvider.Idempotency();
        var found = await store.FindAsync(OrgId, "key-1", CancellationToken.None);

        Assert.That(found, Is.Not.Null);
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(found!.OrgId, Is.EqualTo(OrgId));
            Assert.That(found.Key, Is.EqualTo("key-1"));
            Assert.That(found.RequestHash, Is.EqualTo(TestData.Hash('a')));
            Assert.That(found.ProtectedResponse, Is.EqualTo("CfDJ8-protected-response"));
            Assert.That(found.CreatedAt, Is.EqualTo(TestData.At(2026, 7, 1, 0, 0, 0)));
            Assert.That(await store.FindAsync(other, "key-1", CancellationToken.None), Is.Null);
            Assert.That(await store.FindAsync(OrgId, "key-2", CancellationToken.None), Is.Null);
        });
    }

    [Test]
    public async Task IdempotencyStore_TheSameKeyInAnotherOrganization_IsAnotherRecord()
    {
        var other = await App.SaveOrganizationAsync("Other");
        await App.SaveAsync(sp => sp.Idempotency().Add(IdempotencyRecord.Create(OrgId, "shared", TestData.Hash('a'), "one", TestData.At(2026, 7, 1, 0, 0, 0))));

        await App.SaveAsync(sp => sp.Idempotency().Add(IdempotencyRecord.Create(other, "shared", TestData.Hash('b'), "two", TestData.At(2026, 7, 1, 0, 0, 0))));

        Assert.That(App.Scalar("SELECT count(*) FROM idempotency_keys WHERE key = 'shared';"), Is.EqualTo(2L));
    }

    [Test]
    public async Task IdempotencyStore_AnExpiredRecordCanBeRemovedAndItsKeyReusedInOneUnitOfWork()
    {
        // What the create handler does when a key's record has expired.
        await App.SaveAsync(sp => sp.Idempotency().Add(IdempotencyRecord.Create(OrgId, "reused", TestData.Hash('a'), "old", TestData.At(2026, 7, 1, 0, 0, 0))));

        await App.SaveAsync(async sp =>
        {
            var store = sp.Idempotency();
            var expired = await store.FindAsync(OrgId, "reused", CancellationToken.None);
            store.Remove(expired!);
            store.Add(IdempotencyRecord.Create(OrgId, "reused", TestData.Hash('b'), "new", TestData.At(2026, 7, 3, 0, 0, 0)));
        });

        await using var scope = App.Scope();
        var found = await scope.ServiceProvider.Idempotency().FindAsync(OrgId, "reused", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(found!.RequestHash, Is.EqualTo(TestData.Hash('b')));
            Assert.That(found.ProtectedResponse, Is.EqualTo("new"));
            Assert.That(found.CreatedAt, Is.EqualTo(TestData.At(2026, 7, 3, 0, 0, 0)));
            Assert.That(App.Scalar("SELECT count(*) FROM idempotency_keys;"), Is.EqualTo(1L));
        });
    }

    [Test]
    public async Task IdempotencyStore_KeepsAKeyOf255Characters()
    {
        var key = new string('k', IdempotencyRecord.MaxKeyLength);
        await App.SaveAsync(sp => sp.Idempotency().Add(IdempotencyRecord.Create(OrgId, key, TestData.Hash('a'), "r", TestData.At(2026, 7, 1, 0, 0, 0))));

        await using var scope = App.Scope();
        Assert.That(await scope.ServiceProvider.Idempotency().FindAsync(OrgId, key, CancellationToken.None), Is.Not.Null);
    }
}
