using System.Text.Json;
using System.Text.RegularExpressions;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.CreateWebhook;
using Webhooks.Domain.Common;
using Webhooks.Domain.Idempotency;

namespace Webhooks.Application.Tests.Webhooks;

public sealed class CreateWebhookCommandHandlerTests
{

    private Ports _ports = null!;

    [SetUp]
    public void SetUp()
    {
        _ports = new Ports();
    }

    [Test]
    public async Task Handle_WhenOnlyRequiredFieldsAreSent_ThenAddsOneEndpointOfTheCallersOrgWithDefaults()
    {
        await Handle(ValidCommand());

        Assert.That(_ports.AddedEndpoints, Has.Count.EqualTo(1));
        var endpoint = _ports.AddedEndpoints[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(endpoint.Id, Is.EqualTo(TestData.NewId));
            Assert.That(endpoint.OrgId, Is.EqualTo(TestData.OrgId));
            Assert.That(endpoint.Url.Value, Is.EqualTo(TestData.Url));
            Assert.That(endpoint.Events, Is.EqualTo(new[] { "wallet.balance_low" }));
            Assert.That(endpoint.Active, Is.True);
            Assert.That(endpoint.ApiVersion, Is.EqualTo(TestData.ApiVersion));
            Assert.That(endpoint.CreatedAt, Is.EqualTo(TestData.Now));
            Assert.That(endpoint.UpdatedAt, Is.EqualTo(TestData.Now));
            Assert.That(endpoint.DeletedAt, Is.Null);
        }

        _ports.Ids.Verify(i => i.NewId(), Times.Once());
        _ports.VerifySavedOnce();
    }

