using Moq;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Organizations;
using Webhooks.Application.Organizations.RevokeApiKey;
using Webhooks.Application.Tests.Support;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Tests.Organizations;

public sealed class RevokeApiKeyCommandHandlerTests
{
    private readonly CancellationToken _token = new CancellationTokenSource().Token;

    private Mock<IApiKeyRepository> _apiKeys = null!;
    private Mock<IUnitOfWork> _unitOfWork = null!;
    private Mock<IClock> _clock = null!;
    private ApiKey _apiKey = null!;

    [SetUp]
    public void SetUp()
    {
        _apiKey = ApiKey.Issue(TestData.ApiKeyId, TestData.OrgId, "ci", [Scopes.WebhooksRead], Sha256Hasher.Hash("am_live_x"), TestData.CreatedAt);
        _apiKeys = new Mock<IApiKeyRepository>(MockBehavior.Strict);
        _apiKeys.Setup(k => k.GetAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>())).ReturnsAsync((ApiKey?)null);
        _apiKeys.Setup(k => k.GetAsync(TestData.ApiKeyId, It.IsAny<CancellationToken>())).ReturnsAsync(_apiKey);
        _unitOfWork = new Mock<IUnitOfWork>(MockBehavior.Strict);
        _unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _clock = new Mock<IClock>();
        _clock.SetupGet(c => c.UtcNow).Returns(TestData.Now);
    }

    [Test]
    public async Task Handle_WhenKeyExists_ThenRevokesItAtTheClocksTimeAndSavesOnce()
    {
        var revoked = await Handle(TestData.ApiKeyId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(revoked, Is.EqualTo(new ApiKeyRevoked(TestData.ApiKeyId, TestData.Now)));
            Assert.That(_apiKey.IsRevoked, Is.True);
            Assert.That(_apiKey.RevokedAt, Is.EqualTo(TestData.Now));
        }

        _unitOfWork.Verify(u => u.SaveChangesAsync(_token), Times.Once());
    }

    [Test]
    public async Task Handle_WhenKeyIsAlreadyRevoked_ThenKeepsTheFirstRevocationTime()
    {
        _apiKey.Revoke(TestData.CreatedAt);

        var revoked = await Handle(TestData.ApiKeyId);

        Assert.That(revoked.RevokedAt, Is.EqualTo(TestData.CreatedAt));
    }

    [Test]
    public void Handle_WhenKeyIsUnknown_ThenThrowsNotFoundAndDoesNotSave()
    {
        Assert.ThrowsAsync<NotFoundException>(() => Handle(Guid.NewGuid()));
        _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
    }

    private Task<ApiKeyRevoked> Handle(Guid id) =>
        new RevokeApiKeyCommandHandler(_apiKeys.Object, _unitOfWork.Object, _clock.Object).Handle(new RevokeApiKeyCommand(id), _token);
}
