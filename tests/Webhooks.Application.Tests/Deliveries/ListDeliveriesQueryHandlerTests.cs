using System.Text.Json;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Deliveries;
using Webhooks.Application.Deliveries.ListDeliveries;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Tests.Deliveries;

/// <summary>Listing deliveries: the parent must be the organization's before anything is listed; the filter names the parent and the status.</summary>
public sealed class ListDeliveriesQueryHandlerTests : ReaderFixture
{
    private static readonly Guid EventId = Guid.Parse("0196f0c1-2d3e-7f40-8a1b-00000000e004");

    [Test]
    public void Handle_WhenTheEventIsAnotherOrganizations_ThenThrowsNotFoundAndListsNothing()
    {
        var evt = Event.ForOrganization(EventId, TestData.OtherOrgId, "wallet.balance_low", Data(), TestData.CreatedAt);
        Ports.Events.Setup(e => e.FindAsync(EventId, It.IsAny<CancellationToken>())).ReturnsAsync(evt);

        Assert.ThrowsAsync<NotFoundException>(() =>
            Ports.Handler<ListDeliveriesQueryHandler>().Handle(new ListDeliveriesQuery(DeliveryListParent.Event, EventId), Ports.Token));
        Ports.Deliveries.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Handle_WhenTheEventIsTheOrganizations_ThenListsItsDeliveriesInThatStatusWithOneRowMore()
    {
        var evt = Event.ForOrganization(EventId, TestData.OrgId, "wallet.balance_low", Data(), TestData.CreatedAt);
        var delivery = evt.DeliverTo(Guid.NewGuid(), DeliveryTarget.Endpoint(TestData.EndpointId));
        Ports.Events.Setup(e => e.FindAsync(EventId, It.IsAny<CancellationToken>())).ReturnsAsync(evt);
        var filter = new DeliveryFilter(TestData.OrgId, null, EventId, DeliveryStatus.Pending);
        Ports.Deliveries.Setup(d => d.ListAsync(filter, null, 6, It.IsAny<CancellationToken>())).ReturnsAsync([delivery]);

        var page = await Ports.Handler<ListDeliveriesQueryHandler>()
            .Handle(new ListDeliveriesQuery(DeliveryListParent.Event, EventId, DeliveryStatus.Pending, Limit: 5), Ports.Token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Data.Select(d => d.Id), Is.EqualTo(new[] { delivery.Id }));
            Assert.That(page.Data[0].Status, Is.EqualTo("pending"));
            Assert.That(page.Data[0].EndpointId, Is.EqualTo(TestData.EndpointId));
            Assert.That(page.HasMore, Is.False);
            Assert.That(page.NextCursor, Is.Null);
        }
    }

    private static EventData Data()
    {
        using var document = JsonDocument.Parse("{}");
        return EventData.From(document.RootElement).Value!;
    }
}
