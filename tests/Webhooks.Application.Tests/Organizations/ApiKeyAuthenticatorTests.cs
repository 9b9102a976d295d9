using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Organizations;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Tests.Organizations;

public sealed class ApiKeyAuthenticatorTests
{
    private const string ValidKey = "am_live_" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE";

    private readonly CancellationToken _token = new CancellationTokenSource().Token;

    private Mock<IApiKeyRepository> _apiKeys = null!;
    private Mock<ISecretHasher> _hasher = null!;

    [SetUp]
    public void SetUp()
    {
        _apiKeys = new Mock<IApiKeyRepository>(MockBehavior.Strict);
        _apiKeys.Setup(k => k.FindByHashAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((ApiKey?)null);
        _hasher = Sha256Hasher.Mock();
    }

    public static IEnumerable<TestCaseData> MalformedKeys()
    {
        yield return new TestCaseData(string.Empty).SetName("Authenticate_WhenKeyIsEmpty_ThenReturnsNullWithoutRepositoryCall");
        yield return new TestCaseData("am_test_" + new string('a', 43)).SetName("Authenticate_WhenPrefixIsWrong_ThenReturnsNullWithoutRepositoryCall");
        yield return new TestCaseData("AM_LIVE_" + new string('a', 43)).SetName("Authenticate_WhenPrefixHasWrongCase_ThenReturnsNullWithoutRepositoryCall");
        yield return new TestCaseData(new string('a', 51)).SetName("Authenticate_WhenPrefixIsMissing_ThenReturnsNullWithoutRepositoryCall");
        yield return new TestCaseData("am_live_" + new string('a', 31)).SetName("Authenticate_WhenKeyHas31RandomCharacters_ThenReturnsNullWithoutRepositoryCall");
        yield return new TestCaseData("am_live_").SetName("Authenticate_WhenKeyIsOnlyThePrefix_ThenReturnsNullWithoutRepositoryCall");
        yield return new TestCaseData("am_live_" + new string('a', 40) + "+/=").SetName("Authenticate_WhenKeyHasBase64NonUrlCharacters_ThenReturnsNullWithoutRepositoryCall");
        yield return new TestCaseData("am_live_" + new string('a', 40) + " bc").SetName("Authenticate_WhenKeyHasASpace_ThenReturnsNullWithoutRepositoryCall");
        yield return new TestCaseData("am_live_" + new string('a', 40) + "\u00e9bc").SetName("Authenticate_WhenKeyHasANonAsciiLetter_ThenReturnsNullWithoutRepositoryCall");
        yield return new TestCaseData("am_live_" + new string('a', 40) + "\u0661bc").SetName("Authenticate_WhenKeyHasANonAsciiDigit_ThenReturnsNullWithoutRepositoryCall");
        yield return new TestCaseData("am_live_" + new string('a', 249)).SetName("Authenticate_WhenKeyIs257Characters_ThenReturnsNullWithoutRepositoryCall");
        yield return new TestCaseData("am_live_" + new string('a', 10_000)).SetName("Authenticate_WhenKeyIsHuge_ThenReturnsNullWithoutRepositoryCall");
    }

    [TestCaseSource(nameof(MalformedKeys))]
    public async Task Authenticate_WhenKeyIsMalformed_ThenReturnsNullWithoutRepositoryCall(string key)
    {
        var caller = await Authenticator().AuthenticateAsync(key, _token);

        Assert.That(caller, Is.Null);
        _apiKeys.VerifyNoOtherCalls();
        _hasher.VerifyNoOtherCalls();
    }

    [TestCase(32)]
    [TestCase(43)]
    [TestCase(248)]
    public void IsWellFormed_WhenKeyHasAnAllowedLength_ThenReturnsTrue(int randomLength)
    {
        Assert.That(ApiKeyAuthenticator.IsWellFormed("am_live_" + new string('Z', randomLength)), Is.True);
    }

    [Test]
    public async Task Authenticate_WhenKeyIsUnknown_ThenLooksItUpByHashAndReturnsNull()
    {
        var caller = await Authenticator().AuthenticateAsync(ValidKey, _token);

        Assert.That(caller, Is.Null);
        _apiKeys.Verify(k => k.FindByHashAsync(Sha256Hasher.Hash(ValidKey), _token), Times.Once());
    }

    [Test]
    public async Task Authenticate_WhenKeyIsRevoked_ThenReturnsNull()
    {
        var apiKey = Stored(ValidKey);
        apiKey.Revoke(TestData.Now);

        var caller = await Authenticator().AuthenticateAsync(ValidKey, _token);

        Assert.That(caller, Is.Null);
    }

    [Test]
    public async Task Authenticate_WhenRepositoryReturnsAKeyWithAnotherHash_ThenReturnsNull()
    {
        var other = ApiKey.Issue(TestData.ApiKeyId, TestData.OrgId, null, [Scopes.WebhooksWrite], Sha256Hasher.Hash("something else"), TestData.CreatedAt);
        _apiKeys.Setup(k => k.FindByHashAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(other);

        var caller = await Authenticator().AuthenticateAsync(ValidKey, _token);

        Assert.That(caller, Is.Null);
    }

    [Test]
    public async Task Authenticate_WhenKeyIsValid_ThenReturnsAnApiKeyCallerWithItsOrgAndScopes()
    {
        Stored(ValidKey, Scopes.WebhooksRead, Scopes.WebhooksWrite);

        var caller = await Authenticator().AuthenticateAsync(ValidKey, _token);

        Assert.That(caller, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(caller!.Kind, Is.EqualTo(CallerKind.ApiKey));
            Assert.That(caller.Id, Is.EqualTo(TestData.ApiKeyId));
            Assert.That(caller.OrgId, Is.EqualTo(TestData.OrgId));
            Assert.That(caller.Scopes, Is.EquivalentTo(new[] { Scopes.WebhooksRead, Scopes.WebhooksWrite }));
            Assert.That(caller.RequireOrganization(), Is.EqualTo(TestData.OrgId));
        }
    }

    [Test]
    public async Task Authenticate_WhenKeyHasOnlyReadScope_ThenCallerCannotWrite()
    {
        Stored(ValidKey, Scopes.WebhooksRead);

        var caller = await Authenticator().AuthenticateAsync(ValidKey, _token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(caller!.HasScope(Scopes.WebhooksRead), Is.True);
            Assert.That(caller.HasScope(Scopes.WebhooksWrite), Is.False);
        }
    }

    private ApiKey Stored(string key, params string[] scopes)
    {
        var apiKey = ApiKey.Issue(TestData.ApiKeyId, TestData.OrgId, "ci", scopes.Length == 0 ? [Scopes.WebhooksRead] : scopes, Sha256Hasher.Hash(key), TestData.CreatedAt);
        _apiKeys.Setup(k => k.FindByHashAsync(Sha256Hasher.Hash(key), It.IsAny<CancellationToken>())).ReturnsAsync(apiKey);
        return apiKey;
    }

    private ApiKeyAuthenticator Authenticator() => new(_apiKeys.Object, _hasher.Object);
}
