using Webhooks.Application.Common.Errors;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.PatchWebhook;
using Webhooks.Domain.Common;

namespace Webhooks.Application.Tests.Webhooks;

public sealed class PatchWebhookCommandHandlerTests : HeldEndpointFixture
{
    private static readonly Guid Id = TestData.EndpointId;

    [Test]
    public async Task Handle_WhenCalled_ThenLoadsTheEndpointWithTheCallersOrgId()
    {
        await Handle(Command(Id));

        Ports.Endpoints.Verify(r => r.GetAsync(TestData.EndpointId, TestData.OrgId, Ports.Token), Times.Once());
    }

    [Test]
    public async Task Handle_WhenBodyIsEmpty_ThenDoesNotSaveAndUpdatedAtDoesNotMove()
    {
        var response = await Handle(Command(Id));

        Assert.That(response.UpdatedAt, Is.EqualTo(TestData.CreatedAt));
        Ports.VerifyNotSaved();
    }

    [Test]
    public async Task Handle_WhenEveryValueEqualsTheStoredOne_ThenDoesNotSave()
    {
        var response = await Handle(Command(
            Id,
            Url: TestData.Url,
            Description: TestData.DescriptionText,
            Events: Events("wallet.balance_low", "wallet.balance_zero"),
            Active: true,
            ApiVersion: TestData.ApiVersion));

        Assert.That(response.UpdatedAt, Is.EqualTo(TestData.CreatedAt));
        Ports.VerifyNotSaved();
    }

    [Test]
    public async Task Handle_WhenValuesNormalizeToTheStoredOnes_ThenDoesNotSave()
    {
        await Handle(Command(
            Id,
            Url: "  HTTPS://HOOKS.EXAMPLE.COM/y3labs/ops ",
            Description: "  Ops alerts\t",
            Events: Events("wallet.balance_low", "wallet.balance_zero", "wallet.balance_low")));

        Ports.VerifyNotSaved();
    }

    [Test]
    public async Task Handle_WhenUrlChanges_ThenSavesOnceWithTheTokenAndReturnsTheNewUrl()
    {
        var response = await Handle(Command(Id, Url: "https://hooks.example.com/new"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Url, Is.EqualTo("https://hooks.example.com/new"));
            Assert.That(response.UpdatedAt, Is.EqualTo(TestData.Now));
            Assert.That(Endpoint.Url.Value, Is.EqualTo("https://hooks.example.com/new"));
        }

        Ports.VerifySavedOnce();
    }

