using System.Text.Json;
using Webhooks.Application.Common.Idempotency;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.CreateWebhook;
using Webhooks.Domain.Common;
using Webhooks.Domain.Idempotency;

namespace Webhooks.Application.Tests.Webhooks;

/// <summary>Create with an <c>Idempotency-Key</c>: the first response is stored under the caller's organization and replayed for a day.</summary>
public sealed partial class CreateWebhookCommandHandlerTests
{
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
            [IdempotentResponses.KeyField] = IdempotentResponses.KeyReusedMessage,
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

    private static IdempotencyKey KeyFor(string requestHash) => IdempotencyKey.Create(Key, requestHash).Value!;

    private WebhookEndpointResponse Stored(IdempotencyRecord record) =>
        JsonSerializer.Deserialize<WebhookEndpointResponse>(_ports.Protector.Unprotect(record.ProtectedResponse))!;

    private void NoRecordYet() =>
        _ports.Idempotency.Setup(s => s.FindAsync(It.IsAny<Guid>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((IdempotencyRecord?)null);

    private void Remembers(IdempotencyRecord record) =>
        _ports.Idempotency.Setup(s => s.FindAsync(record.OrgId, record.Key, It.IsAny<CancellationToken>())).ReturnsAsync(record);
}
