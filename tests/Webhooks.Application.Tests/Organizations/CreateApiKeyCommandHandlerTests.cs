using System.Text.RegularExpressions;
using Moq;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Organizations;
using Webhooks.Application.Organizations.CreateApiKey;
using Webhooks.Application.Tests.Support;
using Webhooks.Domain.Common;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Tests.Organizations;

public sealed partial class CreateApiKeyCommandHandlerTests
{
    private readonly CancellationToken _token = new CancellationTokenSource().Token;

    private Mock<IOrganizationRepository> _organizations = null!;
    private Mock<IApiKeyRepository> _apiKeys = null!;
    private Mock<IUnitOfWork> _unitOfWork = null!;
    private Mock<ISecretHasher> _hasher = null!;
    private Mock<IIdGenerator> _ids = null!;
    private Mock<IClock> _clock = null!;
    private List<ApiKey> _added = null!;

    [SetUp]
    public void SetUp()
    {
        _added = [];
        _organizations = new Mock<IOrganizationRepository>(MockBehavior.Strict);
        _organizations.Setup(o => o.ExistsAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        _organizations.Setup(o => o.ExistsAsync(TestData.OrgId, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        _apiKeys = new Mock<IApiKeyRepository>(MockBehavior.Strict);
        _apiKeys.Setup(k => k.Add(It.IsAny<ApiKey>())).Callback<ApiKey>(_added.Add);
        _unitOfWork = new Mock<IUnitOfWork>(MockBehavior.Strict);
        _unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _hasher = Sha256Hasher.Mock();
        _ids = new Mock<IIdGenerator>();
        _ids.Setup(i => i.NewId()).Returns(TestData.NewId);
        _clock = new Mock<IClock>();
        _clock.SetupGet(c => c.UtcNow).Returns(TestData.Now);
    }

    [Test]
    public async Task Handle_WhenOrganizationExists_ThenReturnsAKeyOfPrefixAnd43UrlSafeCharacters()
    {
        var issued = await Handle(new CreateApiKeyCommand(TestData.OrgId, [Scopes.WebhooksRead]));

        Assert.That(issued.Key, Does.Match(KeyPattern()));
        Assert.That(ApiKeyAuthenticator.IsWellFormed(issued.Key), Is.True);
    }

    [Test]
    public async Task Handle_WhenOrganizationExists_ThenStoresTheHashOfTheKeyAndNeverTheKey()
    {
        var issued = await Handle(new CreateApiKeyCommand(TestData.OrgId, [Scopes.WebhooksRead]));

        Assert.That(_added, Has.Count.EqualTo(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_added[0].KeyHash, Is.EqualTo(Sha256Hasher.Hash(issued.Key)));
            Assert.That(_added[0].KeyHash, Does.Not.Contain(issued.Key[ApiKey.Prefix.Length..]));
            Assert.That(_added[0].Name, Is.Not.EqualTo(issued.Key));
        }

        _hasher.Verify(h => h.Hash(issued.Key), Times.Once());
        _hasher.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Handle_WhenOrganizationExists_ThenIssuesTheKeyToItWithIdScopesTimeAndNameAndSavesOnce()
    {
        var issued = await Handle(new CreateApiKeyCommand(TestData.OrgId, [Scopes.WebhooksRead, Scopes.WebhooksWrite], "ci"));

        var apiKey = _added.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(issued.Id, Is.EqualTo(TestData.NewId));
            Assert.That(apiKey.Id, Is.EqualTo(TestData.NewId));
            Assert.That(apiKey.OrgId, Is.EqualTo(TestData.OrgId));
            Assert.That(apiKey.Scopes, Is.EqualTo(new[] { Scopes.WebhooksRead, Scopes.WebhooksWrite }));
            Assert.That(apiKey.Name, Is.EqualTo("ci"));
            Assert.That(apiKey.CreatedAt, Is.EqualTo(TestData.Now));
            Assert.That(apiKey.IsRevoked, Is.False);
        }

        _unitOfWork.Verify(u => u.SaveChangesAsync(_token), Times.Once());
    }

    [Test]
    public async Task Handle_WhenCalledTwice_ThenIssuesDifferentKeys()
    {
        var first = await Handle(new CreateApiKeyCommand(TestData.OrgId, [Scopes.WebhooksRead]));
        var second = await Handle(new CreateApiKeyCommand(TestData.OrgId, [Scopes.WebhooksRead]));

        Assert.That(second.Key, Is.Not.EqualTo(first.Key));
    }

    [Test]
    public void Handle_WhenOrganizationIsUnknown_ThenThrowsValidationFailedAndNeverAddsOrSaves()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(new CreateApiKeyCommand(TestData.OtherOrgId, [Scopes.WebhooksRead])));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["org"] = "no organization has this id" }));
        _organizations.Verify(o => o.ExistsAsync(TestData.OtherOrgId, _token), Times.Once());
        _apiKeys.Verify(k => k.Add(It.IsAny<ApiKey>()), Times.Never());
        _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
    }

    [Test]
    public void Handle_WhenAScopeIsUnknown_ThenThrowsValidationFailedAndNeverAddsOrSaves()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(new CreateApiKeyCommand(TestData.OrgId, ["webhooks:admin"])));

        Assert.That(exception!.Errors.Keys, Is.EquivalentTo(new[] { "scopes" }));
        _apiKeys.Verify(k => k.Add(It.IsAny<ApiKey>()), Times.Never());
        _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
    }

    [GeneratedRegex("^am_live_[A-Za-z0-9_-]{43}$")]
    private static partial Regex KeyPattern();

    private Task<ApiKeyIssued> Handle(CreateApiKeyCommand command) =>
        new CreateApiKeyCommandHandler(_organizations.Object, _apiKeys.Object, _unitOfWork.Object, _hasher.Object, _ids.Object, _clock.Object)
            .Handle(command, _token);
}
