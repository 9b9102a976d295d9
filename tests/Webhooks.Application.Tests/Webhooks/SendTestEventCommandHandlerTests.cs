using Webhooks.Application.Common.Errors;
using Webhooks.Application.Deliveries;
using Webhooks.Application.Webhooks.SendTestEvent;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Application.Tests.Webhooks;

/// <summary>
/// A test event: one <c>webhook.test</c> event with one delivery to that endpoint only (it need not
/// subscribe to the type), saved in one unit of work before the worker is woken; an inactive endpoint
/// is a conflict and an unknown one not found, and neither stores anything.
/// </summary>
public sealed class SendTestEventCommandHandlerTests
{
    private static readonly Guid EventId = Guid.Parse("0196f0c1-2d3e-7f40-8a1b-00000000e001");
    private static readonly Guid DeliveryId = Guid.Parse("0196f0c1-2d3e-7f40-8a1b-00000000d001");

    private Ports _ports = null!;
    private List<string> _calls = null!;

    [SetUp]
    public void SetUp()
    {
        _ports = new Ports();
        _ports.ActAs(TestData.WriteCaller());
        _ports.Ids.SetupSequence(i => i.NewId()).Returns(EventId).Returns(DeliveryId);
        _calls = [];
        _ports.UnitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).Callback(() => _calls.Add("save")).Returns(Task.CompletedTask);
        _ports.Signal.Setup(s => s.Notify()).Callback(() => _calls.Add("notify"));
    }

    [Test]
    public async Task Handle_WhenTheEndpointIsActive_ThenAddsATestEventWithOneDeliveryToItAndReturnsThatDelivery()
    {
        _ports.Holds(TestData.Endpoint(events: "wallet.balance_low"));

        var response = await Handle();

        var (evt, deliveries) = _ports.AddedEvents.Single();
        var delivery = deliveries.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(evt.Id, Is.EqualTo(EventId));
            Assert.That(evt.OrgId, Is.EqualTo(TestData.OrgId));
            Assert.That(evt.ClientId, Is.Null);
            Assert.That(evt.Type, Is.EqualTo(SendTestEventCommand.EventType));
            Assert.That(evt.Data, Is.EqualTo(SendTestEventCommand.DataFor(TestData.EndpointId).Json));
            Assert.That(evt.CreatedAt, Is.EqualTo(TestData.Now));
            Assert.That(evt.DeliveryCount, Is.EqualTo(1));
            Assert.That(delivery.Id, Is.EqualTo(DeliveryId));
            Assert.That(delivery.EndpointId, Is.EqualTo(TestData.EndpointId));
            Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Pending));
            Assert.That(_calls, Is.EqualTo(new[] { "save", "notify" }), "the worker is woken after the save");
        }

        Assert.That(response, Is.EqualTo(TestData.Mapper.Map<DeliveryDetailResponse>(delivery)).Using<DeliveryDetailResponse>(SameDelivery));
        Assert.That(response.Attempts, Is.Empty);
        Assert.That(SendTestEventCommand.DataFor(TestData.EndpointId).Json, Is.EqualTo(
            $$"""{"message":"{{SendTestEventCommand.Message}}","endpoint_id":"{{TestData.EndpointId}}"}"""));
    }

    [Test]
    public void Handle_WhenTheEndpointIsInactive_ThenThrowsConflictAndStoresNothing()
    {
        _ports.Holds(TestData.Endpoint(active: false));

        Assert.ThrowsAsync<ConflictException>(Handle);

        Assert.That(_ports.AddedEvents, Is.Empty);
        _ports.VerifyNotSaved();
        _ports.Signal.Verify(s => s.Notify(), Times.Never());
    }

    [Test]
    public void Handle_WhenTheEndpointIsNotTheOrganizations_ThenThrowsNotFoundAndStoresNothing()
    {
        Assert.ThrowsAsync<NotFoundException>(Handle);

        Assert.That(_ports.AddedEvents, Is.Empty);
        _ports.VerifyNotSaved();
    }

    private static bool SameDelivery(DeliveryDetailResponse actual, DeliveryDetailResponse expected) =>
        actual with { Attempts = [] } == expected with { Attempts = [] } && actual.Attempts.Count == expected.Attempts.Count;

    private Task<DeliveryDetailResponse> Handle() =>
        _ports.Handler<SendTestEventCommandHandler>().Handle(new SendTestEventCommand(TestData.EndpointId), _ports.Token);
}
