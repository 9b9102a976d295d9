using Webhooks.Application.Clients.SuspendClient;
using Webhooks.Application.Common.Errors;
using Webhooks.Domain.Clients;
using static Webhooks.Application.Tests.Clients.ClientTestData;

namespace Webhooks.Application.Tests.Clients;

public sealed class SuspendClientCommandHandlerTests
{
    private Client _client = null!;

    private Ports _ports = null!;

    [SetUp]
    public void SetUp()
    {
        _ports = new Ports();
        _client = StoredClient(WebhookUrl);
        _ports.Clients.Setup(c => c.GetAsync(ClientId, It.IsAny<CancellationToken>())).ReturnsAsync(() => _client);
    }

    [Test]
    public async Task Handle_WhenClientIsActive_ThenSuspendsItAtNowSavesOnceAndReturnsTheTime()
    {
        var suspended = await Handle(ClientId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(suspended, Is.EqualTo(new ClientSuspended(ClientId, TestData.Now)));
            Assert.That(_client.IsSuspended, Is.True);
            Assert.That(_client.SuspendedAt, Is.EqualTo(TestData.Now));
            Assert.That(_client.WebhookUrl?.Value, Is.EqualTo(WebhookUrl), "suspending keeps the webhook URL");
        }

        _ports.Clients.Verify(c => c.GetAsync(ClientId, _ports.Token), Times.Once());
        _ports.VerifySavedOnce();
    }

    [Test]
    public async Task Handle_WhenClientIsAlreadySuspended_ThenKeepsAndReturnsTheFirstTime()
    {
        _client = StoredClient(suspended: true);

        var suspended = await Handle(ClientId);

        Assert.That(suspended.SuspendedAt, Is.EqualTo(TestData.CreatedAt));
        Assert.That(_client.SuspendedAt, Is.EqualTo(TestData.CreatedAt));
    }

    [Test]
    public void Handle_WhenClientIdIsUnknown_ThenThrowsNotFoundAndDoesNotSave()
    {
        var unknown = Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3d9");

        var exception = Assert.ThrowsAsync<NotFoundException>(() => Handle(unknown));

        Assert.That(exception!.Message, Is.EqualTo("not found"));
        _ports.Clients.Verify(c => c.GetAsync(unknown, It.IsAny<CancellationToken>()), Times.Once());
        _ports.VerifyNotSaved();
        Assert.That(_client.IsSuspended, Is.False);
    }

    private Task<ClientSuspended> Handle(Guid clientId) =>
        _ports.Handler<SuspendClientCommandHandler>().Handle(new SuspendClientCommand(clientId), _ports.Token);
}
