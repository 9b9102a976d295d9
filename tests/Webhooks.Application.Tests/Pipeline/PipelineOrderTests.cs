using Moq;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Organizations.CreateApiKey;
using Webhooks.Application.Organizations.CreateOrganization;
using Webhooks.Application.Tests.Support;
using Webhooks.Application.Webhooks.CreateWebhook;
using Webhooks.Application.Webhooks.GetWebhook;
using Webhooks.Application.Webhooks.PatchWebhook;
using Webhooks.Domain.Common;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Tests.Pipeline;

/// <summary>
/// Requests sent through <c>IMediator</c> as <c>AddApplication</c> wires it. The contract's order of
/// checks: authentication, scope, the shape of the body together with every rule that does not need
/// the stored endpoint, existence, then the rules that need the stored endpoint (an
/// <c>api_version</c> that is configured but differs from the endpoint's).
/// </summary>
public sealed class PipelineOrderTests
{
    private const string OlderVersion = "2025-06-01";

    private static readonly string Id = TestData.EndpointId.ToString();

    [Test]
    public void Send_WhenThereIsNoCallerAndTheBodyIsInvalid_ThenThrowsUnauthenticatedAndTouchesNoRepository()
    {
        var host = new ApplicationHost(caller: null);

        Assert.ThrowsAsync<UnauthenticatedException>(() => host.Mediator.Send(InvalidPatch("not-a-uuid")));
        VerifyNothingTouched(host);
    }

    [Test]
    public void Send_WhenReadOnlyCallerSendsAnInvalidPatch_ThenThrowsForbiddenBeforeValidation()
    {
        var host = new ApplicationHost(TestData.ReadCaller());

        Assert.ThrowsAsync<ForbiddenException>(() => host.Mediator.Send(InvalidPatch(Id)));
        VerifyNothingTouched(host);
    }

    [Test]
    public void Send_WhenReadOnlyCallerSendsAnInvalidCreate_ThenThrowsForbiddenBeforeValidation()
    {
        var host = new ApplicationHost(TestData.ReadCaller());

        Assert.ThrowsAsync<ForbiddenException>(() => host.Mediator.Send(new CreateWebhookCommand()));
        VerifyNothingTouched(host);
    }

