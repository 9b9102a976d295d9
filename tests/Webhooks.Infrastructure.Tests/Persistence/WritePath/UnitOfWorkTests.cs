using Webhooks.Application.Common.Errors;
using Webhooks.Application.Organizations;
using Webhooks.Domain.Idempotency;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Infrastructure.Tests.Persistence.WritePath;

/// <summary>
/// The unit of work on a real SQLite file: the revision as the optimistic concurrency token,
/// conflicts between units of work, and the reset that a rerun starts from.
/// </summary>
[TestFixture]
public sealed class UnitOfWorkTests : SqliteAppTests
{
    [Test]
    public async Task Revision_IsStoredAndGrowsWithEverySavedChange()
    {
        var endpoint = TestData.NewEndpoint(OrgId);
        await App.SaveAsync(sp => sp.Endpoints().Add(endpoint));

        await ChangeAsync(endpoint.Id, e => e.Patch(TestData.Activate, TestData.At(2026, 7, 1, 0, 0, 0)));
        await ChangeAsync(endpoint.Id, e => e.RotateSecret("CfDJ8-another-secret", SecretGrace.Default, TestData.At(2026, 7, 2, 0, 0, 0)));

        var loaded = await App.LoadAsync(endpoint.Id, OrgId);
        Assert.Multiple(() =>
        {
            Assert.That(loaded!.Revision, Is.EqualTo(3));
            Assert.That(loaded.ProtectedSecret, Is.EqualTo("CfDJ8-another-secret"));
            Assert.That(App.Scalar($"SELECT revision FROM webhook_endpoints WHERE id = '{endpoint.Id.ToString().ToUpperInvariant()}';"), Is.EqualTo(3L));
        });
    }

