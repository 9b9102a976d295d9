using System.Text.RegularExpressions;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.CreateWebhook;
using Webhooks.Domain.Common;

namespace Webhooks.Application.Tests.Webhooks;

public sealed partial class CreateWebhookCommandHandlerTests
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
            ["url"] = HttpsUrl.UserInfoMessage,
            ["description"] = Description.TooLongMessage,
            ["events"] = EventTypeSet.EmptyMessage,
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

    private static readonly Regex SecretPattern = new("^whsec_[A-Za-z0-9+/]{43}=$", RegexOptions.None, TimeSpan.FromSeconds(1));

    private static CreateWebhookCommand ValidCommand() => Command(TestData.Url, ["wallet.balance_low"], TestData.DescriptionText);

    /// <summary>What a caller sent, checked by the domain's factories as every caller's are (<see cref="CreateWebhookCommand.For"/>).</summary>
    private static CreateWebhookCommand Command(
        string url, string?[] events, string? description = null, bool active = true, string? apiVersion = null, WebhookCatalog? catalog = null) =>
        CreateWebhookCommand.For(new NewWebhookEndpoint(url, events, description, active, apiVersion), catalog ?? TestData.Catalog());

    private Task<WebhookEndpointResponse> Handle(CreateWebhookCommand command) =>
        _ports.Handler<CreateWebhookCommandHandler>().Handle(command, _ports.Token);
}
