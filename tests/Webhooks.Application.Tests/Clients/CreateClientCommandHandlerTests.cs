using System.Text.RegularExpressions;
using Webhooks.Application.Clients;
using Webhooks.Application.Clients.CreateClient;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Common;
using static Webhooks.Application.Tests.Clients.ClientTestData;

namespace Webhooks.Application.Tests.Clients;

public sealed partial class CreateClientCommandHandlerTests
{

    private Ports _ports = null!;

    [SetUp]
    public void SetUp()
    {
        _ports = new Ports();
    }

    [Test]
    public async Task Handle_WhenCustomerIdIsValid_ThenReturnsASecretOfPrefixAnd43UrlSafeCharacters()
    {
        var issued = await Handle(CustomerId);

        Assert.That(issued.ClientSecret, Does.Match(SecretPattern()));
    }

    [Test]
    public async Task Handle_WhenCalledTwice_ThenIssuesDifferentSecrets()
    {
        var first = await Handle(CustomerId);
        var second = await Handle(CustomerId);

        Assert.That(second.ClientSecret, Is.Not.EqualTo(first.ClientSecret));
    }

    [Test]
    public async Task Handle_WhenCustomerIdIsValid_ThenStoresTheHashOfTheSecretAndNeverTheSecret()
    {
        var issued = await Handle(CustomerId);

        Assert.That(_ports.AddedClients, Has.Count.EqualTo(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_ports.AddedClients[0].SecretHash, Is.EqualTo(Sha256Hasher.Hash(issued.ClientSecret)));
            Assert.That(_ports.AddedClients[0].SecretHash, Does.Not.Contain(issued.ClientSecret[ClientAuthenticator.SecretPrefix.Length..]));
            Assert.That(_ports.AddedClients[0].CustomerId, Is.Not.EqualTo(issued.ClientSecret));
        }

        _ports.Hasher.Verify(h => h.Hash(issued.ClientSecret), Times.Once());
        _ports.Hasher.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Handle_WhenCustomerIdIsValid_ThenRegistersTheClientWithIdTimeAndNoWebhookUrlAndSavesOnce()
    {
        var issued = await Handle(CustomerId);

        Assert.That(_ports.AddedClients, Has.Count.EqualTo(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(issued.ClientId, Is.EqualTo(TestData.NewId));
            Assert.That(issued.CustomerId, Is.EqualTo(CustomerId));
            Assert.That(_ports.AddedClients[0].Id, Is.EqualTo(TestData.NewId));
            Assert.That(_ports.AddedClients[0].CustomerId, Is.EqualTo(CustomerId));
            Assert.That(_ports.AddedClients[0].CreatedAt, Is.EqualTo(TestData.Now));
            Assert.That(_ports.AddedClients[0].WebhookUrl, Is.Null);
            Assert.That(_ports.AddedClients[0].IsSuspended, Is.False);
        }

        _ports.Clients.Verify(c => c.Add(It.IsAny<Client>()), Times.Once());
        _ports.VerifySavedOnce();
        _ports.UnitOfWork.VerifyNoOtherCalls();
    }

    [TestCase("  cus_123 ")]
    [TestCase("\tcus_123\n")]
    public async Task Handle_WhenCustomerIdHasSurroundingWhiteSpace_ThenStoresAndReturnsItTrimmed(string customerId)
    {
        var issued = await Handle(customerId);

        Assert.That(issued.CustomerId, Is.EqualTo(CustomerId));
        Assert.That(_ports.AddedClients.Single().CustomerId, Is.EqualTo(CustomerId));
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase(null)]
    public void Handle_WhenCustomerIdIsEmpty_ThenThrowsValidationFailedForCustomerIdAndAddsAndSavesNothing(string? customerId)
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(customerId!));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["customer_id"] = "must not be empty" }));
        _ports.Clients.Verify(c => c.Add(It.IsAny<Client>()), Times.Never());
        _ports.VerifyNotSaved();
    }

    [Test]
    public void Handle_WhenCustomerIdIsTooLong_ThenThrowsValidationFailedForCustomerIdAndSavesNothing()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(new string('c', Client.MaxCustomerIdLength + 1)));

        Assert.That(exception!.Errors.Keys, Is.EqualTo(new[] { "customer_id" }));
        _ports.VerifyNotSaved();
    }

    [Test]
    public async Task Handle_WhenTheClientIsCreated_ThenTheIssuedSecretAuthenticatesIt()
    {
        var issued = await Handle(CustomerId);
        var stored = _ports.AddedClients.Single();
        var clients = new Mock<IClientRepository>();
        clients.Setup(c => c.FindCredentialsAsync(stored.Id, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ClientCredentials(stored.Id, stored.SecretHash, stored.IsSuspended));

        var caller = await new ClientAuthenticator(clients.Object, _ports.Hasher.Object).AuthenticateAsync(issued.ClientId.ToString(), issued.ClientSecret, _ports.Token);

        Assert.That(caller?.Id, Is.EqualTo(TestData.NewId));
    }

    [GeneratedRegex("^cs_live_[A-Za-z0-9_-]{43}$")]
    private static partial Regex SecretPattern();

    private Task<ClientIssued> Handle(string customerId) =>
        _ports.Handler<CreateClientCommandHandler>().Handle(new CreateClientCommand(customerId), _ports.Token);
}
