using Webhooks.Application.Common.Errors;
using Webhooks.Application.Organizations;
using Webhooks.Application.Organizations.RevokeApiKey;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Tests.Organizations;

public sealed class RevokeApiKeyCommandHandlerTests
{
    private ApiKey _apiKey = null!;

    private Ports _ports = null!;

    [SetUp]
    public void SetUp()
    {
        _ports = new Ports();
        _apiKey = ApiKey.Issue(TestData.ApiKeyId, TestData.OrgId, "ci", [Scopes.WebhooksRead], Sha256Hasher.Hash("am_live_x"), TestData.CreatedAt);
        _ports.ApiKeys.Setup(k => k.GetAsync(TestData.ApiKeyId, It.IsAny<CancellationToken>())).ReturnsAsync(_apiKey);
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

        _ports.VerifySavedOnce();
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
        _ports.VerifyNotSaved();
    }

    private Task<ApiKeyRevoked> Handle(Guid id) =>
        _ports.Handler<RevokeApiKeyCommandHandler>().Handle(new RevokeApiKeyCommand(id), _ports.Token);
}
