using MediatR;
using Webhooks.Application.Common.Behaviors;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.PatchWebhook;
using Webhooks.Domain.Common;

namespace Webhooks.Application.Tests.Common.Behaviors;

public sealed class RetryOnConflictBehaviorTests
{
    private static readonly WebhookEndpointResponse Response = new(
        TestData.EndpointId, TestData.OrgId, TestData.Url, null, ["wallet.balance_low"], true, TestData.ApiVersion, TestData.CreatedAt, TestData.CreatedAt, null);

    private Mock<IUnitOfWork> _unitOfWork = null!;
    private Mock<RequestHandlerDelegate<WebhookEndpointResponse>> _next = null!;
    private int _calls;
    private int _resetsBeforeLastCall;

    [SetUp]
    public void SetUp()
    {
        _calls = 0;
        _unitOfWork = new Mock<IUnitOfWork>(MockBehavior.Strict);
        _unitOfWork.Setup(u => u.Reset());
        _next = new Mock<RequestHandlerDelegate<WebhookEndpointResponse>>(MockBehavior.Strict);
    }

    [Test]
    public void MaxAttempts_IsTen()
    {
        Assert.That(RetryOnConflictBehavior<PatchWebhookCommand, WebhookEndpointResponse>.MaxAttempts, Is.EqualTo(10));
    }

    [Test]
    public async Task Handle_WhenTheHandlerSucceeds_ThenRunsItOnceWithoutReset()
    {
        FailsWith(0, () => new ConcurrencyConflictException());

        var result = await Handle();

        Assert.That(result, Is.SameAs(Response));
        Assert.That(_calls, Is.EqualTo(1));
        _unitOfWork.Verify(u => u.Reset(), Times.Never());
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(9)]
    public async Task Handle_WhenTheHandlerConflictsAFewTimes_ThenResetsBeforeEveryRerunAndReturnsTheResult(int conflicts)
    {
        FailsWith(conflicts, () => new ConcurrencyConflictException());

        var result = await Handle();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result, Is.SameAs(Response));
            Assert.That(_calls, Is.EqualTo(conflicts + 1));
            Assert.That(_resetsBeforeLastCall, Is.EqualTo(conflicts), "each rerun starts from a cleared unit of work");
        }

        _unitOfWork.Verify(u => u.Reset(), Times.Exactly(conflicts));
    }

    [Test]
    public void Handle_WhenTheHandlerConflictsEveryTime_ThenGivesUpAfterMaxAttemptsAndRethrows()
    {
        FailsWith(int.MaxValue, () => new ConcurrencyConflictException());

        Assert.ThrowsAsync<ConcurrencyConflictException>(Handle);

        Assert.That(_calls, Is.EqualTo(RetryOnConflictBehavior<PatchWebhookCommand, WebhookEndpointResponse>.MaxAttempts));
        _unitOfWork.Verify(u => u.Reset(), Times.Exactly(RetryOnConflictBehavior<PatchWebhookCommand, WebhookEndpointResponse>.MaxAttempts - 1));
    }

    [Test]
    public void Handle_WhenTheLastAttemptConflicts_ThenRethrowsThatSameException()
    {
        var last = new ConcurrencyConflictException(new InvalidOperationException("the tenth"));
        var thrown = 0;
        _next.Setup(n => n()).Returns(() =>
        {
            _calls++;
            return ++thrown == RetryOnConflictBehavior<PatchWebhookCommand, WebhookEndpointResponse>.MaxAttempts
                ? Task.FromException<WebhookEndpointResponse>(last)
                : Task.FromException<WebhookEndpointResponse>(new ConcurrencyConflictException());
        });

        var exception = Assert.ThrowsAsync<ConcurrencyConflictException>(Handle);

        Assert.That(exception, Is.SameAs(last));
    }

    private static IEnumerable<TestCaseData> OtherExceptions()
    {
        yield return new TestCaseData(new Func<Exception>(() => new PreconditionFailedException())).SetName("Handle_WhenPreconditionFails_ThenDoesNotRetry");
        yield return new TestCaseData(new Func<Exception>(() => new NotFoundException())).SetName("Handle_WhenNotFound_ThenDoesNotRetry");
        yield return new TestCaseData(new Func<Exception>(() => new ValidationFailedException("url", "must use https"))).SetName("Handle_WhenValidationFails_ThenDoesNotRetry");
        yield return new TestCaseData(new Func<Exception>(() => new InvalidOperationException("boom"))).SetName("Handle_WhenAnythingElseIsThrown_ThenDoesNotRetry");
        yield return new TestCaseData(new Func<Exception>(() => new OperationCanceledException())).SetName("Handle_WhenCancelled_ThenDoesNotRetry");
    }

    [TestCaseSource(nameof(OtherExceptions))]
    public void Handle_WhenTheHandlerThrowsAnythingButAConflict_ThenRethrowsItAfterOneAttemptWithoutReset(Func<Exception> create)
    {
        var exception = create();
        _next.Setup(n => n()).Returns(() =>
        {
            _calls++;
            return Task.FromException<WebhookEndpointResponse>(exception);
        });

        var thrown = Assert.CatchAsync(Handle);

        Assert.That(thrown, Is.SameAs(exception));
        Assert.That(_calls, Is.EqualTo(1));
        _unitOfWork.Verify(u => u.Reset(), Times.Never());
    }

    [Test]
    public void Handle_WhenCancelledWhileWaitingToRetry_ThenStops()
    {
        using var cancellation = new CancellationTokenSource();
        _next.Setup(n => n()).Returns(() =>
        {
            _calls++;
            cancellation.Cancel();
            return Task.FromException<WebhookEndpointResponse>(new ConcurrencyConflictException());
        });

        Assert.CatchAsync<OperationCanceledException>(() =>
            new RetryOnConflictBehavior<PatchWebhookCommand, WebhookEndpointResponse>(_unitOfWork.Object).Handle(new PatchWebhookCommand(TestData.EndpointId, WebhookEndpointChanges.None), cancellation.Token, _next.Object));
        Assert.That(_calls, Is.EqualTo(1));
    }

    /// <summary>The handler throws <paramref name="create"/>'s exception <paramref name="times"/> times, then returns <see cref="Response"/>.</summary>
    private void FailsWith(int times, Func<Exception> create)
    {
        var resets = 0;
        _unitOfWork.Setup(u => u.Reset()).Callback(() => resets++);
        _next.Setup(n => n()).Returns(() =>
        {
            _calls++;
            _resetsBeforeLastCall = resets;
            return _calls <= times ? Task.FromException<WebhookEndpointResponse>(create()) : Task.FromResult(Response);
        });
    }

    private Task<WebhookEndpointResponse> Handle() =>
        new RetryOnConflictBehavior<PatchWebhookCommand, WebhookEndpointResponse>(_unitOfWork.Object).Handle(new PatchWebhookCommand(TestData.EndpointId, WebhookEndpointChanges.None), CancellationToken.None, _next.Object);
}
