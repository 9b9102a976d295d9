using System.Text.RegularExpressions;
using Moq;
using Webhooks.Application.Clients;
using Webhooks.Application.Clients.CreateClient;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Tests.Support;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Common;
using static Webhooks.Application.Tests.ClientsApi.ClientTestData;

namespace Webhooks.Application.Tests.ClientsApi;

public sealed partial class CreateClientCommandHandlerTests
{
    private readonly CancellationToken _token = new CancellationTokenSource().Token;

    private Mock<IClientRepository> _clients = null!;
    private Mock<IUnitOfWork> _unitOfWork = null!;
    private Mock<ISecretHasher> _hasher = null!;
    private Mock<IIdGenerator> _ids = null!;
    private Mock<IClock> _clock = null!;
    private List<Client> _added = null!;

    [SetUp]
    public void SetUp()
    {
        _added = [];
        _clients = new Mock<IClientRepository>(MockBehavior.Strict);
        _clients.Setup(c => c.Add(It.IsAny<Client>())).Callback<Client>(_added.Add);
        _unitOfWork = new Mock<IUnitOfWork>(MockBehavior.Strict);
        _unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _hasher = Sha256Hasher.Mock();
        _ids = new Mock<IIdGenerator>();
        _ids.Setup(i => i.NewId()).Returns(TestData.NewId);
        _clock = new Mock<IClock>();
        _clock.SetupGet(c => c.UtcNow).Returns(TestData.Now);
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

        Assert.That(_added, Has.Count.EqualTo(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_added[0].SecretHash, Is.EqualTo(Sha256Hasher.Hash(issued.ClientSecret)));
            Assert.That(_added[0].SecretHash, Does.Not.Contain(issued.ClientSecret[ClientAuthenticator.SecretPrefix.Length..]));
            Assert.That(_added[0].CustomerId, Is.Not.EqualTo(issued.ClientSecret));
        }

        _hasher.Verify(h => h.Hash(issued.ClientSecret), Times.Once());
        _hasher.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Handle_WhenCustomerIdIsValid_ThenRegistersTheClientWithIdTimeAndNoWebhookUrlAndSavesOnce()
    {
        var issued = await Handle(CustomerId);

        Assert.That(_added, Has.Count.EqualTo(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(issued.ClientId, Is.EqualTo(TestData.NewId));
            Assert.That(issued.CustomerId, Is.EqualTo(CustomerId));
            Assert.That(_added[0].Id, Is.EqualTo(TestData.NewId));
            Assert.That(_added[0].CustomerId, Is.EqualTo(CustomerId));
            Assert.That(_added[0].CreatedAt, Is.EqualTo(TestData.Now));
            Assert.That(_added[0].WebhookUrl, Is.Null);
            Assert.That(_added[0].IsSuspended, Is.False);
        }

        _clients.Verify(c => c.Add(It.IsAny<Client>()), Times.Once());
        _unitOfWork.Verify(u => u.SaveChangesAsync(_token), Times.Once());
        _unitOfWork.VerifyNoOtherCalls();
    }

    [TestCase("  cus_123 ")]
    [TestCase("\tcus_123\n")]
    public async Task Handle_WhenCustomerIdHasSurroundingWhiteSpace_ThenStoresAndReturnsItTrimmed(string customerId)
    {
        var issued = await Handle(customerId);

        Assert.That(issued.CustomerId, Is.EqualTo(CustomerId));
        Assert.That(_added.Single().CustomerId, Is.EqualTo(CustomerId));
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase(null)]
    public void Handle_WhenCustomerIdIsEmpty_ThenThrowsValidationFailedForCustomerIdAndAddsAndSavesNothing(string? customerId)
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(customerId!));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["customer_id"] = "must not be empty" }));
        _clients.Verify(c => c.Add(It.IsAny<Client>()), Times.Never());
        _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
    }

    [Test]
    public void Handle_WhenCustomerIdIsTooLong_ThenThrowsValidationFailedForCustomerIdAndSavesNothing()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(new string('c', Client.MaxCustomerIdLength + 1)));

        Assert.That(exception!.Errors.Keys, Is.EqualTo(new[] { "customer_id" }));
        _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
    }

    [Test]
    public async Task Handle_WhenTheClientIsCreated_ThenTheIssuedSecretAuthenticatesIt()
    {
        var issued = await Handle(CustomerId);
        var stored = _added.Single();
        var clients = new Mock<IClientRepository>();
        clients.Setup(c => c.FindCredentialsAsync(stored.Id, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ClientCredentials(stored.Id, stored.SecretHash, stored.IsSuspended));

        var caller = await new ClientAuthenticator(clients.Object, _hasher.Object).AuthenticateAsync(issued.ClientId.ToString(), issued.ClientSecret, _token);

        Assert.That(caller?.Id, Is.EqualTo(TestData.NewId));
    }

    [GeneratedRegex("^cs_live_[A-Za-z0-9_-]{43}$")]
    private static partial Regex SecretPattern();

    private Task<ClientIssued> Handle(string customerId) =>
        new CreateClientCommandHandler(_clients.Object, _unitOfWork.Object, _hasher.Object, _ids.Object, _clock.Object)
            .Handle(new CreateClientCommand(customerId), _token);
}
