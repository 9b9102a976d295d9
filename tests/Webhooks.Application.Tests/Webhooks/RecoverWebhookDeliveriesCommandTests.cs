using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Webhooks.RecoverWebhookDeliveries;

namespace Webhooks.Application.Tests.Webhooks;

/// <summary>
/// Recover: the window's rules against the clock (validator), and the handler: the organization's
/// active endpoint's failed deliveries requeued through the port for [since, until or now), the
/// worker woken when any was; an inactive endpoint is a conflict and an unknown one not found, and
/// neither requeues anything.
/// </summary>
public sealed class RecoverWebhookDeliveriesCommandTests
{
    private static readonly DateTimeOffset Now = TestData.Now;

    private Ports _ports = null!;

    [SetUp]
    public void SetUp() => _ports = new Ports();

    public static IEnumerable<TestCaseData> Windows()
    {
        yield return Case("14 days back exactly, until now", Now.AddDays(-14), null);
        yield return Case("since within the clock skew", Now.AddMinutes(5), null);
        yield return Case("an hour, until given", Now.AddHours(-2), Now.AddHours(-1));
        yield return Case("until within the clock skew", Now.AddHours(-1), Now.AddMinutes(5));
        yield return Case("over 14 days back", Now.AddDays(-14).AddSeconds(-1), null, ("since", RecoverWebhookDeliveriesCommand.TooOldMessage));
        yield return Case("since in the future", Now.AddMinutes(5).AddSeconds(1), null, ("since", RecoverWebhookDeliveriesCommand.InFutureMessage));
        yield return Case("until in the future", Now.AddHours(-1), Now.AddMinutes(6), ("until", RecoverWebhookDeliveriesCommand.InFutureMessage));
        yield return Case("until equal to since", Now.AddHours(-1), Now.AddHours(-1), ("until", RecoverWebhookDeliveriesCommand.NotAfterSinceMessage));
        yield return Case("both wrong", Now.AddDays(-20), Now.AddDays(-21),
            ("since", RecoverWebhookDeliveriesCommand.TooOldMessage), ("until", RecoverWebhookDeliveriesCommand.NotAfterSinceMessage));

        static TestCaseData Case(string name, DateTimeOffset since, DateTimeOffset? until, params (string Field, string Message)[] errors) =>
            new TestCaseData(since, until, errors.Select(e => $"{e.Field}: {e.Message}").ToArray()).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(Windows))]
    public void Validate_ChecksTheWindowAgainstTheClock(DateTimeOffset since, DateTimeOffset? until, string[] expected)
    {
        var clock = new Mock<IClock>();
        clock.SetupGet(c => c.UtcNow).Returns(Now);

        var result = new RecoverWebhookDeliveriesCommandValidator(clock.Object).Validate(new RecoverWebhookDeliveriesCommand(TestData.EndpointId, since, until));

        Assert.That(result.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}"), Is.EqualTo(expected));
    }

    [TestCase(3, 1)]
    [TestCase(0, 0)]
    public async Task Handle_WhenTheEndpointIsActive_ThenRequeuesTheWindowUntilNowAndWakesTheWorkerIfAnyWas(int requeued, int notified)
    {
        _ports.Holds(TestData.Endpoint());
        var since = Now.AddDays(-1);
        _ports.Recovery.Setup(r => r.RequeueFailedAsync(TestData.EndpointId, since, Now, Now, _ports.Token)).ReturnsAsync(requeued);

        var response = await Handle(since, until: null);

        Assert.That(response, Is.EqualTo(new RecoverResponse(requeued)));
        _ports.Recovery.Verify(r => r.RequeueFailedAsync(TestData.EndpointId, since, Now, Now, _ports.Token), Times.Once());
        _ports.Signal.Verify(s => s.Notify(), Times.Exactly(notified));
    }

    [Test]
    public async Task Handle_WithUntil_ThenRequeuesThatWindow()
    {
        _ports.Holds(TestData.Endpoint());
        var (since, until) = (Now.AddDays(-2), Now.AddDays(-1));
        _ports.Recovery.Setup(r => r.RequeueFailedAsync(TestData.EndpointId, since, until, Now, _ports.Token)).ReturnsAsync(7);

        var response = await Handle(since, until);

        Assert.That(response.Requeued, Is.EqualTo(7));
    }

    [Test]
    public void Handle_WhenTheEndpointIsInactive_ThenThrowsConflictNamingItAndRequeuesNothing()
    {
        _ports.Holds(TestData.Endpoint(active: false));

        var conflict = Assert.ThrowsAsync<ConflictException>(() => Handle(Now.AddDays(-1), null));

        Assert.That((conflict!.Field, conflict.Reason), Is.EqualTo(("endpoint", RecoverWebhookDeliveriesCommand.InactiveEndpointMessage)));
        _ports.Recovery.VerifyNoOtherCalls();
        _ports.Signal.Verify(s => s.Notify(), Times.Never());
    }

    [Test]
    public void Handle_WhenTheEndpointIsNotTheOrganizations_ThenThrowsNotFoundAndRequeuesNothing()
    {
        Assert.ThrowsAsync<NotFoundException>(() => Handle(Now.AddDays(-1), null));

        _ports.Recovery.VerifyNoOtherCalls();
    }

    private Task<RecoverResponse> Handle(DateTimeOffset since, DateTimeOffset? until) =>
        _ports.Handler<RecoverWebhookDeliveriesCommandHandler>().Handle(new RecoverWebhookDeliveriesCommand(TestData.EndpointId, since, until), _ports.Token);
}
