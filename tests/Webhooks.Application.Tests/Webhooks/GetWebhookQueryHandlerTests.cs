using Moq;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Tests.Support;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.GetWebhook;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Tests.Webhooks;

public sealed class GetWebhookQueryHandlerTests
{
    private readonly CancellationToken _token = new CancellationTokenSource().Token;

    private Mock<IWebhookEndpointRepository> _endpoints = null!;
    private Mock<ICurrentCaller> _currentCaller = null!;

    [SetUp]
    public void SetUp()
    {
        _endpoints = new Mock<IWebhookEndpointRepository>(MockBehavior.Strict);
        _endpoints.Setup(r => r.ReadAsync(It.IsAny<Guid>(), It.IsAny<Guid>(), It.IsAny<CancellationToken>())).ReturnsAsync((WebhookEndpoint?)null);
        _currentCaller = new Mock<ICurrentCaller>();
        _currentCaller.SetupGet(c => c.Caller).Returns(TestData.ReadCaller());
    }

    [Test]
    public async Task Handle_WhenEndpointExists_ThenLoadsWithTheCallersOrgAndMapsEveryField()
    {
        var endpoint = TestData.Endpoint(events: ["subscription.canceled", "wallet.balance_low"]);
        endpoint.Patch(new WebhookEndpointChanges(Active: false), TestData.Now);
        Holds(endpoint);

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

        _endpoints.Verify(r => r.ReadAsync(TestData.EndpointId, TestData.OrgId, _token), Times.Once());
    }

    [Test]
    public async Task Handle_WhenEndpointHasNoLabel_ThenDescriptionIsNull()
    {
        Holds(TestData.Endpoint(description: null));

        var response = await Handle(TestData.EndpointId);

        Assert.That(response.Description, Is.Null);
    }

    [Test]
    public void Handle_WhenEndpointBelongsToAnotherOrganization_ThenThrowsNotFound()
    {
        Holds(TestData.Endpoint());
        _currentCaller.SetupGet(c => c.Caller).Returns(new Caller(CallerKind.ApiKey, TestData.ApiKeyId, TestData.OtherOrgId, [Scopes.WebhooksRead]));

        var exception = Assert.ThrowsAsync<NotFoundException>(() => Handle(TestData.EndpointId));

        Assert.That(exception!.Message, Is.EqualTo("not found"));
        _endpoints.Verify(r => r.ReadAsync(TestData.EndpointId, TestData.OtherOrgId, _token), Times.Once());
    }

    [Test]
    public void Handle_WhenRepositoryReturnsNull_ThenThrowsNotFound()
    {
        Assert.ThrowsAsync<NotFoundException>(() => Handle(Guid.NewGuid()));
    }

    private void Holds(WebhookEndpoint endpoint) =>
        _endpoints.Setup(r => r.ReadAsync(endpoint.Id, endpoint.OrgId, It.IsAny<CancellationToken>())).ReturnsAsync(endpoint);

    private Task<WebhookEndpointResponse> Handle(Guid id) =>
        new GetWebhookQueryHandler(_endpoints.Object, _currentCaller.Object, TestData.Mapper).Handle(new GetWebhookQuery(id), _token);
}
