using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Clients;
using Webhooks.Application.Common.Idempotency;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Deliveries;
using Webhooks.Application.Organizations;
using Webhooks.Application.Webhooks;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Idempotency;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Tests.Support;

/// <summary>
/// The one fixture of the handler tests: every port a handler takes, Moq'd, and <see cref="Handler{T}"/>,
/// which builds a handler from them. Repositories, the unit of work and the idempotency store are
/// strict (a call nobody set up fails the test); a repository finds nothing until it <c>Holds</c>
/// something, and what is added is recorded. The clock reads <see cref="TestData.Now"/>, a new id is
/// <see cref="TestData.NewId"/>, the caller holds <c>webhooks:write</c> in <see cref="TestData.OrgId"/>,
/// the hasher is SHA-256 and the protector <see cref="FakeSecretProtector"/>.
/// </summary>
internal sealed class Ports
{
    public Ports()
    {
        Endpoints.Setup(r => r.GetAsync(It.IsAny<Guid>(), It.IsAny<Guid>(), It.IsAny<CancellationToken>())).ReturnsAsync((WebhookEndpoint?)null);
        Endpoints.Setup(r => r.ReadAsync(It.IsAny<Guid>(), It.IsAny<Guid>(), It.IsAny<CancellationToken>())).ReturnsAsync((WebhookEndpoint?)null);
        Endpoints.Setup(r => r.Add(It.IsAny<WebhookEndpoint>())).Callback<WebhookEndpoint>(AddedEndpoints.Add);
        Clients.Setup(c => c.GetAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>())).ReturnsAsync((Client?)null);
        Clients.Setup(c => c.Add(It.IsAny<Client>())).Callback<Client>(AddedClients.Add);
        Organizations.Setup(o => o.ExistsAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        ApiKeys.Setup(k => k.GetAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>())).ReturnsAsync((ApiKey?)null);
        ApiKeys.Setup(k => k.Add(It.IsAny<ApiKey>())).Callback<ApiKey>(AddedApiKeys.Add);
        Idempotency.Setup(s => s.Add(It.IsAny<IdempotencyRecord>())).Callback<IdempotencyRecord>(Records.Add);
        UnitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        Events.Setup(e => e.FindAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>())).ReturnsAsync((Event?)null);
        Events.Setup(e => e.Add(It.IsAny<Event>(), It.IsAny<IEnumerable<Delivery>>()))
            .Callback<Event, IEnumerable<Delivery>>((evt, deliveries) => AddedEvents.Add((evt, deliveries.ToList())));
        CurrentCaller.SetupGet(c => c.Caller).Returns(TestData.WriteCaller());
        Clock.SetupGet(c => c.UtcNow).Returns(TestData.Now);
        Ids.Setup(i => i.NewId()).Returns(TestData.NewId);
    }

    /// <summary>The token every handler is sent; a port that gets it was handed the caller's token.</summary>
    public CancellationToken Token { get; } = new CancellationTokenSource().Token;

    public Mock<IWebhookEndpointRepository> Endpoints { get; } = new(MockBehavior.Strict);

    public Mock<IClientRepository> Clients { get; } = new(MockBehavior.Strict);

    public Mock<IOrganizationRepository> Organizations { get; } = new(MockBehavior.Strict);

    public Mock<IApiKeyRepository> ApiKeys { get; } = new(MockBehavior.Strict);

    public Mock<IIdempotencyStore> Idempotency { get; } = new(MockBehavior.Strict);

    public Mock<IUnitOfWork> UnitOfWork { get; } = new(MockBehavior.Strict);

    public Mock<ICurrentCaller> CurrentCaller { get; } = new();

    public Mock<IClock> Clock { get; } = new();

    public Mock<IIdGenerator> Ids { get; } = new();

    public Mock<ISecretHasher> Hasher { get; } = Sha256Hasher.Mock();

    public Mock<IListCursorCodec> Cursors { get; } = new(MockBehavior.Strict);

    public Mock<IEventRepository> Events { get; } = new(MockBehavior.Strict);

    public Mock<IDeliveryReader> Deliveries { get; } = new(MockBehavior.Strict);

    public Mock<Application.Webhooks.ListWebhookHistory.IWebhookHistoryReader> History { get; } = new(MockBehavior.Strict);

    public Mock<IDeliverySignal> Signal { get; } = new();

    public Mock<IPublishingMetrics> PublishingMetrics { get; } = new();

    public FakeSecretProtector Protector { get; } = new();

    /// <summary>The catalog handlers are built with: the seed's event types at <see cref="TestData.ApiVersion"/>.</summary>
    public WebhookCatalog Catalog { get; set; } = TestData.Catalog();

    public List<WebhookEndpoint> AddedEndpoints { get; } = [];

    public List<Client> AddedClients { get; } = [];

    public List<ApiKey> AddedApiKeys { get; } = [];

    public List<IdempotencyRecord> Records { get; } = [];

    /// <summary>What was added to the event repository: each event with its deliveries.</summary>
    public List<(Event Event, List<Delivery> Deliveries)> AddedEvents { get; } = [];

    /// <summary>A handler built from these ports (and the mapper as <c>AddApplication</c> configures it).</summary>
    public T Handler<T>()
    {
        var services = new ServiceCollection()
            .AddSingleton(Endpoints.Object)
            .AddSingleton(Clients.Object)
            .AddSingleton(Organizations.Object)
            .AddSingleton(ApiKeys.Object)
            .AddSingleton(Idempotency.Object)
            .AddSingleton(UnitOfWork.Object)
            .AddSingleton(CurrentCaller.Object)
            .AddSingleton(Clock.Object)
            .AddSingleton(Ids.Object)
            .AddSingleton(Hasher.Object)
            .AddSingleton(Cursors.Object)
            .AddSingleton(Events.Object)
            .AddSingleton(Deliveries.Object)
            .AddSingleton(History.Object)
            .AddSingleton(Signal.Object)
            .AddSingleton(PublishingMetrics.Object)
            .AddSingleton<ISecretProtector>(Protector)
            .AddSingleton(Catalog)
            .AddSingleton(TestData.Mapper)
            .AddSingleton<IdempotentResponses>()
            .AddSingleton<EventPublisher>();
        using var provider = services.BuildServiceProvider();
        return ActivatorUtilities.CreateInstance<T>(provider);
    }

    /// <summary>Makes the caller <paramref name="caller"/>.</summary>
    public void ActAs(Caller caller) => CurrentCaller.SetupGet(c => c.Caller).Returns(caller);

    /// <summary>Makes the endpoint repository hold <paramref name="endpoint"/> for its own organization, to change and to read.</summary>
    public void Holds(WebhookEndpoint endpoint)
    {
        Endpoints.Setup(r => r.GetAsync(endpoint.Id, endpoint.OrgId, It.IsAny<CancellationToken>())).ReturnsAsync(endpoint);
        Endpoints.Setup(r => r.ReadAsync(endpoint.Id, endpoint.OrgId, It.IsAny<CancellationToken>())).ReturnsAsync(endpoint);
    }

    /// <summary>Makes the client repository hold <paramref name="client"/>.</summary>
    public void Holds(Client client) =>
        Clients.Setup(c => c.GetAsync(client.Id, It.IsAny<CancellationToken>())).ReturnsAsync(client);

    /// <summary>Makes the API key repository hold <paramref name="apiKey"/>.</summary>
    public void Holds(ApiKey apiKey) =>
        ApiKeys.Setup(k => k.GetAsync(apiKey.Id, It.IsAny<CancellationToken>())).ReturnsAsync(apiKey);

    /// <summary>The handler saved exactly once, with the caller's token.</summary>
    public void VerifySavedOnce() => UnitOfWork.Verify(u => u.SaveChangesAsync(Token), Times.Once());

    /// <summary>The handler saved nothing.</summary>
    public void VerifyNotSaved() => UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never());
}
