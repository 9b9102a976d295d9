using Webhooks.Application.Clients;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Organizations;
using static Webhooks.Application.Tests.Clients.ClientTestData;

namespace Webhooks.Application.Tests.Clients;

public sealed class ClientAuthenticatorTests
{
    private static readonly string Id = ClientId.ToString();

    private readonly CancellationToken _token = new CancellationTokenSource().Token;

    private Mock<IClientRepository> _clients = null!;
    private Mock<ISecretHasher> _hasher = null!;

    [SetUp]
    public void SetUp()
    {
        _clients = new Mock<IClientRepository>(MockBehavior.Strict);
        _clients.Setup(c => c.FindCredentialsAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>())).ReturnsAsync((ClientCredentials?)null);
        _hasher = Sha256Hasher.Mock();
    }

    public static IEnumerable<TestCaseData> MalformedClientIds()
    {
        yield return new TestCaseData(string.Empty).SetName("Authenticate_WhenClientIdIsEmpty_ThenReturnsNullWithoutRepositoryCall");
        yield return new TestCaseData("not-a-uuid").SetName("Authenticate_WhenClientIdIsNotAUuid_ThenReturnsNullWithoutRepositoryCall");
        yield return new TestCaseData("0190a1b2c3d47e5fa7b8c9d0e1f2a3d0").SetName("Authenticate_WhenClientIdHasNoHyphens_ThenReturnsNullWithoutRepositoryCall");
        yield return new TestCaseData("{0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3d0}").SetName("Authenticate_WhenClientIdHasBraces_ThenReturnsNullWithoutRepositoryCall");
        yield return new TestCaseData("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3d").SetName("Authenticate_WhenClientIdIsOneDigitShort_ThenReturnsNullWithoutRepositoryCall");
        yield return new TestCaseData("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3dg").SetName("Authenticate_WhenClientIdHasANonHexDigit_ThenReturnsNullWithoutRepositoryCall");
    }

    [TestCaseSource(nameof(MalformedClientIds))]
    public async Task Authenticate_WhenClientIdIsMalformed_ThenReturnsNullWithoutRepositoryCall(string clientId)
    {
        var caller = await Authenticator().AuthenticateAsync(clientId, Secret, _token);

        Assert.That(caller, Is.Null);
        _clients.VerifyNoOtherCalls();
        _hasher.VerifyNoOtherCalls();
    }

    [TestCase(0)]
    [TestCase(ClientAuthenticator.MaxSecretLength + 1)]
    [TestCase(10_000)]
    public async Task Authenticate_WhenSecretIsEmptyOrLongerThan256_ThenReturnsNullWithoutRepositoryCall(int length)
    {
        Stored(isSuspended: false);

        var caller = await Authenticator().AuthenticateAsync(Id, new string('a', length), _token);

        Assert.That(caller, Is.Null);
        _clients.VerifyNoOtherCalls();
        _hasher.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Authenticate_WhenSecretIsExactly256Characters_ThenLooksTheClientUp()
    {
        var secret = new string('a', ClientAuthenticator.MaxSecretLength);
        _clients.Setup(c => c.FindCredentialsAsync(ClientId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ClientCredentials(ClientId, Sha256Hasher.Hash(secret), false));

        var caller = await Authenticator().AuthenticateAsync(Id, secret, _token);

        Assert.That(caller, Is.Not.Null);
        _clients.Verify(c => c.FindCredentialsAsync(ClientId, _token), Times.Once());
    }

    [Test]
    public async Task Authenticate_WhenClientIsUnknown_ThenReturnsNull()
    {
        var caller = await Authenticator().AuthenticateAsync(Id, Secret, _token);

        Assert.That(caller, Is.Null);
        _clients.Verify(c => c.FindCredentialsAsync(ClientId, _token), Times.Once());
    }

    [Test]
    public async Task Authenticate_WhenSecretIsWrong_ThenReturnsNull()
    {
        Stored(isSuspended: false);

        var caller = await Authenticator().AuthenticateAsync(Id, Secret + "x", _token);

        Assert.That(caller, Is.Null);
    }

    [Test]
    public async Task Authenticate_WhenStoredValueIsTheSecretItselfRatherThanItsHash_ThenReturnsNull()
    {
        _clients.Setup(c => c.FindCredentialsAsync(ClientId, It.IsAny<CancellationToken>())).ReturnsAsync(new ClientCredentials(ClientId, Secret, false));

        var caller = await Authenticator().AuthenticateAsync(Id, Secret, _token);

        Assert.That(caller, Is.Null, "the hash of the presented secret is compared, never the secret itself");
    }

    [Test]
    public async Task Authenticate_WhenSecretIsRight_ThenHashesThePresentedSecretOnce()
    {
        Stored(isSuspended: false);

        await Authenticator().AuthenticateAsync(Id, Secret, _token);

        _hasher.Verify(h => h.Hash(Secret), Times.Once());
        _hasher.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Authenticate_WhenSecretIsRight_ThenReturnsAClientCallerWithTheActiveClientScopes()
    {
        Stored(isSuspended: false);

        var caller = await Authenticator().AuthenticateAsync(Id, Secret, _token);

        Assert.That(caller, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(caller!.Kind, Is.EqualTo(CallerKind.Client));
            Assert.That(caller.Id, Is.EqualTo(ClientId));
            Assert.That(caller.OrgId, Is.Null);
            Assert.That(caller.Scopes, Is.EquivalentTo(Scopes.ActiveClientScopes));
            Assert.That(caller.HasScope(Scopes.ClientWebhookUrlRead), Is.True);
            Assert.That(caller.HasScope(Scopes.ClientWebhookUrlWrite), Is.True);
            Assert.That(caller.HasScope(Scopes.WebhooksRead), Is.False);
            Assert.That(caller.HasScope(Caller.OperatorScope), Is.False);
        }
    }

    [Test]
    public async Task Authenticate_WhenClientIdIsUpperCase_ThenLooksUpTheSameClient()
    {
        Stored(isSuspended: false);

        var caller = await Authenticator().AuthenticateAsync(Id.ToUpperInvariant(), Secret, _token);

        Assert.That(caller?.Id, Is.EqualTo(ClientId));
    }

    [Test]
    public async Task Authenticate_WhenClientIsSuspended_ThenReturnsAClientCallerWithNoScopes()
    {
        Stored(isSuspended: true);

        var caller = await Authenticator().AuthenticateAsync(Id, Secret, _token);

        Assert.That(caller, Is.Not.Null, "a suspended client still authenticates, so that it gets 403 and not 401");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(caller!.Kind, Is.EqualTo(CallerKind.Client));
            Assert.That(caller.Id, Is.EqualTo(ClientId));
            Assert.That(caller.OrgId, Is.Null);
            Assert.That(caller.Scopes, Is.Empty);
            Assert.That(caller.HasScope(Scopes.ClientWebhookUrlRead), Is.False);
        }
    }

    [Test]
    public async Task Authenticate_WhenClientIsSuspendedAndSecretIsWrong_ThenReturnsNull()
    {
        Stored(isSuspended: true);

        var caller = await Authenticator().AuthenticateAsync(Id, "cs_live_wrong", _token);

        Assert.That(caller, Is.Null);
    }

    private void Stored(bool isSuspended) =>
        _clients.Setup(c => c.FindCredentialsAsync(ClientId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ClientCredentials(ClientId, Sha256Hasher.Hash(Secret), isSuspended));

    private ClientAuthenticator Authenticator() => new(_clients.Object, _hasher.Object);
}
