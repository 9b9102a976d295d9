using Webhooks.Domain.Webhooks;

namespace Webhooks.Infrastructure.Tests.Persistence.Repositories;

/// <summary>
/// The fan-out's read (<c>ListReceivingAsync</c>) on a real SQLite file: the organization's endpoints
/// that are active, not deleted and subscribed to the type, and no others.
/// </summary>
[TestFixture]
public sealed class WebhookEndpointReceivingTests : SqliteAppTests
{
    private const string BalanceLow = "wallet.balance_low";

    [Test]
    public async Task ListReceiving_IsTheOrganizationsActiveUndeletedEndpointsSubscribedToTheType_InIdOrder()
    {
        var otherOrg = await App.SaveOrganizationAsync("Other");
        var subscribed = TestData.NewActiveEndpoint(OrgId, BalanceLow);
        var subscribedToMore = TestData.NewActiveEndpoint(OrgId, "subscription.canceled", BalanceLow);
        var notSubscribed = TestData.NewActiveEndpoint(OrgId, "wallet.balance_zero");
        var inactive = TestData.NewEndpoint(OrgId, "Paused", BalanceLow);
        var deleted = TestData.NewActiveEndpoint(OrgId, BalanceLow);
        var anotherOrgs = TestData.NewActiveEndpoint(otherOrg, BalanceLow);
        await App.SaveAsync(sp =>
        {
            foreach (var endpoint in new[] { subscribed, subscribedToMore, notSubscribed, inactive, deleted, anotherOrgs })
            {
                sp.Endpoints().Add(endpoint);
            }
        });
        await App.DeleteAsync(OrgId, deleted.Id);

        Assert.That(await ListAsync(OrgId, BalanceLow), Is.EqualTo(new[] { subscribed.Id, subscribedToMore.Id }.Order()));
    }

    [Test]
    public async Task ListReceiving_ReadsTheEndpointAsItIsNow()
    {
        var endpoint = TestData.NewActiveEndpoint(OrgId, BalanceLow);
        await App.SaveAsync(sp => sp.Endpoints().Add(endpoint));
        Assert.That(await ListAsync(OrgId, BalanceLow), Is.EqualTo(new[] { endpoint.Id }), "precondition");

        await App.SaveAsync(async sp => (await sp.Endpoints().GetAsync(endpoint.Id, OrgId, CancellationToken.None))!
            .Patch(new WebhookEndpointChanges(Events: EventTypeSet.Create(["wallet.balance_zero"], TestData.Catalog).Value!), TestData.At(2026, 7, 1, 0, 0, 0)));

        Assert.That(await ListAsync(OrgId, BalanceLow), Is.Empty);
    }

    [TestCase("Wallet.balance_low", TestName = "ListReceiving_ATypeInAnotherCase_IsAnotherType")]
    [TestCase("wallet.balance", TestName = "ListReceiving_APrefixOfAType_IsAnotherType")]
    [TestCase("", TestName = "ListReceiving_NoType_FindsNothing")]
    public async Task ListReceiving_MatchesTheTypeExactly(string type)
    {
        await App.SaveAsync(sp => sp.Endpoints().Add(TestData.NewActiveEndpoint(OrgId, BalanceLow)));

        Assert.That(await ListAsync(OrgId, type), Is.Empty);
    }

    [Test]
    public async Task ListReceiving_ForAnOrganizationWithoutEndpoints_IsEmpty() =>
        Assert.That(await ListAsync(Guid.CreateVersion7(), BalanceLow), Is.Empty);

    private async Task<IReadOnlyList<Guid>> ListAsync(Guid orgId, string type)
    {
        await using var scope = App.Scope();
        return await scope.ServiceProvider.Endpoints().ListReceivingAsync(orgId, type, CancellationToken.None);
    }
}
