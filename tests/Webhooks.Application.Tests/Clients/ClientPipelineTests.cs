using Webhooks.Application.Clients.CreateClient;
using Webhooks.Application.Clients.GetClientWebhookUrl;
using Webhooks.Application.Clients.SuspendClient;
using Webhooks.Application.Clients.UpdateClientWebhookUrl;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Organizations;
using static Webhooks.Application.Tests.Clients.ClientTestData;

namespace Webhooks.Application.Tests.Clients;

/// <summary>
/// Clients requests sent through <c>IMediator</c> as <c>AddApplication</c> wires it: authentication,
/// then scope (a suspended client holds none, so it gets 403), then existence. The body's shape and
/// rules are the API's (<c>RequestReader</c>), before the command is built.
/// </summary>
public sealed class ClientPipelineTests
{
    [Test]
    public void Send_WhenSuspendedClientGetsItsWebhookUrl_ThenThrowsForbiddenAndTouchesNoRepository()
    {
        var host = new ApplicationHost(SuspendedCaller());
        host.Clients.Setup(c => c.GetAsync(ClientId, It.IsAny<CancellationToken>())).ReturnsAsync(StoredClient(suspended: true));

        Assert.ThrowsAsync<ForbiddenException>(() => host.Mediator.Send(new GetClientWebhookUrlQuery()));
        VerifyNothingTouched(host);
    }

    [Test]
    public void Send_WhenSuspendedClientSendsAValidUrl_ThenThrowsForbiddenAndNothingChanges()
    {
        var host = new ApplicationHost(SuspendedCaller());
        var client = StoredClient(suspended: true);
        host.Clients.Setup(c => c.GetAsync(ClientId, It.IsAny<CancellationToken>())).ReturnsAsync(client);

        Assert.ThrowsAsync<ForbiddenException>(() => host.Mediator.Send(new UpdateClientWebhookUrlCommand(TestData.HttpsUrlOf(WebhookUrl))));
        Assert.That(client.WebhookUrl, Is.Null);
        VerifyNothingTouched(host);
    }

    [Test]
    public void Send_WhenThereIsNoCaller_ThenThrowsUnauthenticatedAndTouchesNoRepository()
    {
        var host = new ApplicationHost(caller: null);

        Assert.ThrowsAsync<UnauthenticatedException>(() => host.Mediator.Send(new UpdateClientWebhookUrlCommand(null)));
        Assert.ThrowsAsync<UnauthenticatedException>(() => host.Mediator.Send(new GetClientWebhookUrlQuery()));
        VerifyNothingTouched(host);
    }

    [Test]
    public void Send_WhenApiKeyCallerWithEveryApiKeyScopeSendsAClientsRequest_ThenThrowsForbidden()
    {
        var host = new ApplicationHost(TestData.ApiKeyCaller(Scopes.WebhooksRead, Scopes.WebhooksWrite));

        Assert.ThrowsAsync<ForbiddenException>(() => host.Mediator.Send(new GetClientWebhookUrlQuery()));
        Assert.ThrowsAsync<ForbiddenException>(() => host.Mediator.Send(new UpdateClientWebhookUrlCommand(TestData.HttpsUrlOf(WebhookUrl))));
        VerifyNothingTouched(host);
    }

    [Test]
    public void Send_WhenActiveClientSendsAnAdminCommand_ThenThrowsForbidden()
    {
        var host = new ApplicationHost(ActiveCaller());

        Assert.ThrowsAsync<ForbiddenException>(() => host.Mediator.Send(new CreateClientCommand(CustomerId)));
        Assert.ThrowsAsync<ForbiddenException>(() => host.Mediator.Send(new SuspendClientCommand(ClientId)));
        VerifyNothingTouched(host);
    }

    [Test]
    public async Task Send_WhenActiveClientSetsAUrl_ThenLoadsItselfSavesOnceAndReturnsTheUrl()
    {
        var host = new ApplicationHost(ActiveCaller());
        host.Clients.Setup(c => c.GetAsync(ClientId, It.IsAny<CancellationToken>())).ReturnsAsync(StoredClient());

        var response = await host.Mediator.Send(new UpdateClientWebhookUrlCommand(TestData.HttpsUrlOf(WebhookUrl)));

        Assert.That(response.WebhookUrl, Is.EqualTo(WebhookUrl));
        host.Clients.Verify(c => c.GetAsync(ClientId, It.IsAny<CancellationToken>()), Times.Once());
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public async Task Send_WhenActiveClientGetsItsWebhookUrl_ThenReturnsItWithoutSaving()
    {
        var host = new ApplicationHost(ActiveCaller());
        host.Clients.Setup(c => c.GetAsync(ClientId, It.IsAny<CancellationToken>())).ReturnsAsync(StoredClient(WebhookUrl));

        var response = await host.Mediator.Send(new GetClientWebhookUrlQuery());

        Assert.That(response.WebhookUrl, Is.EqualTo(WebhookUrl));
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
    }

    [Test]
    public void Send_WhenActiveClientNoLongerExists_ThenThrowsNotFoundAndDoesNotSave()
    {
        var host = new ApplicationHost(ActiveCaller());

        Assert.ThrowsAsync<NotFoundException>(() => host.Mediator.Send(new UpdateClientWebhookUrlCommand(TestData.HttpsUrlOf(WebhookUrl))));
        Assert.ThrowsAsync<NotFoundException>(() => host.Mediator.Send(new GetClientWebhookUrlQuery()));
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
    }

    [Test]
    public async Task Send_WhenOperatorCreatesAClient_ThenAddsItAndSavesOnce()
    {
        var host = new ApplicationHost(Caller.Operator);

        var issued = await host.Mediator.Send(new CreateClientCommand(" " + CustomerId + " "));

        Assert.That(issued.ClientId, Is.EqualTo(TestData.NewId));
        host.Clients.Verify(c => c.Add(It.Is<Client>(client => client.Id == TestData.NewId && client.CustomerId == CustomerId)), Times.Once());
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once());
    }

    private static void VerifyNothingTouched(ApplicationHost host)
    {
        host.Clients.VerifyNoOtherCalls();
        host.UnitOfWork.VerifyNoOtherCalls();
    }
}
