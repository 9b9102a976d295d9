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
/// The idempotency store on a real SQLite file: records per organization and key.
/// </summary>
[TestFixture]
public sealed class IdempotencyStoreTests
{
    private SqliteApp _app = null!;
    private Guid _orgId;

    [SetUp]
    public async Task SetUp()
    {
        _app = await SqliteApp.StartAsync();
        _orgId = await _app.SaveOrganizationAsync("Owner");
    }

    [TearDown]
    public Task TearDown() => _app.DisposeAsync().AsTask();

    [Test]
    public async Task IdempotencyStore_FindsTheRecordOfItsOrganizationOnly()
    {
        var other = await _app.SaveOrganizationAsync("Other");
        var record = IdempotencyRecord.Create(_orgId, "key-1", TestData.Hash('a'), "CfDJ8-protected-response", TestData.At(2026, 7, 1, 0, 0, 0));
        await _app.SaveAsync(sp => sp.Idempotency().Add(record));

        await using var scope = _app.Scope();
        var store = scope.ServiceProvider.Idempotency();
        var found = await store.FindAsync(_orgId, "key-1", CancellationToken.None);

        Assert.That(found, Is.Not.Null);
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(found!.OrgId, Is.EqualTo(_orgId));
            Assert.That(found.Key, Is.EqualTo("key-1"));
            Assert.That(found.RequestHash, Is.EqualTo(TestData.Hash('a')));
            Assert.That(found.ProtectedResponse, Is.EqualTo("CfDJ8-protected-response"));
            Assert.That(found.CreatedAt, Is.EqualTo(TestData.At(2026, 7, 1, 0, 0, 0)));
            Assert.That(await store.FindAsync(other, "key-1", CancellationToken.None), Is.Null);
            Assert.That(await store.FindAsync(_orgId, "key-2", CancellationToken.None), Is.Null);
        });
    }

    [Test]
    public async Task IdempotencyStore_TheSameKeyInAnotherOrganization_IsAnotherRecord()
    {
        var other = await _app.SaveOrganizationAsync("Other");
        await _app.SaveAsync(sp => sp.Idempotency().Add(IdempotencyRecord.Create(_orgId, "shared", TestData.Hash('a'), "one", TestData.At(2026, 7, 1, 0, 0, 0))));

        await _app.SaveAsync(sp => sp.Idempotency().Add(IdempotencyRecord.Create(other, "shared", TestData.Hash('b'), "two", TestData.At(2026, 7, 1, 0, 0, 0))));

        Assert.That(_app.Scalar("SELECT count(*) FROM idempotency_keys WHERE key = 'shared';"), Is.EqualTo(2L));
    }

    [Test]
    public async Task IdempotencyStore_AnExpiredRecordCanBeRemovedAndItsKeyReusedInOneUnitOfWork()
    {
        // What the create handler does when a key's record has expired.
        await _app.SaveAsync(sp => sp.Idempotency().Add(IdempotencyRecord.Create(_orgId, "reused", TestData.Hash('a'), "old", TestData.At(2026, 7, 1, 0, 0, 0))));

        await _app.SaveAsync(async sp =>
        {
            var store = sp.Idempotency();
            var expired = await store.FindAsync(_orgId, "reused", CancellationToken.None);
            store.Remove(expired!);
            store.Add(IdempotencyRecord.Create(_orgId, "reused", TestData.Hash('b'), "new", TestData.At(2026, 7, 3, 0, 0, 0)));
        });

        await using var scope = _app.Scope();
        var found = await scope.ServiceProvider.Idempotency().FindAsync(_orgId, "reused", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(found!.RequestHash, Is.EqualTo(TestData.Hash('b')));
            Assert.That(found.ProtectedResponse, Is.EqualTo("new"));
            Assert.That(found.CreatedAt, Is.EqualTo(TestData.At(2026, 7, 3, 0, 0, 0)));
            Assert.That(_app.Scalar("SELECT count(*) FROM idempotency_keys;"), Is.EqualTo(1L));
        });
    }

    [Test]
    public async Task IdempotencyStore_KeepsAKeyOf255Characters()
    {
        var key = new string('k', IdempotencyRecord.MaxKeyLength);
        await _app.SaveAsync(sp => sp.Idempotency().Add(IdempotencyRecord.Create(_orgId, key, TestData.Hash('a'), "r", TestData.At(2026, 7, 1, 0, 0, 0))));

        await using var scope = _app.Scope();
        Assert.That(await scope.ServiceProvider.Idempotency().FindAsync(_orgId, key, CancellationToken.None), Is.Not.Null);
    }
}
