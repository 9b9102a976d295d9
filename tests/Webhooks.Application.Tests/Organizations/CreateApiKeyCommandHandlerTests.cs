using System.Text.RegularExpressions;
using Webhooks.Application.Organizations;
using Webhooks.Application.Organizations.CreateApiKey;
using Webhooks.Domain.Common;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Tests.Organizations;

public sealed partial class CreateApiKeyCommandHandlerTests
{

    private Ports _ports = null!;

    [SetUp]
    public void SetUp()
    {
        _ports = new Ports();
        _ports.Organizations.Setup(o => o.ExistsAsync(TestData.OrgId, It.IsAny<CancellationToken>())).ReturnsAsync(true);
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

        Assert.That(_ports.AddedApiKeys, Has.Count.EqualTo(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_ports.AddedApiKeys[0].KeyHash, Is.EqualTo(Sha256Hasher.Hash(issued.Key)));
            Assert.That(_ports.AddedApiKeys[0].KeyHash, Does.Not.Contain(issued.Key[ApiKey.Prefix.Length..]));
            Assert.That(_ports.AddedApiKeys[0].Name, Is.Not.EqualTo(issued.Key));
        }

        _ports.Hasher.Verify(h => h.Hash(issued.Key), Times.Once());
        _ports.Hasher.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Handle_WhenOrganizationExists_ThenIssuesTheKeyToItWithIdScopesTimeAndNameAndSavesOnce()
    {
        var issued = await Handle(new CreateApiKeyCommand(TestData.OrgId, [Scopes.WebhooksRead, Scopes.WebhooksWrite], "ci"));

        var apiKey = _ports.AddedApiKeys.Single();
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

        _ports.VerifySavedOnce();
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
        _ports.Organizations.Verify(o => o.ExistsAsync(TestData.OtherOrgId, _ports.Token), Times.Once());
        _ports.ApiKeys.Verify(k => k.Add(It.IsAny<ApiKey>()), Times.Never());
        _ports.VerifyNotSaved();
    }

    [Test]
    public void Handle_WhenAScopeIsUnknown_ThenThrowsValidationFailedAndNeverAddsOrSaves()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(new CreateApiKeyCommand(TestData.OrgId, ["webhooks:admin"])));

        Assert.That(exception!.Errors.Keys, Is.EquivalentTo(new[] { "scopes" }));
        _ports.ApiKeys.Verify(k => k.Add(It.IsAny<ApiKey>()), Times.Never());
        _ports.VerifyNotSaved();
    }

    [GeneratedRegex("^am_live_[A-Za-z0-9_-]{43}$")]
    private static partial Regex KeyPattern();

    private Task<ApiKeyIssued> Handle(CreateApiKeyCommand command) =>
        _ports.Handler<CreateApiKeyCommandHandler>().Handle(command, _ports.Token);
}
