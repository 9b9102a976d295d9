using Moq;
using Webhooks.Application.Clients.UpdateClientWebhookUrl;
using Webhooks.Application.Tests.Support;
using Webhooks.Domain.Common;
using Webhooks.Domain.Webhooks;
using static Webhooks.Application.Tests.ClientsApi.ClientTestData;

namespace Webhooks.Application.Tests.ClientsApi;

/// <summary>
/// <c>PUT /clients/webhook-url</c> through <c>IMediator</c>: the handler gets the registered
/// <see cref="WebhookCatalog"/>, so the operator's allowed networks apply to the Clients surface too.
/// </summary>
public sealed class ClientWebhookUrlPolicyPipelineTests
{
    [TestCase("https://localhost/hook", UrlPolicy.LocalhostMessage)]
    [TestCase("https://10.0.0.1/hook", UrlPolicy.NonPublicAddressMessage)]
    [TestCase("https://169.254.169.254/latest/meta-data", UrlPolicy.NonPublicAddressMessage)]
    [TestCase("https://[::1]/hook", UrlPolicy.NonPublicAddressMessage)]
    public void Send_WhenCatalogAllowsNothingAndUrlIsLocal_ThenThrowsValidationFailedAndDoesNotSave(string url, string message)
    {
        var host = new ApplicationHost(ActiveCaller());
        var client = StoredClient(WebhookUrl);
        host.Clients.Setup(c => c.GetAsync(ClientId, It.IsAny<CancellationToken>())).ReturnsAsync(client);

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => host.Mediator.Send(new UpdateClientWebhookUrlCommand(url)));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["webhook_url"] = message }));
        Assert.That(client.WebhookUrl?.Value, Is.EqualTo(WebhookUrl));
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
    }

    [Test]
    public async Task Send_WhenRegisteredCatalogAllowsTheNetwork_ThenStoresThePrivateUrlAndSavesOnce()
    {
        var seed = TestData.Catalog();
        var host = new ApplicationHost(ActiveCaller(), new WebhookCatalog(seed.EventTypes, seed.ApiVersions, new UrlPolicy(["10.0.0.0/8"])));
        var client = StoredClient();
        host.Clients.Setup(c => c.GetAsync(ClientId, It.IsAny<CancellationToken>())).ReturnsAsync(client);

        var response = await host.Mediator.Send(new UpdateClientWebhookUrlCommand("https://10.0.0.1/hook"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.WebhookUrl, Is.EqualTo("https://10.0.0.1/hook"));
            Assert.That(client.WebhookUrl?.Value, Is.EqualTo("https://10.0.0.1/hook"));
        }

        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once());
    }
}
