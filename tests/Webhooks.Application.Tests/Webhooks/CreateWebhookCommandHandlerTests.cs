using Moq;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Tests.Support;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.CreateWebhook;
using Webhooks.Domain.Common;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Tests.Webhooks;

public sealed class CreateWebhookCommandHandlerTests
{
    private readonly CancellationToken _token = new CancellationTokenSource().Token;

    private Mock<IWebhookEndpointRepository> _endpoints = null!;
    private Mock<IUnitOfWork> _unitOfWork = null!;
    private Mock<ICurrentCaller> _currentCaller = null!;
    private Mock<IIdGenerator> _ids = null!;
    private Mock<IClock> _clock = null!;
    private List<WebhookEndpoint> _added = null!;

    [SetUp]
    public void SetUp()
    {
        _added = [];
        _endpoints = new Mock<IWebhookEndpointRepository>(MockBehavior.Strict);
        _endpoints.Setup(r => r.Add(It.IsAny<WebhookEndpoint>())).Callback<WebhookEndpoint>(_added.Add);
        _unitOfWork = new Mock<IUnitOfWork>(MockBehavior.Strict);
        _unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _currentCaller = new Mock<ICurrentCaller>();
        _currentCaller.SetupGet(c => c.Caller).Returns(TestData.WriteCaller());
        _ids = new Mock<IIdGenerator>();
        _ids.Setup(i => i.NewId()).Returns(TestData.NewId);
        _clock = new Mock<IClock>();
        _clock.SetupGet(c => c.UtcNow).Returns(TestData.Now);
    }

    [Test]
    public async Task Handle_WhenOnlyRequiredFieldsAreSent_ThenAddsOneEndpointOfTheCallersOrgWithDefaults()
    {
        await Handle(new CreateWebhookCommand(Url: TestData.Url, Events: Events("wallet.balance_low"), Description: TestData.DescriptionText));

        Assert.That(_added, Has.Count.EqualTo(1));
        var endpoint = _added[0];
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

        _ids.Verify(i => i.NewId(), Times.Once());
        _unitOfWork.Verify(u => u.SaveChangesAsync(_token), Times.Once());
    }

    [Test]
    public async Task Handle_WhenCreated_ThenReturnsTheMappedEndpoint()
    {
        var response = await Handle(new CreateWebhookCommand(TestData.Url, Events("wallet.balance_zero", "subscription.past_due"), "  Ops alerts  ", false));

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
        var response = await Handle(new CreateWebhookCommand(Url: TestData.Url, Events: Events("wallet.balance_low")));

        Assert.That(response.Description, Is.Null);
        Assert.That(_added.Single().Description, Is.Null);
    }

    [Test]
    public async Task Handle_WhenSeveralApiVersionsAreConfigured_ThenDefaultsToTheNewest()
    {
        await Handle(new CreateWebhookCommand(Url: TestData.Url, Events: Events("wallet.balance_low"), Description: "x"), TestData.Catalog("2025-01-01", "2026-04-01", "2025-06-30"));

        Assert.That(_added.Single().ApiVersion, Is.EqualTo("2026-04-01"));
    }

    [Test]
    public async Task Handle_WhenAConfiguredOlderApiVersionIsRequested_ThenUsesIt()
    {
        await Handle(new CreateWebhookCommand(TestData.Url, Events("wallet.balance_low"), "x", ApiVersion: "2025-01-01"), TestData.Catalog("2025-01-01", "2026-04-01"));

        Assert.That(_added.Single().ApiVersion, Is.EqualTo("2025-01-01"));
    }

    [Test]
    public void Handle_WhenRulesAreBroken_ThenThrowsValidationFailedWithAllFieldsAndNeverAddsOrSaves()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(new CreateWebhookCommand(
            "https://user:pw@hooks.example.com/", Events(), new string('x', 201), ApiVersion: "1999-01-01")));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["url"] = "must not contain a user name or password",
            ["description"] = "must be at most 200 characters",
            ["events"] = "must contain at least one event type",
            ["api_version"] = "must be one of: 2026-04-01",
        }));
        _endpoints.Verify(r => r.Add(It.IsAny<WebhookEndpoint>()), Times.Never());
        _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
    }

    private static Optional<IReadOnlyList<string?>?> Events(params string?[] items) => Optional<IReadOnlyList<string?>?>.Of(items);

    private Task<WebhookEndpointResponse> Handle(CreateWebhookCommand command, WebhookCatalog? catalog = null) =>
        new CreateWebhookCommandHandler(_endpoints.Object, _unitOfWork.Object, _currentCaller.Object, catalog ?? TestData.Catalog(), _ids.Object, _clock.Object, TestData.Mapper)
            .Handle(command, _token);
}
