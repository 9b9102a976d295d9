using Webhooks.Application.Common.Security;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.GetWebhook;

namespace Webhooks.Application.Tests.Webhooks;

public sealed class GetWebhookQueryHandlerTests : HeldEndpointFixture
{
    [SetUp]
    public void SetUp()
    {
        Ports.ActAs(TestData.ReadCaller());
    }

    [Test]
    public async Task Handle_WhenEndpointExists_ThenLoadsWithTheCallersOrgAndMapsEveryField()
    {
        var endpoint = TestData.Endpoint(events: ["subscription.canceled", "wallet.balance_low"]);
        endpoint.Patch(new WebhookEndpointChanges(Active: false), TestData.Now);
        Ports.Holds(endpoint);

        var response = await Handle(TestData.EndpointId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Id, Is.EqualTo(TestData.EndpointId));
            Assert.That(response.OrgId, Is.EqualTo(TestData.OrgId));
            Assert.That(response.Url, Is.EqualTo(TestData.Url));
            Assert.That(response.Description, Is.EqualTo(TestData.DescriptionText));
            Assert.That(response.Events, Is.EqualTo(new[] { "subscription.canceled", "wallet.balance_low" }));
            Assert.That(response.Active, Is.False);
            Assert.That(response.ApiVersion, Is.EqualTo(TestData.ApiVersion));
            Assert.That(response.CreatedAt, Is.EqualTo(TestData.CreatedAt));
            Assert.That(response.UpdatedAt, Is.EqualTo(TestData.Now));
            Assert.That(response.DeletedAt, Is.Null);
        }

        Ports.Endpoints.Verify(r => r.ReadAsync(TestData.EndpointId, TestData.OrgId, Ports.Token), Times.Once());
    }

    [Test]
    public async Task Handle_WhenEndpointHasNoLabel_ThenDescriptionIsNull()
    {
        Ports.Holds(TestData.Endpoint(description: null));

        var response = await Handle(TestData.EndpointId);

        Assert.That(response.Description, Is.Null);
    }

    private Task<WebhookEndpointResponse> Handle(Guid id) =>
        Ports.Handler<GetWebhookQueryHandler>().Handle(new GetWebhookQuery(id), Ports.Token);
}
