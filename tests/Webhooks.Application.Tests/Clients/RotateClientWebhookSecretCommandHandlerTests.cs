using Webhooks.Application.Clients.RotateClientWebhookSecret;
using Webhooks.Application.Common.Errors;
using Webhooks.Domain.Clients;
using static Webhooks.Application.Tests.Clients.ClientTestData;

namespace Webhooks.Application.Tests.Clients;

public sealed class RotateClientWebhookSecretCommandHandlerTests
{
    private Ports _ports = null!;

    [SetUp]
    public void SetUp()
    {
        _ports = new Ports();
        _ports.ActAs(ActiveCaller());
    }

    [Test]
    public async Task Handle_WhenTheClientExists_ThenStoresANewProtectedSecretAndReturnsItOnce()
    {
        var client = StoredClient();
        _ports.Holds(client);
        var before = client.ProtectedWebhookSecret;

        var response = await Handle();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.WebhookSecret, Does.Match("^whsec_[A-Za-z0-9+/]{43}=$"));
            Assert.That(client.ProtectedWebhookSecret, Is.Not.EqualTo(before));
            Assert.That(client.ProtectedWebhookSecret, Does.Not.Contain(response.WebhookSecret), "stored protected, never in clear");
            Assert.That(_ports.Protector.Unprotect(client.ProtectedWebhookSecret!), Is.EqualTo(response.WebhookSecret));
            Assert.That(client.UpdatedAt, Is.EqualTo(TestData.Now));
        }

        _ports.Clients.Verify(c => c.GetAsync(ClientId, _ports.Token), Times.Once());
        _ports.VerifySavedOnce();
    }

    [Test]
    public async Task Handle_WhenCalledTwice_ThenEachTimeIssuesAnotherSecret()
    {
        _ports.Holds(StoredClient());

        var first = await Handle();
        var second = await Handle();

        Assert.That(second.WebhookSecret, Is.Not.EqualTo(first.WebhookSecret));
    }

    [Test]
    public void Handle_WhenTheClientNoLongerExists_ThenThrowsNotFoundAndSavesNothing()
    {
        Assert.ThrowsAsync<NotFoundException>(Handle);

        _ports.VerifyNotSaved();
    }

    private Task<ClientWebhookSecretResponse> Handle() =>
        _ports.Handler<RotateClientWebhookSecretCommandHandler>().Handle(new RotateClientWebhookSecretCommand(), _ports.Token);
}
