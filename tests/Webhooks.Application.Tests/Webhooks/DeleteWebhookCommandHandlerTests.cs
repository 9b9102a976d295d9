using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.DeleteWebhook;

namespace Webhooks.Application.Tests.Webhooks;

public sealed class DeleteWebhookCommandHandlerTests : HeldEndpointFixture
{
    [Test]
    public async Task Handle_WhenEndpointExists_ThenSoftDeletesItSavesOnceAndReturnsTheFinalResource()
    {
        var response = await Handle(new DeleteWebhookCommand(TestData.EndpointId));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Endpoint.DeletedAt, Is.EqualTo(TestData.Now));
            Assert.That(response.Id, Is.EqualTo(TestData.EndpointId));
            Assert.That(response.Url, Is.EqualTo(TestData.Url));
            Assert.That(response.DeletedAt, Is.EqualTo(TestData.Now));
            Assert.That(response.UpdatedAt, Is.EqualTo(TestData.Now));
            Assert.That(response.CreatedAt, Is.EqualTo(TestData.CreatedAt));
            Assert.That(response.ETag, Is.EqualTo(WebhookETag.For(TestData.EndpointId, 2)));
            Assert.That(response.Secret, Is.Null);
        }

        Ports.Endpoints.Verify(r => r.GetAsync(TestData.EndpointId, TestData.OrgId, Ports.Token), Times.Once());
        Ports.VerifySavedOnce();
    }

    private Task<WebhookEndpointResponse> Handle(DeleteWebhookCommand command) => Ports.Handler<DeleteWebhookCommandHandler>().Handle(command, Ports.Token);
}
