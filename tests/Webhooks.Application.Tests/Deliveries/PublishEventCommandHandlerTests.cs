using System.Text.Json;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Idempotency;
using Webhooks.Application.Deliveries;
using Webhooks.Application.Deliveries.PublishEvent;
using Webhooks.Domain.Common;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Idempotency;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Tests.Deliveries;

/// <summary>
/// Publishing an organization's event: one delivery per receiving endpoint, added with the event in
/// one unit of work, the worker woken only after the save; idempotent replays publish nothing.
/// </summary>
public sealed class PublishEventCommandHandlerTests
{
    private const string Type = "wallet.balance_low";
    private const string DataJson = """{"wallet_id":"w_1","balance":{"amount":"4.20"}}""";

    private static readonly Guid EventId = Guid.Parse("0196f0c1-2d3e-7f40-8a1b-00000000e001");
    private static readonly Guid[] DeliveryIds = [Guid.Parse("0196f0c1-2d3e-7f40-8a1b-00000000d001"), Guid.Parse("0196f0c1-2d3e-7f40-8a1b-00000000d002")];
    private static readonly Guid[] Receivers = [Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-00000000aa01"), Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-00000000aa02")];

    private Ports _ports = null!;
    private List<string> _calls = null!;

    [SetUp]
    public void SetUp()
    {
        _ports = new Ports();
        _ports.ActAs(TestData.ApiKeyCaller(Scopes.EventsWrite));
        _ports.Ids.SetupSequence(i => i.NewId()).Returns(EventId).Returns(DeliveryIds[0]).Returns(DeliveryIds[1]);
        _calls = [];
        _ports.UnitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).Callback(() => _calls.Add("save")).Returns(Task.CompletedTask);
        _ports.Signal.Setup(s => s.Notify()).Callback(() => _calls.Add("notify"));
        Receiving(Receivers);
    }

    [Test]
    public async Task Handle_WhenEndpointsReceiveTheType_ThenAddsTheEventWithOnePendingDeliveryEach()
    {
        var response = await Handle(Command());

        var (evt, deliveries) = _ports.AddedEvents.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(evt.Id, Is.EqualTo(EventId));
            Assert.That(evt.OrgId, Is.EqualTo(TestData.OrgId));
            Assert.That(evt.ClientId, Is.Null);
            Assert.That(evt.Type, Is.EqualTo(Type));
            Assert.That(evt.Data, Is.EqualTo(DataJson));
            Assert.That(evt.CreatedAt, Is.EqualTo(TestData.Now));
            Assert.That(evt.DeliveryCount, Is.EqualTo(2));
            Assert.That(deliveries.Select(d => d.Id), Is.EqualTo(DeliveryIds));
            Assert.That(deliveries.Select(d => d.EndpointId), Is.EqualTo(Receivers.Select(id => (Guid?)id)));
            Assert.That(deliveries.Select(d => d.Status), Is.All.EqualTo(DeliveryStatus.Pending));
            Assert.That(deliveries.Select(d => d.EventId), Is.All.EqualTo(EventId));
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Id, Is.EqualTo(EventId));
            Assert.That(response.Type, Is.EqualTo(Type));
            Assert.That(response.Data.GetRawText(), Is.EqualTo(DataJson));
            Assert.That(response.CreatedAt, Is.EqualTo(TestData.Now));
            Assert.That(response.Deliveries, Is.EqualTo(2));
        }

        _ports.Endpoints.Verify(r => r.ListReceivingAsync(TestData.OrgId, Type, _ports.Token), Times.Once());
        _ports.VerifySavedOnce();
    }

    [Test]
    public async Task Handle_WhenDeliveriesWereMade_ThenWakesTheWorkerOnceAfterTheSave()
    {
        await Handle(Command());

        Assert.That(_calls, Is.EqualTo(new[] { "save", "notify" }));
    }

    [Test]
    public void Handle_WhenTheSaveFails_ThenDoesNotWakeTheWorkerNorCountTheEvent()
    {
        _ports.UnitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("database gone"));

        Assert.ThrowsAsync<InvalidOperationException>(() => Handle(Command()));

        _ports.Signal.Verify(s => s.Notify(), Times.Never());
        _ports.PublishingMetrics.Verify(m => m.EventPublished(It.IsAny<Event>()), Times.Never());
    }

    [Test]
    public async Task Handle_WhenNoEndpointReceivesTheType_ThenStoresTheEventAloneWakesNoOneAndCountsIt()
    {
        Receiving();

        var response = await Handle(Command());

        Assert.That(response.Deliveries, Is.Zero);
        Assert.That(_ports.AddedEvents.Single().Deliveries, Is.Empty);
        _ports.VerifySavedOnce();
        _ports.Signal.Verify(s => s.Notify(), Times.Never());
        _ports.PublishingMetrics.Verify(m => m.EventPublished(_ports.AddedEvents.Single().Event), Times.Once());
    }

    [Test]
    public async Task Handle_WithAnIdempotencyKey_ThenStoresTheResponseUnderTheCallersOrganization()
    {
        NoRecordYet();

        var response = await Handle(Command(KeyFor(Hash)));

        var record = _ports.Records.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.OrgId, Is.EqualTo(TestData.OrgId));
            Assert.That(record.Key, Is.EqualTo(Key));
            Assert.That(record.RequestHash, Is.EqualTo(Hash));
            Assert.That(record.CreatedAt, Is.EqualTo(TestData.Now));
            Assert.That(_ports.Protector.Unprotect(record.ProtectedResponse), Is.EqualTo(JsonSerializer.Serialize(response)));
        }
    }

    [Test]
    public async Task Handle_WhenTheSameRequestComesBack_ThenReturnsTheFirstResponseAndPublishesAndCountsNothing()
    {
        NoRecordYet();
        var first = await Handle(Command(KeyFor(Hash)));
        Remembers(_ports.Records.Single());
        _ports.Clock.SetupGet(c => c.UtcNow).Returns(TestData.Now.AddHours(1));

        var replay = await Handle(Command(KeyFor(Hash)));

        Assert.That(JsonSerializer.Serialize(replay), Is.EqualTo(JsonSerializer.Serialize(first)));
        Assert.That(_ports.AddedEvents, Has.Count.EqualTo(1), "only the first call adds an event");
        _ports.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once());
        _ports.Signal.Verify(s => s.Notify(), Times.Once());
        _ports.PublishingMetrics.Verify(m => m.EventPublished(It.IsAny<Event>()), Times.Once());
        _ports.Endpoints.Verify(r => r.ListReceivingAsync(It.IsAny<Guid>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public void Handle_WhenTheKeyWasUsedWithAnotherRequest_ThenThrowsUnderIdempotencyKeyAndPublishesNothing()
    {
        Remembers(IdempotencyRecord.Create(TestData.OrgId, Key, OtherHash, FakeSecretProtector.Of("{}"), TestData.Now.AddMinutes(-1)));

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(Command(KeyFor(Hash))));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { [IdempotentResponses.KeyField] = IdempotentResponses.KeyReusedMessage }));
        Assert.That(_ports.AddedEvents, Is.Empty);
        _ports.VerifyNotSaved();
        _ports.Signal.Verify(s => s.Notify(), Times.Never());
    }

    [Test]
    public async Task Handle_WhenTheRecordHasExpired_ThenRemovesItAndPublishesAgain()
    {
        var expired = IdempotencyRecord.Create(TestData.OrgId, Key, Hash, FakeSecretProtector.Of("{}"), TestData.Now - IdempotencyRecord.Lifetime);
        Remembers(expired);
        _ports.Idempotency.Setup(s => s.Remove(expired));

        var response = await Handle(Command(KeyFor(Hash)));

        Assert.That(response.Id, Is.EqualTo(EventId));
        _ports.Idempotency.Verify(s => s.Remove(expired), Times.Once());
        Assert.That(_ports.Records.Single().CreatedAt, Is.EqualTo(TestData.Now));
    }

    [Test]
    public void Handle_WhenTheCallerHasNoOrganization_ThenThrowsForbidden()
    {
        _ports.ActAs(Clients.ClientTestData.ActiveCaller());

        Assert.ThrowsAsync<ForbiddenException>(() => Handle(Command()));

        _ports.VerifyNotSaved();
    }

    private const string Key = "publish-1";
    private const string Hash = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
    private const string OtherHash = "fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9";

    private static IdempotencyKey KeyFor(string hash) => IdempotencyKey.Create(Key, hash).Value!;

    private static PublishEventCommand Command(IdempotencyKey? key = null)
    {
        using var document = JsonDocument.Parse(DataJson);
        return new PublishEventCommand(Type, EventData.From(document.RootElement).Value!, key);
    }

    private void Receiving(params Guid[] endpoints) =>
        _ports.Endpoints.Setup(r => r.ListReceivingAsync(TestData.OrgId, Type, It.IsAny<CancellationToken>())).ReturnsAsync(endpoints);

    private void NoRecordYet() =>
        _ports.Idempotency.Setup(s => s.FindAsync(It.IsAny<Guid>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((IdempotencyRecord?)null);

    private void Remembers(IdempotencyRecord record) =>
        _ports.Idempotency.Setup(s => s.FindAsync(record.OrgId, record.Key, It.IsAny<CancellationToken>())).ReturnsAsync(record);

    private Task<EventResponse> Handle(PublishEventCommand command) =>
        _ports.Handler<PublishEventCommandHandler>().Handle(command, _ports.Token);
}
