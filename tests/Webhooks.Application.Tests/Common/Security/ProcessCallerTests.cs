using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Organizations.CreateOrganization;
using Webhooks.Application.Webhooks.PatchWebhook;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Tests.Common.Security;

/// <summary>
/// A process that is not serving HTTP (an admin command, the seed, a worker) sends the API's own
/// commands through <see cref="ProcessCaller"/>: the same scope check, no request to fake.
/// </summary>
public sealed class ProcessCallerTests
{
    [Test]
    public void Caller_WhenTheProcessHasNotSaidWhomItActsAs_ThenIsNullAndRequestsAreUnauthenticated()
    {
        var host = new ApplicationHost(caller: null);

        Assert.That(host.CurrentCaller.Caller, Is.Null);
        Assert.ThrowsAsync<UnauthenticatedException>(() => host.Mediator.Send(new CreateOrganizationCommand("Y3 Labs")));
        host.UnitOfWork.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Send_WhenTheProcessActsAsTheOperatorAndThenAsAnApiKey_ThenEachCommandRunsAsTheCallerOfItsTime()
    {
        var host = new ApplicationHost(caller: null);
        var endpoint = TestData.Endpoint();
        host.Holds(endpoint);

        host.CurrentCaller.ActAs(Caller.Operator);
        var organization = await host.Mediator.Send(new CreateOrganizationCommand("Y3 Labs"));
        Assert.ThrowsAsync<ForbiddenException>(() => host.Mediator.Send(new PatchWebhookCommand(TestData.EndpointId, new WebhookEndpointChanges(Active: false))));

        host.CurrentCaller.ActAs(TestData.ApiKeyCaller(Scopes.WebhooksWrite));
        var patched = await host.Mediator.Send(new PatchWebhookCommand(TestData.EndpointId, new WebhookEndpointChanges(Active: false)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(organization.Id, Is.EqualTo(TestData.NewId));
            Assert.That(patched.Active, Is.False);
            Assert.That(endpoint.Active, Is.False);
        }

        host.UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Test]
    public void ActAs_WhenGivenNull_ThenThrows()
    {
        Assert.That(() => new ProcessCaller().ActAs(null!), Throws.ArgumentNullException);
    }
}
