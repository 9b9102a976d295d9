using Moq;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Tests.Support;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.DeleteWebhook;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Tests.Webhooks;

public sealed class DeleteWebhookCommandHandlerTests
{
    private WebhookEndpoint _endpoint = null!;

    private Ports _ports = null!;

    [SetUp]
    public void SetUp()
    {
        _ports = new Ports();
        _endpoint = TestData.Endpoint();
        _ports.Holds(_endpoint);
    }

    [Test]
    public async Task Handle_WhenEndpointExists_ThenSoftDeletesItSavesOnceAndReturnsTheFinalResource()
    {
        var response = await Handle(new DeleteWebhookCommand(TestData.EndpointId));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_endpoint.DeletedAt, Is.EqualTo(TestData.Now));
            Assert.That(response.Id, Is.EqualTo(TestData.EndpointId));
            Assert.That(response.Url, Is.EqualTo(TestData.Url));
            Assert.That(response.DeletedAt, Is.EqualTo(TestData.Now));
            Assert.That(response.UpdatedAt, Is.EqualTo(TestData.Now));
            Assert.That(response.CreatedAt, Is.EqualTo(TestData.CreatedAt));
            Assert.That(response.ETag, Is.EqualTo(WebhookETag.For(TestData.EndpointId, 2)));
            Assert.That(response.Secret, Is.Null);
        }

        _ports.Endpoints.Verify(r => r.GetAsync(TestData.EndpointId, TestData.OrgId, _ports.Token), Times.Once());
        _ports.VerifySavedOnce();
    }

    [TestCase("*")]
    [TestCase("\"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.1\"")]
    [TestCase("\"old\", \"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.1\"")]
    public async Task Handle_WhenIfMatchMatches_ThenDeletes(string ifMatch)
    {
        await Handle(new DeleteWebhookCommand(TestData.EndpointId, IfMatch.Parse(ifMatch)));

        Assert.That(_endpoint.IsDeleted, Is.True);
        _ports.VerifySavedOnce();
    }

    [TestCase("\"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.2\"")]
    [TestCase("W/\"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.1\"")]
    public void Handle_WhenIfMatchIsStaleOrWeak_ThenThrowsPreconditionFailedAndNeitherDeletesNorSaves(string ifMatch)
    {
        Assert.ThrowsAsync<PreconditionFailedException>(() => Handle(new DeleteWebhookCommand(TestData.EndpointId, IfMatch.Parse(ifMatch))));

        Assert.That(_endpoint.IsDeleted, Is.False);
        Assert.That(_endpoint.Revision, Is.EqualTo(1));
        _ports.VerifyNotSaved();
    }

    [Test]
    public void Handle_WhenRepositoryReturnsNull_ThenThrowsNotFoundAndDoesNotSave()
    {
        var exception = Assert.ThrowsAsync<NotFoundException>(() => Handle(new DeleteWebhookCommand(Guid.NewGuid(), IfMatch.Parse("*"))));

        Assert.That(exception!.Message, Is.EqualTo("not found"));
        _ports.VerifyNotSaved();
    }

    [Test]
    public void Handle_WhenEndpointBelongsToAnotherOrganization_ThenThrowsNotFoundAndLeavesItAlone()
    {
        _ports.ActAs(TestData.OtherOrgCaller(Scopes.WebhooksWrite));

        Assert.ThrowsAsync<NotFoundException>(() => Handle(new DeleteWebhookCommand(TestData.EndpointId)));

        _ports.Endpoints.Verify(r => r.GetAsync(TestData.EndpointId, TestData.OtherOrgId, It.IsAny<CancellationToken>()), Times.Once());
        Assert.That(_endpoint.IsDeleted, Is.False);
        _ports.VerifyNotSaved();
    }

    private Task<WebhookEndpointResponse> Handle(DeleteWebhookCommand command) => _ports.Handler<DeleteWebhookCommandHandler>().Handle(command, _ports.Token);
}
