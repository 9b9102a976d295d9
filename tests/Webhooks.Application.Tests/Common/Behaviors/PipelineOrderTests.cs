using MediatR;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Organizations.CreateApiKey;
using Webhooks.Application.Organizations.CreateOrganization;
using Webhooks.Application.Webhooks.CreateWebhook;
using Webhooks.Application.Webhooks.DeleteWebhook;
using Webhooks.Application.Webhooks.GetWebhook;
using Webhooks.Application.Webhooks.ListEventTypes;
using Webhooks.Application.Webhooks.ListWebhooks;
using Webhooks.Application.Webhooks.PatchWebhook;
using Webhooks.Application.Webhooks.RotateWebhookSecret;
using Webhooks.Domain.Common;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Tests.Common.Behaviors;

/// <summary>
/// Requests sent through <c>IMediator</c> as <c>AddApplication</c> wires it. The contract's order of
/// checks, the Application's part: authentication, scope, existence, then the rules that need the
/// stored endpoint (an <c>api_version</c> that is configured but differs from the endpoint's). The
/// body's shape and stateless rules come before, in the API (<c>RequestReader</c>): a command carries
/// checked values only.
/// </summary>
public sealed class PipelineOrderTests
{
    private const string OlderVersion = "2025-06-01";

    private static readonly Guid Id = TestData.EndpointId;

    private static readonly WebhookEndpointChanges Deactivate = new(Active: false);

    private static IEnumerable<TestCaseData> Refusals()
    {
        yield return Refusal<UnauthenticatedException>(null, m => m.Send(new PatchWebhookCommand(Id, Deactivate)))
            .SetName("Send_WhenThereIsNoCaller_ThenThrowsUnauthenticatedAndTouchesNothing");
        yield return Refusal<UnauthenticatedException>(null, m => m.Send(new ListEventTypesQuery()))
            .SetName("Send_WhenNobodyIsAuthenticatedAndAsksForEventTypes_ThenThrowsUnauthenticated");
        yield return Refusal<ForbiddenException>(TestData.ReadCaller(), m => m.Send(new PatchWebhookCommand(Id, Deactivate)))
            .SetName("Send_WhenReadOnlyCallerSendsAPatch_ThenThrowsForbiddenAndTouchesNothing");
        yield return Refusal<ForbiddenException>(TestData.ReadCaller(), m => m.Send(NewEndpoint()))
            .SetName("Send_WhenReadOnlyCallerSendsACreate_ThenThrowsForbiddenAndTouchesNothing");
        yield return Refusal<ForbiddenException>(TestData.ReadCaller(), m => m.Send(new DeleteWebhookCommand(Id)))
            .SetName("Send_WhenReadOnlyCallerDeletes_ThenThrowsForbiddenAndTouchesNothing");
        yield return Refusal<ForbiddenException>(TestData.ReadCaller(), m => m.Send(new RotateWebhookSecretCommand(Id)))
            .SetName("Send_WhenReadOnlyCallerRotates_ThenThrowsForbiddenAndProtectsNothing");
        yield return Refusal<ForbiddenException>(TestData.ApiKeyCaller(), m => m.Send(new ListWebhooksQuery()))
            .SetName("Send_WhenACallerWithoutScopesLists_ThenThrowsForbidden");
        yield return Refusal<ForbiddenException>(TestData.ApiKeyCaller(Scopes.WebhooksRead, Scopes.WebhooksWrite), m => m.Send(new CreateApiKeyCommand(TestData.OrgId, [Scopes.WebhooksRead])))
            .SetName("Send_WhenApiKeyCallerSendsAnAdminCommand_ThenThrowsForbiddenAndTouchesNothing");
        yield return Refusal<ForbiddenException>(Caller.Operator, m => m.Send(new PatchWebhookCommand(Id, Deactivate)))
            .SetName("Send_WhenOperatorSendsAWebhooksCommand_ThenThrowsForbidden");
    }

    /// <summary>Authentication and scope come first: a refused request reads, writes and protects nothing, though the endpoint exists.</summary>
    [TestCaseSource(nameof(Refusals))]
    public void Send_WhenTheCallerMayNotSendTheRequest_ThenThrowsBeforeTouchingAnyPort(Caller? caller, Func<IMediator, Task> send, Type expected)
    {
        var host = new ApplicationHost(caller);
        host.Holds(TestData.Endpoint());

        Assert.That(async () => await send(host.Mediator), Throws.TypeOf(expected));

        host.Endpoints.VerifyNoOtherCalls();
        host.Organizations.VerifyNoOtherCalls();
        host.ApiKeys.VerifyNoOtherCalls();
        host.Idempotency.VerifyNoOtherCalls();
        host.Cursors.VerifyNoOtherCalls();
        host.UnitOfWork.VerifyNoOtherCalls();
        Assert.That(host.Protector.Protected, Is.Empty);
    }

    [Test]
    public void Send_WhenEndpointDoesNotExistAndBodyIsValid_ThenThrowsNotFoundAfterLookingItUp()
    {
        var host = new ApplicationHost(TestData.WriteCaller());

        Assert.ThrowsAsync<NotFoundException>(() => host.Mediator.Send(new PatchWebhookCommand(Id, new WebhookEndpointChanges(Description: Description.Create("x").Value))));

        host.Endpoints.Verify(r => r.GetAsync(TestData.EndpointId, TestData.OrgId, It.IsAny<CancellationToken>()), Times.Once());
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
    }

