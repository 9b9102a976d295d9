using System.Text.Json;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Deliveries;
using Webhooks.Application.Deliveries.RetryDelivery;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Application.Tests.Deliveries;

/// <summary>
/// A manual retry: the organization's delivery to an endpoint that takes deliveries is attempted
/// through the port and answered as read afterwards; an unknown delivery is not found, an inactive or
/// deleted endpoint and an attempt in progress are conflicts, and then nothing is attempted or answered.
/// </summary>
public sealed class RetryDeliveryCommandHandlerTests
{
    private static readonly Guid DeliveryId = Guid.Parse("0196f0c1-2d3e-7f40-8a1b-00000000d001");

    private Ports _ports = null!;
    private Delivery _before = null!;
    private Delivery _after = null!;

    [SetUp]
    public void SetUp()
    {
        _ports = new Ports();
        var evt = Event.ForOrganization(Guid.NewGuid(), TestData.OrgId, "wallet.balance_low", EventData.From(JsonDocument.Parse("{}").RootElement).Value!, TestData.CreatedAt);
        _before = evt.DeliverTo(DeliveryId, DeliveryTarget.Endpoint(TestData.EndpointId));
        _after = evt.DeliverTo(DeliveryId, DeliveryTarget.Endpoint(TestData.EndpointId));
        _after.RecordAttempt(new AttemptResult(200, TimeSpan.FromMilliseconds(40), "ok", null), TestData.Now, AttemptTrigger.Manual, RetrySchedule.Default, 0.5);
    }

    [Test]
    public async Task Handle_WhenTheEndpointTakesDeliveries_ThenAttemptsOnceAndReturnsTheDeliveryAsReadAfterwards()
    {
        _ports.Holds(TestData.Endpoint());
        _ports.Deliveries.SetupSequence(d => d.FindWithAttemptsAsync(DeliveryId, TestData.OrgId, _ports.Token)).ReturnsAsync(_before).ReturnsAsync(_after);
        _ports.ManualAttempts.Setup(m => m.AttemptAsync(DeliveryId, _ports.Token)).ReturnsAsync(ManualAttemptOutcome.Attempted);

        var response = await Handle();

        _ports.ManualAttempts.Verify(m => m.AttemptAsync(DeliveryId, _ports.Token), Times.Once());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Status, Is.EqualTo("succeeded"));
            Assert.That(response.AttemptCount, Is.EqualTo(1));
            Assert.That(response.Attempts.Single().Trigger, Is.EqualTo("manual"));
            Assert.That(response.Attempts.Single().ResponseStatus, Is.EqualTo(200));
        }
    }

    [Test]
    public void Handle_WhenTheDeliveryIsNotTheOrganizations_ThenThrowsNotFoundAndAttemptsNothing()
    {
        _ports.Deliveries.Setup(d => d.FindWithAttemptsAsync(DeliveryId, TestData.OrgId, _ports.Token)).ReturnsAsync((Delivery?)null);

        Assert.ThrowsAsync<NotFoundException>(Handle);

        _ports.ManualAttempts.VerifyNoOtherCalls();
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Handle_WhenTheEndpointIsInactiveOrGone_ThenThrowsConflictNamingTheEndpointAndAttemptsNothing(bool inactive)
    {
        if (inactive)
        {
            _ports.Holds(TestData.Endpoint(active: false));
        }

        _ports.Deliveries.Setup(d => d.FindWithAttemptsAsync(DeliveryId, TestData.OrgId, _ports.Token)).ReturnsAsync(_before);

        var conflict = Assert.ThrowsAsync<ConflictException>(Handle);

        Assert.That((conflict!.Field, conflict.Reason), Is.EqualTo(("endpoint", RetryDeliveryCommand.InactiveEndpointMessage)));
        _ports.ManualAttempts.VerifyNoOtherCalls();
    }

    [TestCase(ManualAttemptOutcome.InProgress, "delivery", RetryDeliveryCommand.InProgressMessage)]
    [TestCase(ManualAttemptOutcome.ReceiverStopped, "endpoint", RetryDeliveryCommand.InactiveEndpointMessage)]
    public void Handle_WhenTheAttemptIsNotMade_ThenThrowsConflictSayingWhy(ManualAttemptOutcome outcome, string field, string reason)
    {
        _ports.Holds(TestData.Endpoint());
        _ports.Deliveries.Setup(d => d.FindWithAttemptsAsync(DeliveryId, TestData.OrgId, _ports.Token)).ReturnsAsync(_before);
        _ports.ManualAttempts.Setup(m => m.AttemptAsync(DeliveryId, _ports.Token)).ReturnsAsync(outcome);

        var conflict = Assert.ThrowsAsync<ConflictException>(Handle);

        Assert.That((conflict!.Field, conflict.Reason), Is.EqualTo((field, reason)));
        _ports.Deliveries.Verify(d => d.FindWithAttemptsAsync(DeliveryId, TestData.OrgId, _ports.Token), Times.Once());
    }

    private Task<DeliveryDetailResponse> Handle() =>
        _ports.Handler<RetryDeliveryCommandHandler>().Handle(new RetryDeliveryCommand(DeliveryId), _ports.Token);
}
