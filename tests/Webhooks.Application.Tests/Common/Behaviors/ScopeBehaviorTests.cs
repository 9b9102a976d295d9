using MediatR;
using Webhooks.Application.Common.Behaviors;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Organizations.CreateApiKey;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.GetWebhook;
using Webhooks.Application.Webhooks.PatchWebhook;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Tests.Common.Behaviors;

public sealed class ScopeBehaviorTests
{
    private static readonly WebhookEndpointResponse Response = new(
        TestData.EndpointId, TestData.OrgId, TestData.Url, null, ["wallet.balance_low"], true, TestData.ApiVersion, TestData.CreatedAt, TestData.CreatedAt, null);

    private Mock<ICurrentCaller> _currentCaller = null!;

    [SetUp]
    public void SetUp() => _currentCaller = new Mock<ICurrentCaller>(MockBehavior.Strict);

    [Test]
    public void Handle_WhenThereIsNoCaller_ThenThrowsUnauthenticatedAndDoesNotCallNext()
    {
        _currentCaller.SetupGet(c => c.Caller).Returns((Caller?)null);
        var next = Next(Response);

        Assert.ThrowsAsync<UnauthenticatedException>(() => Behavior<GetWebhookQuery, WebhookEndpointResponse>().Handle(new GetWebhookQuery(TestData.EndpointId), CancellationToken.None, next.Object));
        next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Handle_WhenThereIsNoCallerForAnUndeclaredRequest_ThenThrowsUnauthenticatedFirst()
    {
        _currentCaller.SetupGet(c => c.Caller).Returns((Caller?)null);
        var next = Next(Unit.Value);

        Assert.ThrowsAsync<UnauthenticatedException>(() => Behavior<UndeclaredRequest, Unit>().Handle(new UndeclaredRequest(), CancellationToken.None, next.Object));
        next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Handle_WhenCallerHasNoScopes_ThenThrowsForbiddenWithContractMessageAndDoesNotCallNext()
    {
        _currentCaller.SetupGet(c => c.Caller).Returns(TestData.ApiKeyCaller());
        var next = Next(Response);

        var exception = Assert.ThrowsAsync<ForbiddenException>(() => Behavior<GetWebhookQuery, WebhookEndpointResponse>().Handle(new GetWebhookQuery(TestData.EndpointId), CancellationToken.None, next.Object));
        Assert.That(exception!.Message, Is.EqualTo("missing required scope"));
        next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Handle_WhenReadCallerSendsAWriteCommand_ThenThrowsForbiddenAndDoesNotCallNext()
    {
        _currentCaller.SetupGet(c => c.Caller).Returns(TestData.ReadCaller());
        var next = Next(Response);

        Assert.ThrowsAsync<ForbiddenException>(() => Behavior<PatchWebhookCommand, WebhookEndpointResponse>().Handle(new PatchWebhookCommand(TestData.EndpointId, WebhookEndpointChanges.None), CancellationToken.None, next.Object));
        next.Verify(n => n(), Times.Never());
    }

    [Test]
    public async Task Handle_WhenWriteCallerSendsAReadQuery_ThenCallsNextOnceAndReturnsItsResult()
    {
        _currentCaller.SetupGet(c => c.Caller).Returns(TestData.WriteCaller());
        var next = Next(Response);

        var result = await Behavior<GetWebhookQuery, WebhookEndpointResponse>().Handle(new GetWebhookQuery(TestData.EndpointId), CancellationToken.None, next.Object);

        Assert.That(result, Is.SameAs(Response));
        next.Verify(n => n(), Times.Once());
    }

    [Test]
    public async Task Handle_WhenReadCallerSendsAReadQuery_ThenCallsNextOnce()
    {
        _currentCaller.SetupGet(c => c.Caller).Returns(TestData.ReadCaller());
        var next = Next(Response);

        await Behavior<GetWebhookQuery, WebhookEndpointResponse>().Handle(new GetWebhookQuery(TestData.EndpointId), CancellationToken.None, next.Object);

        next.Verify(n => n(), Times.Once());
    }

    [Test]
    public async Task Handle_WhenWriteCallerSendsAWriteCommand_ThenCallsNextOnce()
    {
        _currentCaller.SetupGet(c => c.Caller).Returns(TestData.WriteCaller());
        var next = Next(Response);

        await Behavior<PatchWebhookCommand, WebhookEndpointResponse>().Handle(new PatchWebhookCommand(TestData.EndpointId, WebhookEndpointChanges.None), CancellationToken.None, next.Object);

        next.Verify(n => n(), Times.Once());
    }

    [Test]
    public void Handle_WhenScopeDiffersOnlyInLetterCase_ThenThrowsForbidden()
    {
        _currentCaller.SetupGet(c => c.Caller).Returns(TestData.ApiKeyCaller("WEBHOOKS:WRITE"));
        var next = Next(Response);

        Assert.ThrowsAsync<ForbiddenException>(() => Behavior<PatchWebhookCommand, WebhookEndpointResponse>().Handle(new PatchWebhookCommand(TestData.EndpointId, WebhookEndpointChanges.None), CancellationToken.None, next.Object));
        next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Handle_WhenApiKeyCallerSendsAnAdminCommand_ThenThrowsForbidden()
    {
        _currentCaller.SetupGet(c => c.Caller).Returns(TestData.ApiKeyCaller(Scopes.WebhooksRead, Scopes.WebhooksWrite));
        var next = Next(new ApiKeyIssued(Guid.Empty, "k"));

        Assert.ThrowsAsync<ForbiddenException>(() => Behavior<CreateApiKeyCommand, ApiKeyIssued>().Handle(new CreateApiKeyCommand(TestData.OrgId, [Scopes.WebhooksRead]), CancellationToken.None, next.Object));
        next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Handle_WhenOperatorSendsAWebhooksCommand_ThenThrowsForbidden()
    {
        _currentCaller.SetupGet(c => c.Caller).Returns(Caller.Operator);
        var next = Next(Response);

        Assert.ThrowsAsync<ForbiddenException>(() => Behavior<PatchWebhookCommand, WebhookEndpointResponse>().Handle(new PatchWebhookCommand(TestData.EndpointId, WebhookEndpointChanges.None), CancellationToken.None, next.Object));
        next.Verify(n => n(), Times.Never());
    }

    [Test]
    public async Task Handle_WhenOperatorSendsAnAdminCommand_ThenCallsNextOnce()
    {
        _currentCaller.SetupGet(c => c.Caller).Returns(Caller.Operator);
        var next = Next(new ApiKeyIssued(Guid.Empty, "k"));

        await Behavior<CreateApiKeyCommand, ApiKeyIssued>().Handle(new CreateApiKeyCommand(TestData.OrgId, [Scopes.WebhooksRead]), CancellationToken.None, next.Object);

        next.Verify(n => n(), Times.Once());
    }

    [Test]
    public void Handle_WhenRequestDeclaresNoScope_ThenThrowsInvalidOperationAndDoesNotCallNext()
    {
        _currentCaller.SetupGet(c => c.Caller).Returns(TestData.ApiKeyCaller(Scopes.WebhooksRead, Scopes.WebhooksWrite, Caller.OperatorScope));
        var next = Next(Unit.Value);

        var exception = Assert.ThrowsAsync<InvalidOperationException>(() => Behavior<UndeclaredRequest, Unit>().Handle(new UndeclaredRequest(), CancellationToken.None, next.Object));
        Assert.That(exception!.Message, Does.Contain(nameof(UndeclaredRequest)));
        next.Verify(n => n(), Times.Never());
    }

    [TestCase(Scopes.WebhooksRead)]
    [TestCase(Scopes.WebhooksWrite)]
    [TestCase(Caller.OperatorScope)]
    [TestCase("")]
    public async Task Handle_WhenRequestIsAnyScope_ThenAnyAuthenticatedCallerPasses(string scope)
    {
        _currentCaller.SetupGet(c => c.Caller).Returns(scope.Length == 0 ? TestData.ApiKeyCaller() : TestData.ApiKeyCaller(scope));
        var next = Next(Unit.Value);

        await Behavior<AnyScopeRequest, Unit>().Handle(new AnyScopeRequest(), CancellationToken.None, next.Object);

        next.Verify(n => n(), Times.Once());
    }

    [Test]
    public void Handle_WhenRequestIsAnyScopeButThereIsNoCaller_ThenThrowsUnauthenticated()
    {
        _currentCaller.SetupGet(c => c.Caller).Returns((Caller?)null);
        var next = Next(Unit.Value);

        Assert.ThrowsAsync<UnauthenticatedException>(() => Behavior<AnyScopeRequest, Unit>().Handle(new AnyScopeRequest(), CancellationToken.None, next.Object));
        next.Verify(n => n(), Times.Never());
    }

    private static Mock<RequestHandlerDelegate<T>> Next<T>(T result)
    {
        var next = new Mock<RequestHandlerDelegate<T>>(MockBehavior.Strict);
        next.Setup(n => n()).ReturnsAsync(result);
        return next;
    }

    private ScopeBehavior<TRequest, TResponse> Behavior<TRequest, TResponse>()
        where TRequest : IRequest<TResponse> =>
        new(_currentCaller.Object);

    /// <summary>A request that forgot to declare its scope.</summary>
    private sealed record UndeclaredRequest : IRequest<Unit>;

    /// <summary>A request open to any authenticated caller.</summary>
    [AnyScope]
    private sealed record AnyScopeRequest : IRequest<Unit>;
}
