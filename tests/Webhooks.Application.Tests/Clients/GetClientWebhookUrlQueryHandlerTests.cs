using Webhooks.Application.Clients;
using Webhooks.Application.Clients.GetClientWebhookUrl;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Clients;
using static Webhooks.Application.Tests.Clients.ClientTestData;

namespace Webhooks.Application.Tests.Clients;

public sealed class GetClientWebhookUrlQueryHandlerTests
{

    private Ports _ports = null!;

    [SetUp]
    public void SetUp()
    {
        _ports = new Ports();
        _ports.ActAs(ActiveCaller());
    }

    [Test]
    public async Task Handle_WhenWebhookUrlIsSet_ThenMapsClientIdCustomerIdAndWebhookUrl()
    {
        Holds(StoredClient(WebhookUrl));

        var response = await Handle();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.ClientId, Is.EqualTo("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3d0"));
            Assert.That(response.CustomerId, Is.EqualTo(CustomerId));
            Assert.That(response.WebhookUrl, Is.EqualTo(WebhookUrl));
        }
    }

    [Test]
    public async Task Handle_WhenNoWebhookUrlIsSet_ThenWebhookUrlIsAnEmptyString()
    {
        Holds(StoredClient());

        var response = await Handle();

        Assert.That(response, Is.EqualTo(new ClientResponse(ClientId.ToString(), CustomerId, string.Empty)));
    }

    [Test]
    public async Task Handle_WhenWebhookUrlWasCleared_ThenWebhookUrlIsAnEmptyString()
    {
        var client = StoredClient(WebhookUrl);
        client.SetWebhookUrl(null, TestData.Now);
        Holds(client);

        var response = await Handle();

        Assert.That(response.WebhookUrl, Is.EqualTo(string.Empty));
    }

    [Test]
    public async Task Handle_WhenCalled_ThenLoadsTheClientByTheCallersIdWithTheToken()
    {
        Holds(StoredClient());

        await Handle();

        _ports.Clients.Verify(c => c.GetAsync(ClientId, _ports.Token), Times.Once());
        _ports.Clients.VerifyNoOtherCalls();
    }

    [Test]
    public void Handle_WhenTheClientNoLongerExists_ThenThrowsNotFound()
    {
        var exception = Assert.ThrowsAsync<NotFoundException>(Handle);

        Assert.That(exception!.Message, Is.EqualTo("not found"));
    }

    private void Holds(Client client) =>
        _ports.Clients.Setup(c => c.GetAsync(ClientId, It.IsAny<CancellationToken>())).ReturnsAsync(client);

    private Task<ClientResponse> Handle() =>
        _ports.Handler<GetClientWebhookUrlQueryHandler>().Handle(new GetClientWebhookUrlQuery(), _ports.Token);
}
