using Webhooks.Application.Webhooks;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Infrastructure.Tests.Persistence.Repositories;

/// <summary>
/// The endpoint repository on a real SQLite file: every field round-trips, lookups are scoped to
/// the organization and skip deleted endpoints, reads are untracked.
/// </summary>
[TestFixture]
public sealed class WebhookEndpointRepositoryTests : SqliteAppTests
{
    [TestCase("Billing alerts", false)]
    [TestCase(null, false)]
    [TestCase("Billing alerts", true)]
    [TestCase(null, true)]
    public async Task WebhookEndpoint_RoundTripsEveryField(string? description, bool untracked)
    {
        var orgId = await App.SaveOrganizationAsync();
        var endpoint = TestData.NewEndpoint(orgId, description, "wallet.balance_zero", "subscription.past_due", "wallet.balance_low");
        await App.SaveAsync(sp => sp.Endpoints().Add(endpoint));

        await using var scope = App.Scope();
        var loaded = await Lookup(scope.ServiceProvider.Endpoints(), untracked, endpoint.Id, orgId);

        Assert.That(loaded, Is.Not.Null);
        Assert.That(loaded, Is.Not.SameAs(endpoint));
        Assert.Multiple(() =>
        {
            Assert.That(loaded!.Id, Is.EqualTo(endpoint.Id));
            Assert.That(loaded.OrgId, Is.EqualTo(orgId));
            Assert.That(loaded.Url.Value, Is.EqualTo("https://hooks.example.com/billing?x=1"));
            Assert.That(loaded.Description?.Value, Is.EqualTo(description));
            Assert.That(loaded.Events, Is.EqualTo(new[] { "wallet.balance_zero", "subscription.past_due", "wallet.balance_low" }), "order is kept");
            Assert.That(loaded.Active, Is.False);
            Assert.That(loaded.ApiVersion, Is.EqualTo(WebhookCatalogOptions.DefaultApiVersion));
            Assert.That(loaded.CreatedAt, Is.EqualTo(TestData.At(2026, 3, 4, 5, 6, 7)));
            Assert.That(loaded.CreatedAt.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(loaded.UpdatedAt, Is.EqualTo(TestData.At(2026, 3, 4, 5, 6, 7)));
            Assert.That(loaded.DeletedAt, Is.Null);
            Assert.That(loaded.IsDeleted, Is.False);
            Assert.That(loaded.Revision, Is.EqualTo(1));
            Assert.That(loaded.ProtectedSecret, Is.EqualTo(TestData.ProtectedSecret));
        });
    }

    [Test]
    public async Task WebhookEndpoint_ChangesAreSavedThroughTheUnitOfWork()
    {
        var orgId = await App.SaveOrganizationAsync();
        var endpoint = TestData.NewEndpoint(orgId);
        await App.SaveAsync(sp => sp.Endpoints().Add(endpoint));
        var later = TestData.At(2026, 7, 8, 9, 10, 11);

        await App.SaveAsync(async sp =>
        {
            var tracked = await sp.Endpoints().GetAsync(endpoint.Id, orgId, CancellationToken.None);
            Assert.That(tracked, Is.Not.Null);
            tracked!.Patch(TestData.ClearDescription, later);
            tracked.Patch(TestData.Activate, later);
        });

        await using var scope = App.Scope();
        var loaded = await scope.ServiceProvider.Endpoints().GetAsync(endpoint.Id, orgId, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(loaded!.Description, Is.Null);
            Assert.That(loaded.Active, Is.True);
            Assert.That(loaded.UpdatedAt, Is.EqualTo(later));
            Assert.That(loaded.CreatedAt, Is.EqualTo(TestData.At(2026, 3, 4, 5, 6, 7)));
            Assert.That(loaded.Revision, Is.EqualTo(3), "two changes");
        });
    }

    [Test]
    public async Task WebhookEndpoint_StoresInstantsInUtc()
    {
        var orgId = await App.SaveOrganizationAsync();
        var endpoint = TestData.NewEndpoint(orgId);
        await App.SaveAsync(sp => sp.Endpoints().Add(endpoint));

        Assert.That(
            App.Scalar($"SELECT created_at FROM webhook_endpoints WHERE id = '{endpoint.Id.ToString().ToUpperInvariant()}';"),
            Is.EqualTo(TestData.At(2026, 3, 4, 5, 6, 7).UtcTicks));
    }

    [Test]
    public async Task WebhookEndpoint_OfAnUnknownOrganization_ViolatesTheForeignKey()
    {
        var error = Assert.ThrowsAsync<DbUpdateException>(() =>
            App.SaveAsync(sp => sp.Endpoints().Add(TestData.NewEndpoint(Guid.CreateVersion7()))));

        Assert.That(error!.InnerException?.Message, Does.Contain("FOREIGN KEY"));
    }