    [Test]
    public void Send_WhenEndpointDoesNotExistAndApiVersionIsConfiguredButNotItsOwn_ThenThrowsNotFoundBeforeTheImmutableRule()
    {
        var host = new ApplicationHost(TestData.WriteCaller(), TwoVersions());

        Assert.ThrowsAsync<NotFoundException>(() => host.Mediator.Send(new PatchWebhookCommand(Id, new WebhookEndpointChanges(ApiVersion: OlderVersion))));

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

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => host.Mediator.Send(new PatchWebhookCommand(Id, new WebhookEndpointChanges(ApiVersion: OlderVersion))));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["api_version"] = WebhookEndpoint.ImmutableApiVersionMessage }));
        host.Endpoints.Verify(r => r.GetAsync(TestData.EndpointId, TestData.OrgId, It.IsAny<CancellationToken>()), Times.Once());
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
        Assert.That(endpoint.ApiVersion, Is.EqualTo(TestData.ApiVersion));
    }

    [Test]
    public async Task Send_WhenApiVersionEqualsTheStoredOne_ThenSucceedsWithoutSaving()
    {
        var host = new ApplicationHost(TestData.WriteCaller());
        host.Holds(TestData.Endpoint());

        var response = await host.Mediator.Send(new PatchWebhookCommand(Id, new WebhookEndpointChanges(ApiVersion: TestData.ApiVersion)));

        Assert.That(response.ApiVersion, Is.EqualTo(TestData.ApiVersion));
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
    }

    [Test]
    public async Task Send_WhenPatchIsValid_ThenLoadsChangesAndSavesOnce()
    {
        var host = new ApplicationHost(TestData.WriteCaller());
        host.Holds(TestData.Endpoint());

        var response = await host.Mediator.Send(new PatchWebhookCommand(Id, new WebhookEndpointChanges(Active: false, Description: Description.Create("  New label  ").Value)));

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

        var response = await host.Mediator.Send(NewEndpoint());

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
    public async Task Send_WhenAWriteCallerDeletes_ThenDeletesAndSavesOnce()
    {
        var host = new ApplicationHost(TestData.WriteCaller());
        var endpoint = TestData.Endpoint();
        host.Holds(endpoint);

        var response = await host.Mediator.Send(new DeleteWebhookCommand(Id));

        Assert.That(response.DeletedAt, Is.EqualTo(TestData.Now));
        Assert.That(endpoint.IsDeleted, Is.True);
        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public async Task Send_WhenAWriteCallerRotates_ThenReturnsTheNewSecret()
    {
        var host = new ApplicationHost(TestData.WriteCaller());
        var endpoint = TestData.Endpoint();
        host.Holds(endpoint);

        var response = await host.Mediator.Send(new RotateWebhookSecretCommand(Id));

        Assert.That(response.Secret, Does.StartWith("whsec_"));
        Assert.That(endpoint.ProtectedSecret, Is.EqualTo(FakeSecretProtector.Of(response.Secret!)));
    }

    [Test]
    public async Task Send_WhenAReadCallerLists_ThenGetsAPage()
    {
        var host = new ApplicationHost(TestData.ReadCaller());
        host.Endpoints.Setup(r => r.ListAsync(TestData.OrgId, null, 21, It.IsAny<CancellationToken>())).ReturnsAsync([TestData.Endpoint()]);

        var page = await host.Mediator.Send(new ListWebhooksQuery());

        Assert.That(page.Data.Single().Id, Is.EqualTo(TestData.EndpointId));
        Assert.That(page.HasMore, Is.False);
    }

    [Test]
    public void Send_WhenTheListLimitIsInvalid_ThenThrowsValidationFailedWithoutListing()
    {
        var host = new ApplicationHost(TestData.ReadCaller());

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => host.Mediator.Send(new ListWebhooksQuery(101)));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["limit"] = ListWebhooksQuery.InvalidLimitMessage }));
        host.Endpoints.VerifyNoOtherCalls();
        host.Cursors.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Send_WhenAKeyWithoutScopesAsksForEventTypes_ThenGetsTheCatalog()
    {
        var host = new ApplicationHost(TestData.ApiKeyCaller());

        var list = await host.Mediator.Send(new ListEventTypesQuery());

        Assert.That(list.Data.Select(t => t.Name), Is.EqualTo(TestData.SeedEventTypes));
    }

    /// <summary>A catalog where the stored endpoint's version is the newest and an older one is configured too.</summary>
    private static WebhookCatalog TwoVersions() => TestData.Catalog(OlderVersion, TestData.ApiVersion);

    private static CreateWebhookCommand NewEndpoint() => new(
        TestData.HttpsUrlOf(TestData.Url), TestData.EventsOf("wallet.balance_low"), Description.Create(TestData.DescriptionText).Value, true, TestData.ApiVersion);

    private static TestCaseData Refusal<TException>(Caller? caller, Func<IMediator, Task> send)
        where TException : Exception => new(caller, send, typeof(TException));
}
