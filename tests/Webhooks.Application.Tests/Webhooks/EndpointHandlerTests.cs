using Webhooks.Application.Common.Errors;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.DeleteWebhook;
using Webhooks.Application.Webhooks.GetWebhook;
using Webhooks.Application.Webhooks.PatchWebhook;
using Webhooks.Application.Webhooks.RotateWebhookSecret;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Tests.Webhooks;

/// <summary>
/// What the handlers of one endpoint do alike: get, patch, delete and rotate look the endpoint up in the
/// caller's organization only (another organization's endpoint is not found, and nothing changes), and
/// the three that change it check <c>If-Match</c> before they change anything.
/// </summary>
public sealed class EndpointHandlerTests : HeldEndpointFixture
{
    private const string CurrentTag = "\"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.1\"";

    /// <summary>A request about one endpoint.</summary>
    public enum Request
    {
        Get,
        Patch,
        Delete,
        Rotate,
    }

    [TestCase(Request.Get, null)]
    [TestCase(Request.Patch, null)]
    [TestCase(Request.Patch, "\"whatever\"")]
    [TestCase(Request.Delete, "*")]
    [TestCase(Request.Rotate, null)]
    public void Handle_WhenRepositoryFindsNothing_ThenThrowsNotFoundAndNeitherProtectsNorSaves(Request request, string? ifMatch)
    {
        var exception = Assert.ThrowsAsync<NotFoundException>(() => Send(request, Guid.NewGuid(), ifMatch));

        Assert.That(exception!.Message, Is.EqualTo("not found"));
        Assert.That(Ports.Protector.Protected, Is.Empty);
        Ports.VerifyNotSaved();
    }

    [TestCase(Request.Get)]
    [TestCase(Request.Patch)]
    [TestCase(Request.Delete)]
    [TestCase(Request.Rotate)]
    public void Handle_WhenEndpointBelongsToAnotherOrganization_ThenLooksOnlyInTheCallersAndThrowsNotFoundChangingNothing(Request request)
    {
        var before = Snapshot();
        Ports.ActAs(TestData.OtherOrgCaller(Scopes.WebhooksRead, Scopes.WebhooksWrite));

        var exception = Assert.ThrowsAsync<NotFoundException>(() => Send(request, TestData.EndpointId));

        Assert.That(exception!.Message, Is.EqualTo("not found"));
        Assert.That(Snapshot(), Is.EqualTo(before));
        if (request == Request.Get)
        {
            Ports.Endpoints.Verify(r => r.ReadAsync(TestData.EndpointId, TestData.OtherOrgId, Ports.Token), Times.Once());
        }
        else
        {
            Ports.Endpoints.Verify(r => r.GetAsync(TestData.EndpointId, TestData.OtherOrgId, Ports.Token), Times.Once());
        }

        Ports.VerifyNotSaved();
    }

    [TestCase(Request.Patch, "*")]
    [TestCase(Request.Patch, CurrentTag)]
    [TestCase(Request.Delete, "*")]
    [TestCase(Request.Delete, CurrentTag)]
    [TestCase(Request.Delete, "\"old\", " + CurrentTag)]
    [TestCase(Request.Rotate, "*")]
    [TestCase(Request.Rotate, CurrentTag)]
    public async Task Handle_WhenIfMatchMatches_ThenChangesTheEndpointOnceAndReturnsTheNextETag(Request request, string ifMatch)
    {
        var response = await Send(request, TestData.EndpointId, ifMatch);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Endpoint.Revision, Is.EqualTo(2));
            Assert.That(response.ETag, Is.EqualTo(WebhookETag.For(TestData.EndpointId, 2)));
            Assert.That(response.UpdatedAt, Is.EqualTo(TestData.Now));
        }

        Ports.VerifySavedOnce();
    }

    [TestCase(Request.Patch, "\"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.2\"")]
    [TestCase(Request.Patch, "W/" + CurrentTag)]
    [TestCase(Request.Delete, "\"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.2\"")]
    [TestCase(Request.Delete, "W/" + CurrentTag)]
    [TestCase(Request.Rotate, "\"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.2\"")]
    [TestCase(Request.Rotate, "W/" + CurrentTag)]
    public void Handle_WhenIfMatchIsStaleOrWeak_ThenThrowsPreconditionFailedChangesNothingAndDoesNotSave(Request request, string ifMatch)
    {
        var before = Snapshot();

        Assert.ThrowsAsync<PreconditionFailedException>(() => Send(request, TestData.EndpointId, ifMatch));

        Assert.That(Snapshot(), Is.EqualTo(before));
        Ports.VerifyNotSaved();
    }

    [Test]
    public void Handle_WhenIfMatchWasIssuedBeforeAChange_ThenPatchThrowsPreconditionFailedAndChangesNothing()
    {
        var stale = WebhookETag.For(Endpoint);
        Endpoint.Patch(new WebhookEndpointChanges(Description: Domain.Common.Optional<Description?>.Of(null)), TestData.CreatedAt.AddMinutes(1));
        var before = Snapshot();

        Assert.ThrowsAsync<PreconditionFailedException>(() => Send(Request.Patch, TestData.EndpointId, stale));

        Assert.That(Snapshot(), Is.EqualTo(before));
        Ports.VerifyNotSaved();
    }

    /// <summary>Everything a request could change: revision, times, the patched fields and the protected secret.</summary>
    private (int Revision, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, bool Active, string Url, string? Description, string ProtectedSecret) Snapshot() =>
        (Endpoint.Revision, Endpoint.UpdatedAt, Endpoint.DeletedAt, Endpoint.Active, Endpoint.Url.Value, Endpoint.Description?.Value, Endpoint.ProtectedSecret);

    /// <summary>Sends <paramref name="request"/> to its handler; a patch deactivates the endpoint and points it elsewhere.</summary>
    private Task<WebhookEndpointResponse> Send(Request request, Guid id, string? ifMatch = null)
    {
        var condition = ifMatch is null ? null : IfMatch.Parse(ifMatch);
        return request switch
        {
            Request.Get => Ports.Handler<GetWebhookQueryHandler>().Handle(new GetWebhookQuery(id), Ports.Token),
            Request.Patch => Ports.Handler<PatchWebhookCommandHandler>().Handle(
                new PatchWebhookCommand(id, new WebhookEndpointChanges(Url: TestData.HttpsUrlOf("https://hooks.example.com/new"), Active: false), condition), Ports.Token),
            Request.Delete => Ports.Handler<DeleteWebhookCommandHandler>().Handle(new DeleteWebhookCommand(id, condition), Ports.Token),
            _ => Ports.Handler<RotateWebhookSecretCommandHandler>().Handle(new RotateWebhookSecretCommand(id, condition), Ports.Token),
        };
    }
}
