using Moq;
using Webhooks.Application.Clients;
using Webhooks.Application.Clients.SuspendClient;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Tests.Support;
using Webhooks.Domain.Clients;
using static Webhooks.Application.Tests.ClientsApi.ClientTestData;

namespace Webhooks.Application.Tests.ClientsApi;

public sealed class SuspendClientCommandHandlerTests
{
    private readonly CancellationToken _token = new CancellationTokenSource().Token;

    private Mock<IClientRepository> _clients = null!;
    private Mock<IUnitOfWork> _unitOfWork = null!;
    private Mock<IClock> _clock = null!;
    private Client _client = null!;

    [SetUp]
    public void SetUp()
    {
        _client = StoredClient(WebhookUrl);
        _clients = new Mock<IClientRepository>(MockBehavior.Strict);
        _clients.Setup(c => c.GetAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>())).ReturnsAsync((Client?)null);
        _clients.Setup(c => c.GetAsync(ClientId, It.IsAny<CancellationToken>())).ReturnsAsync(() => _client);
        _unitOfWork = new Mock<IUnitOfWork>(MockBehavior.Strict);
        _unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _clock = new Mock<IClock>();
        _clock.SetupGet(c => c.UtcNow).Returns(TestData.Now);
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

        _clients.Verify(c => c.GetAsync(ClientId, _token), Times.Once());
        _unitOfWork.Verify(u => u.SaveChangesAsync(_token), Times.Once());
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
        _clients.Verify(c => c.GetAsync(unknown, It.IsAny<CancellationToken>()), Times.Once());
        _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
        Assert.That(_client.IsSuspended, Is.False);
    }

    private Task<ClientSuspended> Handle(Guid clientId) =>
        new SuspendClientCommandHandler(_clients.Object, _unitOfWork.Object, _clock.Object).Handle(new SuspendClientCommand(clientId), _token);
}
