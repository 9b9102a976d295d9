using System.Text.Json;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Deliveries;
using Webhooks.Application.Deliveries.PublishClientEvent;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Idempotency;
using Webhooks.Domain.Organizations;
using static Webhooks.Application.Tests.Clients.ClientTestData;

namespace Webhooks.Application.Tests.Deliveries;

/// <summary>
/// Publishing to a device-API client: one delivery when the client receives deliveries (a URL, not
/// suspended), none otherwise, the event stored either way; an unknown client is not found.
/// </summary>
public sealed class PublishClientEventCommandHandlerTests
{
    private const string Type = "device.online";

    private static readonly Guid EventId = Guid.Parse("0196f0c1-2d3e-7f40-8a1b-00000000e002");
    private static readonly Guid DeliveryId = Guid.Parse("0196f0c1-2d3e-7f40-8a1b-00000000d003");

    private Ports _ports = null!;

    [SetUp]
    public void SetUp()
    {
        _ports = new Ports();
        _ports.ActAs(TestData.ApiKeyCaller(Scopes.ClientEventsWrite));
        _ports.Ids.SetupSequence(i => i.NewId()).Returns(EventId).Returns(DeliveryId);
    }

    [Test]
    public async Task Handle_WhenTheClientHasAUrl_ThenAddsTheEventWithOneDeliveryToTheClientAndWakesTheWorker()
    {
        _ports.Holds(StoredClient(WebhookUrl));

        var response = await Handle(Command());

        var (evt, deliveries) = _ports.AddedEvents.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(evt.Id, Is.EqualTo(EventId));
            Assert.That(evt.ClientId, Is.EqualTo(ClientId));
            Assert.That(evt.OrgId, Is.Null);
            Assert.That(evt.Type, Is.EqualTo(Type));
            Assert.That(deliveries.Single().Id, Is.EqualTo(DeliveryId));
            Assert.That(deliveries.Single().Target, Is.EqualTo(DeliveryTarget.Client(ClientId)));
            Assert.That(deliveries.Single().Status, Is.EqualTo(DeliveryStatus.Pending));
            Assert.That(response.Id, Is.EqualTo(EventId));
            Assert.That(response.Deliveries, Is.EqualTo(1));
            Assert.That(response.Data.GetRawText(), Is.EqualTo("{}"));
        }

        _ports.Clients.Verify(c => c.GetAsync(ClientId, _ports.Token), Times.Once());
        _ports.VerifySavedOnce();
        _ports.Signal.Verify(s => s.Notify(), Times.Once());
    }

    [TestCase(false, false)]
    [TestCase(true, true)]
    public async Task Handle_WhenTheClientHasNoUrlOrIsSuspended_ThenStoresTheEventWithoutDeliveries(bool withUrl, bool suspended)
    {
        _ports.Holds(StoredClient(withUrl ? WebhookUrl : null, suspended));

        var response = await Handle(Command());

        Assert.That(response.Deliveries, Is.Zero);
        Assert.That(_ports.AddedEvents.Single().Deliveries, Is.Empty);
        Assert.That(_ports.AddedEvents.Single().Event.DeliveryCount, Is.Zero);
        _ports.VerifySavedOnce();
        _ports.Signal.Verify(s => s.Notify(), Times.Never());
    }

    [Test]
    public void Handle_WhenTheClientIsUnknown_ThenThrowsNotFoundAndStoresNothing()
    {
        Assert.ThrowsAsync<NotFoundException>(() => Handle(Command()));

        Assert.That(_ports.AddedEvents, Is.Empty);
        _ports.VerifyNotSaved();
    }

    [Test]
    public async Task Handle_WhenTheSameRequestComesBack_ThenReplaysWithoutLoadingTheClient()
    {
        _ports.Holds(StoredClient(WebhookUrl));
        var key = IdempotencyKey.Create("client-evt-1", "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae").Value!;
        _ports.Idempotency.Setup(s => s.FindAsync(TestData.OrgId, key.Value, It.IsAny<CancellationToken>())).ReturnsAsync((IdempotencyRecord?)null);
        var first = await Handle(Command(key));
        _ports.Idempotency.Setup(s => s.FindAsync(TestData.OrgId, key.Value, It.IsAny<CancellationToken>())).ReturnsAsync(_ports.Records.Single());

        var replay = await Handle(Command(key));

        Assert.That(JsonSerializer.Serialize(replay), Is.EqualTo(JsonSerializer.Serialize(first)));
        _ports.Clients.Verify(c => c.GetAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>()), Times.Once());
        Assert.That(_ports.AddedEvents, Has.Count.EqualTo(1));
    }

    private static PublishClientEventCommand Command(IdempotencyKey? key = null)
    {
        using var document = JsonDocument.Parse("{}");
        return new PublishClientEventCommand(ClientId, Type, EventData.From(document.RootElement).Value!, key);
    }

    private Task<EventResponse> Handle(PublishClientEventCommand command) =>
        _ports.Handler<PublishClientEventCommandHandler>().Handle(command, _ports.Token);
}