    [Test]
    public async Task Handle_WhenCreated_ThenReturnsTheMappedEndpoint()
    {
        var response = await Handle(Command(TestData.Url, ["wallet.balance_zero", "subscription.past_due"], "  Ops alerts  ", false));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Id, Is.EqualTo(TestData.NewId));
            Assert.That(response.OrgId, Is.EqualTo(TestData.OrgId));
            Assert.That(response.Url, Is.EqualTo(TestData.Url));
            Assert.That(response.Description, Is.EqualTo("Ops alerts"));
            Assert.That(response.Events, Is.EqualTo(new[] { "wallet.balance_zero", "subscription.past_due" }));
            Assert.That(response.Active, Is.False);
            Assert.That(response.ApiVersion, Is.EqualTo(TestData.ApiVersion));
            Assert.That(response.CreatedAt, Is.EqualTo(TestData.Now));
            Assert.That(response.UpdatedAt, Is.EqualTo(TestData.Now));
            Assert.That(response.DeletedAt, Is.Null);
        }
    }

    [Test]
    public async Task Handle_WhenDescriptionIsAbsent_ThenEndpointHasNoLabelAndResponseDescriptionIsNull()
    {
        var response = await Handle(Command(TestData.Url, ["wallet.balance_low"]));

        Assert.That(response.Description, Is.Null);
        Assert.That(_ports.AddedEndpoints.Single().Description, Is.Null);
    }

    [Test]
    public async Task Handle_WhenSeveralApiVersionsAreConfigured_ThenDefaultsToTheNewest()
    {
        await Handle(Command(TestData.Url, ["wallet.balance_low"], "x", catalog: TestData.Catalog("2025-01-01", "2026-04-01", "2025-06-30")));

        Assert.That(_ports.AddedEndpoints.Single().ApiVersion, Is.EqualTo("2026-04-01"));
    }

    [Test]
    public async Task Handle_WhenAConfiguredOlderApiVersionIsRequested_ThenUsesIt()
    {
        await Handle(Command(TestData.Url, ["wallet.balance_low"], "x", apiVersion: "2025-01-01", catalog: TestData.Catalog("2025-01-01", "2026-04-01")));

        Assert.That(_ports.AddedEndpoints.Single().ApiVersion, Is.EqualTo("2025-01-01"));
    }

    [Test]
    public void For_WhenRulesAreBroken_ThenThrowsValidationFailedWithAllFieldsAndNothingIsSent()
    {
        var exception = Assert.Throws<ValidationFailedException>(() => Command("https://user:pw@hooks.example.com/", [], new string('x', 201), apiVersion: "1999-01-01"));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["url"] = "must not contain a user name or password",
            ["description"] = "must be at most 200 characters",
            ["events"] = "must contain at least one event type",
            ["api_version"] = "must be one of: 2026-04-01",
        }));
        _ports.Endpoints.Verify(r => r.Add(It.IsAny<WebhookEndpoint>()), Times.Never());
        _ports.VerifyNotSaved();
    }

    [Test]
    public async Task Handle_WhenCreated_ThenTheResponseCarriesANewSigningSecret()
    {
        var response = await Handle(ValidCommand());

        Assert.That(response.Secret, Does.Match(SecretPattern));
        Assert.That(Convert.FromBase64String(response.Secret!["whsec_".Length..]), Has.Length.EqualTo(32));
    }

    [Test]
    public async Task Handle_WhenCreated_ThenStoresTheProtectorsOutputNeverThePlainSecret()
    {
        var response = await Handle(ValidCommand());

        var endpoint = _ports.AddedEndpoints.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_ports.Protector.Protected, Is.EqualTo(new[] { response.Secret }), "the secret, and only it, is protected when no Idempotency-Key is sent");
            Assert.That(endpoint.ProtectedSecret, Is.EqualTo(FakeSecretProtector.Of(response.Secret!)));
            Assert.That(endpoint.ProtectedSecret, Does.Not.Contain(response.Secret!));
        }
    }

    [Test]
    public async Task Handle_WhenCreatedTwice_ThenEachEndpointGetsItsOwnSecret()
    {
        var first = await Handle(ValidCommand());
        var second = await Handle(ValidCommand());

        Assert.That(second.Secret, Is.Not.EqualTo(first.Secret));
    }

    [Test]
    public async Task Handle_WhenCreated_ThenTheResponseHasTheFirstRevisionsETag()
    {
        var response = await Handle(ValidCommand());

        Assert.That(response.ETag, Is.EqualTo($"\"{TestData.NewId:N}.1\""));
    }

    [Test]
    public async Task Handle_WhenNoIdempotencyKeyIsSent_ThenNeverTouchesTheIdempotencyStore()
    {
        await Handle(ValidCommand());

        _ports.Idempotency.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Handle_WhenAnIdempotencyKeyIsSentTheFirstTime_ThenCreatesAndStoresTheResponseUnderTheCallersOrg()
    {
        NoRecordYet();

        var response = await Handle(ValidCommand() with { IdempotencyKey = KeyFor(Hash) });

        Assert.That(_ports.AddedEndpoints, Has.Count.EqualTo(1));
        Assert.That(_ports.Records, Has.Count.EqualTo(1));
        var record = _ports.Records[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.OrgId, Is.EqualTo(TestData.OrgId));
            Assert.That(record.Key, Is.EqualTo(Key));
            Assert.That(record.RequestHash, Is.EqualTo(Hash));
            Assert.That(record.CreatedAt, Is.EqualTo(TestData.Now));
            Assert.That(record.ProtectedResponse, Does.Not.Contain(response.Secret!), "the stored response holds the secret, so it is protected");
            Assert.That(Stored(record).Id, Is.EqualTo(TestData.NewId));
            Assert.That(Stored(record).Secret, Is.EqualTo(response.Secret));
        }

        _ports.Idempotency.Verify(s => s.FindAsync(TestData.OrgId, Key, _ports.Token), Times.Once());
        _ports.Idempotency.Verify(s => s.Remove(It.IsAny<IdempotencyRecord>()), Times.Never());
        _ports.VerifySavedOnce();
    }

    [Test]
    public async Task Handle_WhenTheSameKeyComesBackWithTheSameBody_ThenReturnsTheFirstResponseWithoutCreatingOrSaving()
    {
        NoRecordYet();
        var first = await Handle(ValidCommand() with { IdempotencyKey = KeyFor(Hash) });
        Remembers(_ports.Records.Single());
        _ports.Ids.Setup(i => i.NewId()).Returns(Guid.Parse("0196f0c1-2d3e-7f40-8a1b-000000000002"));
        _ports.Clock.SetupGet(c => c.UtcNow).Returns(TestData.Now.AddHours(23));

        var replay = await Handle(ValidCommand() with { IdempotencyKey = KeyFor(Hash) });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(replay.Id, Is.EqualTo(first.Id));
            Assert.That(replay.Secret, Is.EqualTo(first.Secret));
            Assert.That(replay.ETag, Is.EqualTo(first.ETag));
            Assert.That(JsonSerializer.Serialize(replay), Is.EqualTo(JsonSerializer.Serialize(first)));
        }

        _ports.Endpoints.Verify(r => r.Add(It.IsAny<WebhookEndpoint>()), Times.Once(), "only the first call adds an endpoint");
        _ports.Idempotency.Verify(s => s.Add(It.IsAny<IdempotencyRecord>()), Times.Once());
        _ports.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once(), "only the first call saves");
        _ports.Ids.Verify(i => i.NewId(), Times.Once());
    }

    [Test]
    public async Task Handle_WhenARecordOfTheSameRequestIsFound_ThenReplaysItsResponseWithItsFirstETag()
    {
        var stored = new WebhookEndpointResponse(
            TestData.EndpointId, TestData.OrgId, TestData.Url, null, ["wallet.balance_low"], true, TestData.ApiVersion, TestData.CreatedAt, TestData.CreatedAt, null)
        {
            Secret = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        };
        Remembers(IdempotencyRecord.Create(TestData.OrgId, Key, Hash, FakeSecretProtector.Of(JsonSerializer.Serialize(stored)), TestData.Now.AddMinutes(-5)));

        var replay = await Handle(ValidCommand() with { IdempotencyKey = KeyFor(Hash) });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(replay.Id, Is.EqualTo(TestData.EndpointId));
            Assert.That(replay.Url, Is.EqualTo(TestData.Url));
            Assert.That(replay.Events, Is.EqualTo(new[] { "wallet.balance_low" }));
            Assert.That(replay.CreatedAt, Is.EqualTo(TestData.CreatedAt));
            Assert.That(replay.Secret, Is.EqualTo(stored.Secret));
            Assert.That(replay.ETag, Is.EqualTo($"\"{TestData.EndpointId:N}.1\""));
        }

        _ports.Endpoints.Verify(r => r.Add(It.IsAny<WebhookEndpoint>()), Times.Never());
        _ports.VerifyNotSaved();
        _ports.Ids.Verify(i => i.NewId(), Times.Never());
    }

    [Test]
    public void Handle_WhenTheSameKeyComesBackWithAnotherBody_ThenThrowsValidationFailedUnderIdempotencyKeyAndCreatesNothing()
    {
        Remembers(IdempotencyRecord.Create(TestData.OrgId, Key, Hash, FakeSecretProtector.Of("{}"), TestData.Now.AddHours(-1)));

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(ValidCommand() with { IdempotencyKey = KeyFor(OtherHash) }));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["Idempotency-Key"] = "was already used with a different request body",
        }));
        _ports.Endpoints.Verify(r => r.Add(It.IsAny<WebhookEndpoint>()), Times.Never());
        _ports.Idempotency.Verify(s => s.Add(It.IsAny<IdempotencyRecord>()), Times.Never());
        _ports.Idempotency.Verify(s => s.Remove(It.IsAny<IdempotencyRecord>()), Times.Never());
        _ports.VerifyNotSaved();
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(3600)]
    public async Task Handle_WhenTheRecordIsExpired_ThenRemovesItAndCreatesANewEndpoint(int secondsPastLifetime)
    {
        var expired = IdempotencyRecord.Create(
            TestData.OrgId, Key, OtherHash, FakeSecretProtector.Of("{}"), TestData.Now - IdempotencyRecord.Lifetime - TimeSpan.FromSeconds(secondsPastLifetime));
        Remembers(expired);
        _ports.Idempotency.Setup(s => s.Remove(expired));

        var response = await Handle(ValidCommand() with { IdempotencyKey = KeyFor(Hash) });

        Assert.That(response.Id, Is.EqualTo(TestData.NewId));
        Assert.That(_ports.AddedEndpoints, Has.Count.EqualTo(1));
        Assert.That(_ports.Records.Single().RequestHash, Is.EqualTo(Hash));
        Assert.That(_ports.Records.Single().CreatedAt, Is.EqualTo(TestData.Now));
        _ports.Idempotency.Verify(s => s.Remove(expired), Times.Once());
        _ports.VerifySavedOnce();
    }

    [Test]
    public async Task Handle_WhenTheRecordIsOneSecondShortOfExpiring_ThenStillReplaysIt()
    {
        NoRecordYet();
        await Handle(ValidCommand() with { IdempotencyKey = KeyFor(Hash) });
        Remembers(_ports.Records.Single());
        _ports.Clock.SetupGet(c => c.UtcNow).Returns(TestData.Now + IdempotencyRecord.Lifetime - TimeSpan.FromSeconds(1));

        var replay = await Handle(ValidCommand() with { IdempotencyKey = KeyFor(Hash) });

        Assert.That(replay.Id, Is.EqualTo(TestData.NewId));
        _ports.Endpoints.Verify(r => r.Add(It.IsAny<WebhookEndpoint>()), Times.Once());
    }

    [Test]
    public async Task Handle_WhenAnotherOrganizationUsedTheSameKey_ThenLooksOnlyInTheCallersOrganization()
    {
        NoRecordYet();
        var foreign = IdempotencyRecord.Create(TestData.OtherOrgId, Key, OtherHash, FakeSecretProtector.Of("{}"), TestData.Now);
        _ports.Idempotency.Setup(s => s.FindAsync(TestData.OtherOrgId, Key, It.IsAny<CancellationToken>())).ReturnsAsync(foreign);

        var response = await Handle(ValidCommand() with { IdempotencyKey = KeyFor(Hash) });

        Assert.That(response.Id, Is.EqualTo(TestData.NewId));
        _ports.Idempotency.Verify(s => s.FindAsync(TestData.OtherOrgId, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never());
    }

    private const string Key = "retry-4f1c2a";

    private const string Hash = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    private const string OtherHash = "fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9";

    private static readonly Regex SecretPattern = new("^whsec_[A-Za-z0-9+/]{43}=$", RegexOptions.None, TimeSpan.FromSeconds(1));

    private static CreateWebhookCommand ValidCommand() => Command(TestData.Url, ["wallet.balance_low"], TestData.DescriptionText);

    /// <summary>What a caller sent, checked by the domain's factories as every caller's are (<see cref="CreateWebhookCommand.For"/>).</summary>
    private static CreateWebhookCommand Command(
        string url, string?[] events, string? description = null, bool active = true, string? apiVersion = null, WebhookCatalog? catalog = null) =>
        CreateWebhookCommand.For(new NewWebhookEndpoint(url, events, description, active, apiVersion), catalog ?? TestData.Catalog());

    private static IdempotencyKey KeyFor(string requestHash) => IdempotencyKey.Create(Key, requestHash).Value!;

    private WebhookEndpointResponse Stored(IdempotencyRecord record) =>
        JsonSerializer.Deserialize<WebhookEndpointResponse>(_ports.Protector.Unprotect(record.ProtectedResponse))!;

    private void NoRecordYet() =>
        _ports.Idempotency.Setup(s => s.FindAsync(It.IsAny<Guid>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((IdempotencyRecord?)null);

    private void Remembers(IdempotencyRecord record) =>
        _ports.Idempotency.Setup(s => s.FindAsync(record.OrgId, record.Key, It.IsAny<CancellationToken>())).ReturnsAsync(record);

    private Task<WebhookEndpointResponse> Handle(CreateWebhookCommand command) =>
        _ports.Handler<CreateWebhookCommandHandler>().Handle(command, _ports.Token);
}