    [Test]
    public async Task Handle_WhenSeveralFieldsChange_ThenSavesExactlyOnce()
    {
        var response = await Handle(Command(
            Id,
            Url: "https://hooks.example.com/new",
            Description: "New label",
            Events: Events("subscription.canceled"),
            Active: false));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Url, Is.EqualTo("https://hooks.example.com/new"));
            Assert.That(response.Description, Is.EqualTo("New label"));
            Assert.That(response.Events, Is.EqualTo(new[] { "subscription.canceled" }));
            Assert.That(response.Active, Is.False);
        }

        Ports.VerifySavedOnce();
    }

    [Test]
    public async Task Handle_WhenEventsHaveDuplicates_ThenCollapsesThemKeepingTheFirstOrder()
    {
        var response = await Handle(Command(
            Id, Events: Events("subscription.past_due", "wallet.balance_low", "subscription.past_due", "wallet.balance_zero")));

        Assert.That(response.Events, Is.EqualTo(new[] { "subscription.past_due", "wallet.balance_low", "wallet.balance_zero" }));
        Ports.VerifySavedOnce();
    }

    [Test]
    public async Task Handle_WhenOnlyActiveChanges_ThenSavesOnce()
    {
        var response = await Handle(Command(Id, Active: false));

        Assert.That(response.Active, Is.False);
        Ports.VerifySavedOnce();
    }

    [Test]
    public async Task Handle_WhenDescriptionIsNull_ThenClearsTheLabelAndReturnsNullDescription()
    {
        var response = await Handle(Command(Id, Description: Optional<string?>.Of(null)));

        Assert.That(response.Description, Is.Null);
        Assert.That(Endpoint.Description, Is.Null);
        Ports.VerifySavedOnce();
    }

    [Test]
    public async Task Handle_WhenDescriptionIsBlankAndNoLabelIsSet_ThenDoesNotSave()
    {
        Endpoint = TestData.Endpoint(description: null);
        Ports.Holds(Endpoint);

        var response = await Handle(Command(Id, Description: "   "));

        Assert.That(response.Description, Is.Null);
        Ports.VerifyNotSaved();
    }

    [Test]
    public async Task Handle_WhenEndpointIsLoaded_ThenMapsEveryResponseFieldFromTheAggregate()
    {
        var response = await Handle(Command(Id));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Id, Is.EqualTo(TestData.EndpointId));
            Assert.That(response.OrgId, Is.EqualTo(TestData.OrgId));
            Assert.That(response.Url, Is.EqualTo(TestData.Url));
            Assert.That(response.Description, Is.EqualTo(TestData.DescriptionText));
            Assert.That(response.Events, Is.EqualTo(new[] { "wallet.balance_low", "wallet.balance_zero" }));
            Assert.That(response.Active, Is.True);
            Assert.That(response.ApiVersion, Is.EqualTo(TestData.ApiVersion));
            Assert.That(response.CreatedAt, Is.EqualTo(TestData.CreatedAt));
            Assert.That(response.UpdatedAt, Is.EqualTo(TestData.CreatedAt));
            Assert.That(response.DeletedAt, Is.Null);
        }
    }

    [Test]
    public void Handle_WhenUrlIsNotHttps_ThenThrowsValidationFailedAndDoesNotSave()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(Command(Id, Url: "http://hooks.example.com/ops")));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["url"] = HttpsUrl.NotHttpsMessage }));
        Ports.VerifyNotSaved();
    }

    [Test]
    public void Handle_WhenSeveralRulesAreBroken_ThenReportsAllTogetherChangesNothingAndDoesNotSave()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(Command(
            Id,
            Url: "http://hooks.example.com/ops",
            Description: new string('x', 201),
            Events: Events("wallet.balance_low", "wallet.unknown"),
            Active: false,
            ApiVersion: "2025-01-01")));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["url"] = HttpsUrl.NotHttpsMessage,
            ["description"] = Description.TooLongMessage,
            ["events[1]"] = "unknown event type 'wallet.unknown'",
            ["api_version"] = "is immutable; create a new endpoint at the new version",
        }));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Endpoint.Active, Is.True, "nothing is written unless all rules pass");
            Assert.That(Endpoint.UpdatedAt, Is.EqualTo(TestData.CreatedAt));
        }

        Ports.VerifyNotSaved();
    }

    [Test]
    public void Handle_WhenEventsIsEmpty_ThenThrowsValidationFailedAndDoesNotSave()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(Command(Id, Events: Events())));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["events"] = EventTypeSet.EmptyMessage }));
        Ports.VerifyNotSaved();
    }

    [Test]
    public async Task Handle_WhenNothingChanges_ThenTheETagStaysTheSame()
    {
        var before = WebhookETag.For(Endpoint);

        var response = await Handle(Command(Id, Active: true) with { IfMatch = IfMatch.Parse(before) });

        Assert.That(response.ETag, Is.EqualTo(before));
        Ports.VerifyNotSaved();
    }

    [Test]
    public void Handle_WhenIfMatchIsStaleAndTheBodyChangesNothing_ThenStillThrowsPreconditionFailed()
    {
        Assert.ThrowsAsync<PreconditionFailedException>(() => Handle(Command(Id) with { IfMatch = IfMatch.Parse(WebhookETag.For(TestData.EndpointId, 9)) }));
    }

    [Test]
    public void Handle_WhenIfMatchIsStaleAndApiVersionDiffersFromTheStoredOne_ThenThrowsPreconditionFailedBeforeTheImmutableRule()
    {
        var exception = Assert.CatchAsync(() => Handle(Command(Id, ApiVersion: "2025-01-01", Catalog: TestData.Catalog("2025-01-01", TestData.ApiVersion)) with { IfMatch = IfMatch.Parse(WebhookETag.For(TestData.EndpointId, 9)) }));

        Assert.That(exception, Is.TypeOf<PreconditionFailedException>());
    }

    private static Optional<IReadOnlyList<string?>?> Events(params string?[] items) => Optional<IReadOnlyList<string?>?>.Of(items);

    /// <summary>The fields as a caller sent them, checked by the domain's factories as the API checks them, then the command.</summary>
    private static PatchWebhookCommand Command(
        Guid id,
        Optional<string?> Url = default,
        Optional<string?> Description = default,
        Optional<IReadOnlyList<string?>?> Events = default,
        Optional<bool?> Active = default,
        Optional<string?> ApiVersion = default,
        WebhookCatalog? Catalog = null)
    {
        var errors = new ValidationErrors();
        var changes = new WebhookEndpointPatch(Url, Description, Events, Active, ApiVersion).Check(Catalog ?? TestData.Catalog(), errors);
        errors.ThrowIfAny();
        return new PatchWebhookCommand(id, changes);
    }

    private Task<WebhookEndpointResponse> Handle(PatchWebhookCommand command) =>
        Ports.Handler<PatchWebhookCommandHandler>().Handle(command, Ports.Token);
}