    [Test]
    public void Send_WhenPatchBodyIsInvalid_ThenThrowsValidationFailedAndNeverTouchesTheRepository()
    {
        var host = new ApplicationHost(TestData.WriteCaller());
        host.Holds(TestData.Endpoint());

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => host.Mediator.Send(InvalidPatch(Id)));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["urll"] = "is not a known field",
            ["url"] = "must not be null",
            ["active"] = "must be a boolean",
        }));
        VerifyNothingTouched(host);
    }

    [Test]
    public void Send_WhenPatchBodyIsInvalidAndIdIsNotAUuid_ThenThrowsValidationFailedBeforeNotFound()
    {
        var host = new ApplicationHost(TestData.WriteCaller());

        Assert.ThrowsAsync<ValidationFailedException>(() => host.Mediator.Send(InvalidPatch("not-a-uuid")));
        VerifyNothingTouched(host);
    }

    [Test]
    public void Send_WhenCreateBodyIsInvalid_ThenThrowsValidationFailedAndNeverAddsOrSaves()
    {
        var host = new ApplicationHost(TestData.WriteCaller());

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => host.Mediator.Send(new CreateWebhookCommand(Description: "x")));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["url"] = "is required", ["events"] = "is required" }));
        host.Ids.Verify(i => i.NewId(), Times.Never());
        VerifyNothingTouched(host);
    }

    [Test]
    public void Send_WhenIdIsNotAUuid_ThenThrowsNotFoundWithoutCallingTheRepository()
    {
        var host = new ApplicationHost(TestData.WriteCaller());

        var exception = Assert.ThrowsAsync<NotFoundException>(() => host.Mediator.Send(new PatchWebhookCommand("not-a-uuid", Active: false)));

        Assert.That(exception!.Message, Is.EqualTo("not found"));
        VerifyNothingTouched(host);
    }

    [Test]
    public void Send_WhenEndpointDoesNotExistAndBodyBreaksStatelessRules_ThenThrowsValidationFailedBeforeTouchingTheRepository()
    {
        var host = new ApplicationHost(TestData.WriteCaller());

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => host.Mediator.Send(new PatchWebhookCommand(
            Id, Url: "http://plain.example.com", Events: Optional<IReadOnlyList<string?>?>.Of([]), ApiVersion: "1999-01-01")));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["url"] = "must use https",
            ["events"] = "must contain at least one event type",
            ["api_version"] = "is immutable; create a new endpoint at the new version",
        }));
        VerifyNothingTouched(host);
    }

    [Test]
    public void Send_WhenIdIsNotAUuidAndUrlIsNotHttps_ThenThrowsValidationFailedBeforeNotFound()
    {
        var host = new ApplicationHost(TestData.WriteCaller());

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => host.Mediator.Send(new PatchWebhookCommand("not-a-uuid", Url: "http://plain.example.com")));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["url"] = "must use https" }));
        VerifyNothingTouched(host);
    }

    [Test]
    public void Send_WhenEndpointDoesNotExistAndBodyIsValid_ThenThrowsNotFoundAfterLookingItUp()
    {
        var host = new ApplicationHost(TestData.WriteCaller());

        Assert.ThrowsAsync<NotFoundException>(() => host.Mediator.Send(new PatchWebhookCommand(Id, Description: "x")));

        host.Endpoints.Verify(r => r.GetAsync(TestData.EndpointId, TestData.OrgId, It.IsAny<CancellationToken>()), Times.Once());
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
    }

    [Test]
    public void Send_WhenEndpointDoesNotExistAndApiVersionIsConfiguredButNotItsOwn_ThenThrowsNotFoundBeforeTheImmutableRule()
    {
        var host = new ApplicationHost(TestData.WriteCaller(), TwoVersions());

        Assert.ThrowsAsync<NotFoundException>(() => host.Mediator.Send(new PatchWebhookCommand(Id, ApiVersion: OlderVersion)));

        host.Endpoints.Verify(r => r.GetAsync(TestData.EndpointId, TestData.OrgId, It.IsAny<CancellationToken>()), Times.Once());
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
    }

    [Test]
    public void Send_WhenEndpointBelongsToAnotherOrganization_ThenThrowsNotFound()
    {
        var host = new ApplicationHost(new Caller(CallerKind.ApiKey, TestData.ApiKeyId, TestData.OtherOrgId, [Scopes.WebhooksWrite]));
        host.Holds(TestData.Endpoint());

        Assert.ThrowsAsync<NotFoundException>(() => host.Mediator.Send(new GetWebhookQuery(Id)));
        host.Endpoints.Verify(r => r.ReadAsync(TestData.EndpointId, TestData.OtherOrgId, It.IsAny<CancellationToken>()), Times.Once());
        host.Endpoints.Verify(r => r.GetAsync(It.IsAny<Guid>(), It.IsAny<Guid>(), It.IsAny<CancellationToken>()), Times.Never(), "a read loads untracked");
    }

    [Test]
    public void Send_WhenApiVersionIsConfiguredButDiffersFromTheStoredOne_ThenThrowsImmutableAfterLoadingAndDoesNotSave()
    {
        var host = new ApplicationHost(TestData.WriteCaller(), TwoVersions());
        var endpoint = TestData.Endpoint();
        host.Holds(endpoint);

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => host.Mediator.Send(new PatchWebhookCommand(Id, ApiVersion: OlderVersion)));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["api_version"] = "is immutable; create a new endpoint at the new version" }));
        host.Endpoints.Verify(r => r.GetAsync(TestData.EndpointId, TestData.OrgId, It.IsAny<CancellationToken>()), Times.Once());
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
        Assert.That(endpoint.ApiVersion, Is.EqualTo(TestData.ApiVersion));
    }

    [TestCase("2027-01-01")]
    [TestCase(null)]
    public void Send_WhenApiVersionIsNullOrNotConfigured_ThenThrowsImmutableWithoutLoading(string? apiVersion)
    {
        var host = new ApplicationHost(TestData.WriteCaller());
        host.Holds(TestData.Endpoint());

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => host.Mediator.Send(new PatchWebhookCommand(Id, ApiVersion: Optional<string?>.Of(apiVersion))));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["api_version"] = "is immutable; create a new endpoint at the new version" }));
        VerifyNothingTouched(host);
    }

    [Test]
    public async Task Send_WhenApiVersionEqualsTheStoredOne_ThenSucceedsWithoutSaving()
    {
        var host = new ApplicationHost(TestData.WriteCaller());
        host.Holds(TestData.Endpoint());

        var response = await host.Mediator.Send(new PatchWebhookCommand(Id, ApiVersion: TestData.ApiVersion));

        Assert.That(response.ApiVersion, Is.EqualTo(TestData.ApiVersion));
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
    }

    [Test]
    public async Task Send_WhenPatchIsValid_ThenLoadsChangesAndSavesOnce()
    {
        var host = new ApplicationHost(TestData.WriteCaller());
        host.Holds(TestData.Endpoint());

        var response = await host.Mediator.Send(new PatchWebhookCommand(Id, Active: false, Description: "  New label  "));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Active, Is.False);
            Assert.That(response.Description, Is.EqualTo("New label"));
            Assert.That(response.UpdatedAt, Is.EqualTo(TestData.Now));
        }

        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public async Task Send_WhenReadCallerGetsAnEndpoint_ThenReturnsIt()
    {
        var host = new ApplicationHost(TestData.ReadCaller());
        host.Holds(TestData.Endpoint());

        var response = await host.Mediator.Send(new GetWebhookQuery(Id));

        Assert.That(response.Id, Is.EqualTo(TestData.EndpointId));
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
        host.Endpoints.Verify(r => r.ReadAsync(TestData.EndpointId, TestData.OrgId, It.IsAny<CancellationToken>()), Times.Once());
        host.Endpoints.Verify(r => r.GetAsync(It.IsAny<Guid>(), It.IsAny<Guid>(), It.IsAny<CancellationToken>()), Times.Never(), "a read loads untracked");
    }

    [Test]
    public async Task Send_WhenCreateIsValid_ThenAddsAndSavesOnce()
    {
        var host = new ApplicationHost(TestData.WriteCaller());

        var response = await host.Mediator.Send(new CreateWebhookCommand(TestData.Url, Optional<IReadOnlyList<string?>?>.Of(["wallet.balance_low"]), TestData.DescriptionText));

        Assert.That(response.Id, Is.EqualTo(TestData.NewId));
        host.Endpoints.Verify(r => r.Add(It.IsAny<WebhookEndpoint>()), Times.Once());
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public async Task Send_WhenOperatorCreatesAnOrganization_ThenAddsAndSavesOnce()
    {
        var host = new ApplicationHost(Caller.Operator);

        var created = await host.Mediator.Send(new CreateOrganizationCommand("  Y3 Labs "));

        Assert.That(created, Is.EqualTo(new OrganizationCreated(TestData.NewId, "Y3 Labs")));
        host.Organizations.Verify(o => o.Add(It.Is<Organization>(org => org.Id == TestData.NewId && org.CreatedAt == TestData.Now)), Times.Once());
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public void Send_WhenApiKeyCallerSendsAnAdminCommand_ThenThrowsForbiddenAndTouchesNothing()
    {
        var host = new ApplicationHost(TestData.ApiKeyCaller(Scopes.WebhooksRead, Scopes.WebhooksWrite));

        Assert.ThrowsAsync<ForbiddenException>(() => host.Mediator.Send(new CreateApiKeyCommand(TestData.OrgId, [Scopes.WebhooksRead])));

        host.Organizations.VerifyNoOtherCalls();
        host.ApiKeys.VerifyNoOtherCalls();
        host.UnitOfWork.VerifyNoOtherCalls();
    }

    [Test]
    public void Send_WhenOperatorSendsAWebhooksCommand_ThenThrowsForbidden()
    {
        var host = new ApplicationHost(Caller.Operator);

        Assert.ThrowsAsync<ForbiddenException>(() => host.Mediator.Send(new PatchWebhookCommand(Id)));
        VerifyNothingTouched(host);
    }

    /// <summary>A catalog where the stored endpoint's version is the newest and an older one is configured too.</summary>
    private static WebhookCatalog TwoVersions() => TestData.Catalog(OlderVersion, TestData.ApiVersion);

    private static PatchWebhookCommand InvalidPatch(string id) =>
        new(id, Url: Optional<string?>.Of(null), Active: Optional<bool?>.Of(null))
        {
            BodyErrors = new Dictionary<string, string> { ["urll"] = "is not a known field" },
        };

    private static void VerifyNothingTouched(ApplicationHost host)
    {
        host.Endpoints.VerifyNoOtherCalls();
        host.UnitOfWork.VerifyNoOtherCalls();
    }
}
