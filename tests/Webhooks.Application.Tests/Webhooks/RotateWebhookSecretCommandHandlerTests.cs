using System.Text.RegularExpressions;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.RotateWebhookSecret;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Tests.Webhooks;

public sealed class RotateWebhookSecretCommandHandlerTests : HeldEndpointFixture
{
    private static readonly Guid Id = TestData.EndpointId;

    private static readonly Regex SecretFormat = new("^whsec_[A-Za-z0-9+/]{43}=$", RegexOptions.None, TimeSpan.FromSeconds(1));

    [Test]
    public async Task Handle_WhenEndpointExists_ThenReturnsANewSecretOnceAndStoresOnlyItsProtectedForm()
    {
        var response = await Handle(new RotateWebhookSecretCommand(Id));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Secret, Does.Match(SecretFormat));
            Assert.That(Ports.Protector.Protected, Is.EqualTo(new[] { response.Secret }));
            Assert.That(Endpoint.ProtectedSecret, Is.EqualTo(FakeSecretProtector.Of(response.Secret!)));
            Assert.That(Endpoint.ProtectedSecret, Is.Not.EqualTo(TestData.StoredProtectedSecret));
            Assert.That(Endpoint.ProtectedSecret, Does.Not.Contain(response.Secret!));
        }

        Ports.VerifySavedOnce();
    }

    [Test]
    public async Task Handle_WhenRotated_ThenItIsAChangeWithANewUpdatedAtAndETag()
    {
        var response = await Handle(new RotateWebhookSecretCommand(Id));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Id, Is.EqualTo(TestData.EndpointId));
            Assert.That(response.UpdatedAt, Is.EqualTo(TestData.Now));
            Assert.That(response.CreatedAt, Is.EqualTo(TestData.CreatedAt));
            Assert.That(response.DeletedAt, Is.Null);
            Assert.That(response.ETag, Is.EqualTo(WebhookETag.For(TestData.EndpointId, 2)));
            Assert.That(Endpoint.Revision, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Handle_WhenRotatedTwice_ThenEachResponseHasAnotherSecret()
    {
        var first = await Handle(new RotateWebhookSecretCommand(Id));
        var second = await Handle(new RotateWebhookSecretCommand(Id));

        Assert.That(second.Secret, Is.Not.EqualTo(first.Secret));
        Assert.That(Endpoint.ProtectedSecret, Is.EqualTo(FakeSecretProtector.Of(second.Secret!)));
    }

    [TestCase(null, SecretGrace.DefaultSeconds)]
    [TestCase(0L, null)]
    [TestCase(90L, 90L)]
    public async Task Handle_ThenTheReplacedSecretSignsForTheGrace(long? graceSeconds, long? signsForSeconds)
    {
        var grace = graceSeconds is { } seconds ? SecretGrace.FromSeconds(seconds).Value : null;

        await Handle(new RotateWebhookSecretCommand(Id, Grace: grace));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Endpoint.PreviousProtectedSecret, Is.EqualTo(signsForSeconds is null ? null : TestData.StoredProtectedSecret));
            Assert.That(Endpoint.PreviousSecretExpiresAt, Is.EqualTo(signsForSeconds is { } s ? TestData.Now.AddSeconds(s) : null));
        }
    }

    private Task<WebhookEndpointResponse> Handle(RotateWebhookSecretCommand command) =>
        Ports.Handler<RotateWebhookSecretCommandHandler>().Handle(command, Ports.Token);
}
