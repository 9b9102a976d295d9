using System.Text.Json;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Deliveries.GetClientEvent;
using Webhooks.Application.Deliveries.GetEvent;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Organizations;
using static Webhooks.Application.Tests.Clients.ClientTestData;

namespace Webhooks.Application.Tests.Deliveries;

/// <summary>Reading an event: only the organization's own under <c>/v1/events</c>, only the named client's under a client.</summary>
public sealed class GetEventQueryHandlerTests : ReaderFixture
{
    private static readonly Guid EventId = Guid.Parse("0196f0c1-2d3e-7f40-8a1b-00000000e003");

    [Test]
    public async Task GetEvent_WhenTheEventIsTheOrganizations_ThenReturnsItAsPublished()
    {
        var evt = Stored(Event.ForOrganization(EventId, TestData.OrgId, "wallet.balance_low", Data("""{"a":[1,2]}"""), TestData.CreatedAt));
        evt.DeliverTo(Guid.NewGuid(), DeliveryTarget.Endpoint(TestData.EndpointId));

        var response = await Ports.Handler<GetEventQueryHandler>().Handle(new GetEventQuery(EventId), Ports.Token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Id, Is.EqualTo(EventId));
            Assert.That(response.Type, Is.EqualTo("wallet.balance_low"));
            Assert.That(response.Data.GetRawText(), Is.EqualTo("""{"a":[1,2]}"""));
            Assert.That(response.CreatedAt, Is.EqualTo(TestData.CreatedAt));
            Assert.That(response.Deliveries, Is.EqualTo(1));
        }

        Ports.Events.Verify(e => e.FindAsync(EventId, Ports.Token), Times.Once());
    }

    [Test]
    public void GetEvent_WhenTheEventIsAnotherOrganizations_ThenThrowsNotFound()
    {
        Stored(Event.ForOrganization(EventId, TestData.OtherOrgId, "wallet.balance_low", Data("{}"), TestData.CreatedAt));

        Assert.ThrowsAsync<NotFoundException>(() => Ports.Handler<GetEventQueryHandler>().Handle(new GetEventQuery(EventId), Ports.Token));
    }

    [Test]
    public void GetEvent_WhenTheEventIsAClients_ThenThrowsNotFound()
    {
        Stored(Event.ForClient(EventId, ClientId, "device.online", Data("{}"), TestData.CreatedAt));

        Assert.ThrowsAsync<NotFoundException>(() => Ports.Handler<GetEventQueryHandler>().Handle(new GetEventQuery(EventId), Ports.Token));
    }

    [Test]
    public void GetEvent_WhenTheIdIsUnknown_ThenThrowsNotFound() =>
        Assert.ThrowsAsync<NotFoundException>(() => Ports.Handler<GetEventQueryHandler>().Handle(new GetEventQuery(EventId), Ports.Token));

    [Test]
    public async Task GetClientEvent_WhenTheEventIsThatClients_ThenReturnsIt()
    {
        Stored(Event.ForClient(EventId, ClientId, "device.online", Data("{}"), TestData.CreatedAt));

        var response = await Ports.Handler<GetClientEventQueryHandler>().Handle(new GetClientEventQuery(ClientId, EventId), Ports.Token);

        Assert.That(response.Id, Is.EqualTo(EventId));
        Assert.That(response.Deliveries, Is.Zero);
    }

    [Test]
    public void GetClientEvent_WhenTheEventIsAnotherClientsOrAnOrganizations_ThenThrowsNotFound()
    {
        Stored(Event.ForClient(EventId, Guid.NewGuid(), "device.online", Data("{}"), TestData.CreatedAt));
        var organizations = Event.ForOrganization(Guid.NewGuid(), TestData.OrgId, "wallet.balance_low", Data("{}"), TestData.CreatedAt);
        Stored(organizations);

        Assert.ThrowsAsync<NotFoundException>(() => Ports.Handler<GetClientEventQueryHandler>().Handle(new GetClientEventQuery(ClientId, EventId), Ports.Token));
        Assert.ThrowsAsync<NotFoundException>(() => Ports.Handler<GetClientEventQueryHandler>().Handle(new GetClientEventQuery(ClientId, organizations.Id), Ports.Token));
    }

    private static EventData Data(string json)
    {
        using var document = JsonDocument.Parse(json);
        return EventData.From(document.RootElement).Value!;
    }

    private Event Stored(Event evt)
    {
        Ports.Events.Setup(e => e.FindAsync(evt.Id, It.IsAny<CancellationToken>())).ReturnsAsync(evt);
        return evt;
    }
}