    [Test]
    public async Task Query_ArrayContains_FindsExactlyTheListedEndpoints()
    {
        // C# 14 binds array.Contains inside an expression tree to MemoryExtensions.Contains over a
        // span; EF Core 6 compiled that into an invalid program (why LangVersion was 13 until EF Core 10).
        var orgId = await App.SaveOrganizationAsync();
        WebhookEndpoint[] endpoints = [TestData.NewEndpoint(orgId), TestData.NewEndpoint(orgId), TestData.NewEndpoint(orgId)];
        await App.SaveAsync(sp =>
        {
            foreach (var endpoint in endpoints)
            {
                sp.Endpoints().Add(endpoint);
            }
        });
        Guid[] wanted = [endpoints[0].Id, endpoints[2].Id];

        await using var scope = App.Scope();
        var found = await scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Set<WebhookEndpoint>()
            .Where(e => wanted.Contains(e.Id)).Select(e => e.Id).ToListAsync();

        Assert.That(found, Is.EquivalentTo(wanted));
    }

    [Test]
    public async Task ReadAsync_LeavesNothingTracked_GetAsyncTracksTheEndpoint()
    {
        var orgId = await App.SaveOrganizationAsync();
        var endpoint = TestData.NewEndpoint(orgId);
        await App.SaveAsync(sp => sp.Endpoints().Add(endpoint));

        await using var scope = App.Scope();
        var repository = scope.ServiceProvider.Endpoints();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();

        var read = await repository.ReadAsync(endpoint.Id, orgId, CancellationToken.None);
        Assert.That(read, Is.Not.Null);
        Assert.That(db.ChangeTracker.Entries(), Is.Empty, "a read is untracked");

        var tracked = await repository.GetAsync(endpoint.Id, orgId, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(tracked, Is.Not.SameAs(read));
            Assert.That(db.ChangeTracker.Entries<WebhookEndpoint>().Select(e => e.Entity), Is.EqualTo(new[] { tracked }));
        });
    }

    [Test]
    public async Task GetAsync_AnotherOrganizationsEndpoint_IsNull([Values] bool untracked)
    {
        var owner = await App.SaveOrganizationAsync("Owner");
        var other = await App.SaveOrganizationAsync("Other");
        var endpoint = TestData.NewEndpoint(owner);
        await App.SaveAsync(sp => sp.Endpoints().Add(endpoint));

        await using var scope = App.Scope();
        var repository = scope.ServiceProvider.Endpoints();
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await Lookup(repository, untracked, endpoint.Id, other), Is.Null);
            Assert.That(await Lookup(repository, untracked, Guid.CreateVersion7(), owner), Is.Null);
            Assert.That(await Lookup(repository, untracked, endpoint.Id, owner), Is.Not.Null, "control");
        });
    }

    [Test]
    public async Task GetAsync_DeletedEndpoint_IsNull([Values] bool untracked)
    {
        var orgId = await App.SaveOrganizationAsync();
        var endpoint = TestData.NewEndpoint(orgId);
        var kept = TestData.NewEndpoint(orgId);
        await App.SaveAsync(sp =>
        {
            sp.Endpoints().Add(endpoint);
            sp.Endpoints().Add(kept);
        });
        await App.SaveAsync(async sp =>
        {
            var tracked = await sp.Endpoints().GetAsync(endpoint.Id, orgId, CancellationToken.None);
            tracked!.Delete(TestData.At(2026, 9, 9, 9, 9, 9));
        });

        await using var scope = App.Scope();
        var repository = scope.ServiceProvider.Endpoints();
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await Lookup(repository, untracked, endpoint.Id, orgId), Is.Null);
            Assert.That(await Lookup(repository, untracked, kept.Id, orgId), Is.Not.Null, "control");
            Assert.That(App.Scalar("SELECT count(*) FROM webhook_endpoints WHERE deleted_at IS NOT NULL;"), Is.EqualTo(1L), "a delete is soft");
        });
    }

    [Test]
    public async Task Add_StoresTheIdTextAsTheListPosition()
    {
        var endpoint = TestData.NewEndpoint(OrgId);
        await App.SaveAsync(sp => sp.Endpoints().Add(endpoint));

        Assert.That(
            App.Scalar($"SELECT list_position FROM webhook_endpoints WHERE id = '{endpoint.Id.ToString().ToUpperInvariant()}';"),
            Is.EqualTo(endpoint.Id.ToString("D")));
    }

    private static Task<WebhookEndpoint?> Lookup(IWebhookEndpointRepository repository, bool untracked, Guid id, Guid orgId) =>
        untracked ? repository.ReadAsync(id, orgId, CancellationToken.None) : repository.GetAsync(id, orgId, CancellationToken.None);
}
