using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Clients;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Deliveries;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Organizations;
using Webhooks.Application.Webhooks;

namespace Webhooks.Application.Tests.Support;

/// <summary>
/// The Application layer wired the way the API wires it (<c>AddApplication</c>), with every port
/// mocked and the seed's real <see cref="WebhookCatalog"/> (or the given one); the caller is a
/// <see cref="ProcessCaller"/>, so every request here is sent as a worker or an admin command sends it.
/// </summary>
internal sealed class ApplicationHost
{
    public ApplicationHost(Caller? caller, WebhookCatalog? catalog = null)
    {
        Catalog = catalog ?? TestData.Catalog();
        if (caller is not null)
        {
            CurrentCaller.ActAs(caller);
        }

        Clock.SetupGet(c => c.UtcNow).Returns(TestData.Now);
        Ids.Setup(i => i.NewId()).Returns(TestData.NewId);
        Hasher.Setup(h => h.Hash(It.IsAny<string>())).Returns<string>(secret => "hash:" + secret.Length);
        UnitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var services = TestData.ApplicationServices();
        services.AddSingleton(Endpoints.Object);
        services.AddSingleton(UnitOfWork.Object);
        services.AddSingleton<ICurrentCaller>(CurrentCaller);
        services.AddSingleton(Clock.Object);
        services.AddSingleton(Ids.Object);
        services.AddSingleton(Hasher.Object);
        services.AddSingleton(Organizations.Object);
        services.AddSingleton(ApiKeys.Object);
        services.AddSingleton(Catalog);
        services.AddSingleton(Clients.Object);
        services.AddSingleton(Idempotency.Object);
        services.AddSingleton<ISecretProtector>(Protector);
        services.AddSingleton(Cursors.Object);
        services.AddSingleton(Events.Object);
        services.AddSingleton(Deliveries.Object);
        services.AddSingleton(History.Object);
        services.AddSingleton(Signal.Object);
        services.AddSingleton(PublishingMetrics.Object);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = false, ValidateOnBuild = true });
    }

    public Mock<IWebhookEndpointRepository> Endpoints { get; } = new();

    public Mock<IUnitOfWork> UnitOfWork { get; } = new();

    /// <summary>The caller, as a worker or an admin command has one: the process says whom it acts as.</summary>
    public ProcessCaller CurrentCaller { get; } = new();

    public Mock<IClock> Clock { get; } = new();

    public Mock<IIdGenerator> Ids { get; } = new();

    public Mock<ISecretHasher> Hasher { get; } = new();

    public Mock<IOrganizationRepository> Organizations { get; } = new();

    public Mock<IApiKeyRepository> ApiKeys { get; } = new();

    public Mock<IClientRepository> Clients { get; } = new();

    public Mock<IIdempotencyStore> Idempotency { get; } = new();

    public FakeSecretProtector Protector { get; } = new();

    public Mock<IListCursorCodec> Cursors { get; } = new();

    public Mock<IEventRepository> Events { get; } = new();

    public Mock<IDeliveryReader> Deliveries { get; } = new();

    public Mock<Application.Webhooks.ListWebhookHistory.IWebhookHistoryReader> History { get; } = new();

    public Mock<IDeliverySignal> Signal { get; } = new();

    public Mock<IPublishingMetrics> PublishingMetrics { get; } = new();

    public WebhookCatalog Catalog { get; }

    public ServiceProvider Services { get; }

    public IMediator Mediator => Services.GetRequiredService<IMediator>();

    /// <summary>Makes the repository hold <paramref name="endpoint"/> for its own organization.</summary>
    public void Holds(WebhookEndpoint endpoint)
    {
        Endpoints.Setup(r => r.GetAsync(endpoint.Id, endpoint.OrgId, It.IsAny<CancellationToken>())).ReturnsAsync(endpoint);
        Endpoints.Setup(r => r.ReadAsync(endpoint.Id, endpoint.OrgId, It.IsAny<CancellationToken>())).ReturnsAsync(endpoint);
    }
}
