using Moq;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Tests.Support;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.DeleteWebhook;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Tests.Webhooks;

public sealed class DeleteWebhookCommandHandlerTests
{
    private static readonly Guid Id = TestData.EndpointId;

    private readonly CancellationToken _token = new CancellationTokenSource().Token;

    private Mock<IWebhookEndpointRepository> _endpoints = null!;
    private Mock<IUnitOfWork> _unitOfWork = null!;
    private Mock<ICurrentCaller> _currentCaller = null!;
    private Mock<IClock> _clock = null!;
    private WebhookEndpoint _endpoint = null!;

    [SetUp]
    public void SetUp()
    {
        _endpoint = TestData.Endpoint();
        _endpoints = new Mock<IWebhookEndpointRepository>(MockBehavior.Strict);
        _endpoints.Setup(r => r.GetAsync(It.IsAny<Guid>(), It.IsAny<Guid>(), It.IsAny<CancellationToken>())).ReturnsAsync((WebhookEndpoint?)null);
        _endpoints.Setup(r => r.GetAsync(TestData.EndpointId, TestData.OrgId, It.IsAny<CancellationToken>())).ReturnsAsync(_endpoint);
        _unitOfWork = new Mock<IUnitOfWork>(MockBehavior.Strict);
        _unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _currentCaller = new Mock<ICurrentCaller>();
        _currentCaller.SetupGet(c => c.Caller).Returns(TestData.WriteCaller());
        _clock = new Mock<IClock>();
        _clock.SetupGet(c => c.UtcNow).Returns(TestData.Now);
    }

    [Test]
    public async Task Handle_WhenEndpointExists_ThenSoftDeletesItSavesOnceAndReturnsTheFinalResource()
    {
        var response = await Handle(new DeleteWebhookCommand(Id));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_endpoint.DeletedAt, Is.EqualTo(TestData.Now));
            Assert.That(response.Id, Is.EqualTo(TestData.EndpointId));
            Assert.That(response.Url, Is.EqualTo(TestData.Url));
            Assert.That(response.DeletedAt, Is.EqualTo(TestData.Now));
            Assert.That(response.UpdatedAt, Is.EqualTo(TestData.Now));
            Assert.That(response.CreatedAt, Is.EqualTo(TestData.CreatedAt));
            Assert.That(response.ETag, Is.EqualTo(WebhookETag.For(TestData.EndpointId, 2)));
            Assert.That(response.Secret, Is.Null);
        }

        _endpoints.Verify(r => r.GetAsync(TestData.EndpointId, TestData.OrgId, _token), Times.Once());
        _unitOfWork.Verify(u => u.SaveChangesAsync(_token), Times.Once());
    }

    [TestCase("*")]
    [TestCase("\"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.1\"")]
    [TestCase("\"old\", \"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.1\"")]
    public async Task Handle_WhenIfMatchMatches_ThenDeletes(string ifMatch)
    {
        await Handle(new DeleteWebhookCommand(Id, IfMatch.Parse(ifMatch)));

        Assert.That(_endpoint.IsDeleted, Is.True);
        _unitOfWork.Verify(u => u.SaveChangesAsync(_token), Times.Once());
    }

    [TestCase("\"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.2\"")]
    [TestCase("W/\"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.1\"")]
    public void Handle_WhenIfMatchIsStaleOrWeak_ThenThrowsPreconditionFailedAndNeitherDeletesNorSaves(string ifMatch)
    {
        Assert.ThrowsAsync<PreconditionFailedException>(() => Handle(new DeleteWebhookCommand(Id, IfMatch.Parse(ifMatch))));

        Assert.That(_endpoint.IsDeleted, Is.False);
        Assert.That(_endpoint.Revision, Is.EqualTo(1));
        _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
    }

    [Test]
    public void Handle_WhenRepositoryReturnsNull_ThenThrowsNotFoundAndDoesNotSave()
    {
        var exception = Assert.ThrowsAsync<NotFoundException>(() => Handle(new DeleteWebhookCommand(Guid.NewGuid(), IfMatch.Parse("*"))));

        Assert.That(exception!.Message, Is.EqualTo("not found"));
        _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
    }

    [Test]
    public void Handle_WhenEndpointBelongsToAnotherOrganization_ThenThrowsNotFoundAndLeavesItAlone()
    {
        _currentCaller.SetupGet(c => c.Caller).Returns(new Caller(CallerKind.ApiKey, TestData.ApiKeyId, TestData.OtherOrgId, [Domain.Organizations.Scopes.WebhooksWrite]));

        Assert.ThrowsAsync<NotFoundException>(() => Handle(new DeleteWebhookCommand(Id)));

        _endpoints.Verify(r => r.GetAsync(TestData.EndpointId, TestData.OtherOrgId, It.IsAny<CancellationToken>()), Times.Once());
        Assert.That(_endpoint.IsDeleted, Is.False);
        _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
    }

    private Task<WebhookEndpointResponse> Handle(DeleteWebhookCommand command) =>
        new DeleteWebhookCommandHandler(_endpoints.Object, _unitOfWork.Object, _currentCaller.Object, _clock.Object, TestData.Mapper).Handle(command, _token);
}