    [Test]
    public async Task SaveChanges_WhenAnotherUnitOfWorkChangedTheEndpointFirst_ThrowsConcurrencyConflictAndWritesNothing()
    {
        var endpoint = TestData.NewEndpoint(OrgId);
        await App.SaveAsync(sp => sp.Endpoints().Add(endpoint));
        await using var first = App.Scope();
        await using var second = App.Scope();
        var mine = await first.ServiceProvider.Endpoints().GetAsync(endpoint.Id, OrgId, CancellationToken.None);
        var theirs = await second.ServiceProvider.Endpoints().GetAsync(endpoint.Id, OrgId, CancellationToken.None);
        mine!.Patch(TestData.Activate, TestData.At(2026, 7, 1, 0, 0, 0));
        theirs!.Patch(TestData.ClearDescription, TestData.At(2026, 7, 1, 0, 0, 1));

        await first.ServiceProvider.UnitOfWork().SaveChangesAsync(CancellationToken.None);
        var conflict = Assert.ThrowsAsync<ConcurrencyConflictException>(() => second.ServiceProvider.UnitOfWork().SaveChangesAsync(CancellationToken.None));

        Assert.That(conflict!.InnerException, Is.InstanceOf<DbUpdateConcurrencyException>());
        var stored = await App.LoadAsync(endpoint.Id, OrgId);
        Assert.Multiple(() =>
        {
            Assert.That(stored!.Active, Is.True, "the first change is kept");
            Assert.That(stored.Description?.Value, Is.EqualTo("Billing alerts"), "the stale change is not written");
            Assert.That(stored.Revision, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task SaveChanges_WhenTheEndpointWasDeletedMeanwhile_ThrowsConcurrencyConflict()
    {
        var endpoint = TestData.NewEndpoint(OrgId);
        await App.SaveAsync(sp => sp.Endpoints().Add(endpoint));
        await using var patching = App.Scope();
        var stale = await patching.ServiceProvider.Endpoints().GetAsync(endpoint.Id, OrgId, CancellationToken.None);
        stale!.Patch(TestData.Activate, TestData.At(2026, 7, 1, 0, 0, 0));

        await App.DeleteAsync(OrgId, endpoint.Id);

        Assert.ThrowsAsync<ConcurrencyConflictException>(() => patching.ServiceProvider.UnitOfWork().SaveChangesAsync(CancellationToken.None));
        Assert.That(App.Scalar($"SELECT active FROM webhook_endpoints WHERE id = '{endpoint.Id.ToString().ToUpperInvariant()}';"), Is.EqualTo(0L));
    }

    [Test]
    public async Task SaveChanges_AfterAConflict_ResetAndARerunOnFreshDataKeepBothChanges()
    {
        var endpoint = TestData.NewEndpoint(OrgId);
        await App.SaveAsync(sp => sp.Endpoints().Add(endpoint));
        await using var first = App.Scope();
        await using var second = App.Scope();
        (await first.ServiceProvider.Endpoints().GetAsync(endpoint.Id, OrgId, CancellationToken.None))!.Patch(TestData.Activate, TestData.At(2026, 7, 1, 0, 0, 0));
        (await second.ServiceProvider.Endpoints().GetAsync(endpoint.Id, OrgId, CancellationToken.None))!.Patch(TestData.ClearDescription, TestData.At(2026, 7, 1, 0, 0, 1));
        await first.ServiceProvider.UnitOfWork().SaveChangesAsync(CancellationToken.None);
        Assert.ThrowsAsync<ConcurrencyConflictException>(() => second.ServiceProvider.UnitOfWork().SaveChangesAsync(CancellationToken.None));

        // What RetryOnConflictBehavior does: reset the unit of work and run the command again.
        second.ServiceProvider.UnitOfWork().Reset();
        (await second.ServiceProvider.Endpoints().GetAsync(endpoint.Id, OrgId, CancellationToken.None))!.Patch(TestData.ClearDescription, TestData.At(2026, 7, 1, 0, 0, 2));
        await second.ServiceProvider.UnitOfWork().SaveChangesAsync(CancellationToken.None);

        var stored = await App.LoadAsync(endpoint.Id, OrgId);
        Assert.Multiple(() =>
        {
            Assert.That(stored!.Active, Is.True);
            Assert.That(stored.Description, Is.Null);
            Assert.That(stored.Revision, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Reset_ForgetsEveryTrackedEntityAndPendingChange()
    {
        var endpoint = TestData.NewEndpoint(OrgId);
        await App.SaveAsync(sp => sp.Endpoints().Add(endpoint));
        await using var scope = App.Scope();
        var tracked = await scope.ServiceProvider.Endpoints().GetAsync(endpoint.Id, OrgId, CancellationToken.None);
        tracked!.Patch(TestData.Activate, TestData.At(2026, 7, 1, 0, 0, 0));
        scope.ServiceProvider.Endpoints().Add(TestData.NewEndpoint(OrgId));
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        Assert.That(db.ChangeTracker.Entries().Count(), Is.EqualTo(2), "precondition");

        scope.ServiceProvider.UnitOfWork().Reset();
        await scope.ServiceProvider.UnitOfWork().SaveChangesAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(db.ChangeTracker.Entries().Count(), Is.Zero);
            Assert.That(App.Scalar("SELECT count(*) FROM webhook_endpoints;"), Is.EqualTo(1L), "the pending insert is gone");
            Assert.That(App.Scalar("SELECT active FROM webhook_endpoints;"), Is.EqualTo(0L), "the pending update is gone");
        });
    }

    [Test]
    public async Task SaveChanges_WhenTwoUnitsOfWorkAddTheSameKey_TheSecondThrowsConcurrencyConflictAndWritesNothing()
    {
        await using var first = App.Scope();
        await using var second = App.Scope();
        first.ServiceProvider.Endpoints().Add(TestData.NewEndpoint(OrgId));
        first.ServiceProvider.Idempotency().Add(IdempotencyRecord.Create(OrgId, "retry-1", TestData.Hash('a'), "first", TestData.At(2026, 7, 1, 0, 0, 0)));
        second.ServiceProvider.Endpoints().Add(TestData.NewEndpoint(OrgId));
        second.ServiceProvider.Idempotency().Add(IdempotencyRecord.Create(OrgId, "retry-1", TestData.Hash('a'), "second", TestData.At(2026, 7, 1, 0, 0, 0)));

        await first.ServiceProvider.UnitOfWork().SaveChangesAsync(CancellationToken.None);
        var conflict = Assert.ThrowsAsync<ConcurrencyConflictException>(() => second.ServiceProvider.UnitOfWork().SaveChangesAsync(CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(conflict!.InnerException, Is.InstanceOf<DbUpdateException>());
            Assert.That(App.Scalar("SELECT response FROM idempotency_keys;"), Is.EqualTo("first"));
            Assert.That(App.Scalar("SELECT count(*) FROM webhook_endpoints;"), Is.EqualTo(1L), "the loser's endpoint is not written either");
        });
    }

    [Test]
    public async Task ApiKey_DuplicateHash_ViolatesTheUniqueIndex()
    {
                await App.SaveAsync(sp => sp.GetRequiredService<IApiKeyRepository>().Add(TestData.NewApiKey(OrgId, TestData.Hash('d'))));

        // The unit of work reports every unique violation as a conflict (decision 0006): a rerun
        // of the command makes a new key.
        // Only a duplicate idempotency key is a conflict worth retrying; any other duplicate is an error.
        var error = Assert.ThrowsAsync<DbUpdateException>(() =>
            App.SaveAsync(sp => sp.GetRequiredService<IApiKeyRepository>().Add(TestData.NewApiKey(OrgId, TestData.Hash('d')))));

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Not.Null, "the provider's error surfaces");
            Assert.That(error!.InnerException, Is.InstanceOf<SqliteException>());
            Assert.That(error.InnerException!.Message, Does.Contain("UNIQUE").And.Contain("api_keys.key_hash"));
            Assert.That(App.Scalar("SELECT count(*) FROM api_keys;"), Is.EqualTo(1L));
        });
    }

    private Task ChangeAsync(Guid id, Action<WebhookEndpoint> change) => App.SaveAsync(async sp =>
    {
        var tracked = await sp.Endpoints().GetAsync(id, OrgId, CancellationToken.None);
        change(tracked!);
    });
}
