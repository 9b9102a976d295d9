using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Webhooks.Api.Tests.Clients;
using Webhooks.Api.Tests.Events;
using Webhooks.Domain.Deliveries;
using Webhooks.Infrastructure.Metrics;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Api.Tests.Metrics;

/// <summary>
/// <c>GET /metrics</c> (contract, "Seeing and steering deliveries"; ADR 0013) without a delivery
/// worker, so that deliveries stay pending: the text format, the request metrics, events counted by
/// kind, and the backlog gauges, read from the database at most once per <see cref="DeliveryBacklog.CacheFor"/>
/// of the service's (controllable) clock.
/// </summary>
[TestFixture]
public sealed class MetricsEndpointTests : EventsFixture
{
    private const string Published = "webhooks_events_published_total";
    private const string Pending = "webhooks_deliveries_pending";
    private const string OldestPendingAge = "webhooks_deliveries_oldest_pending_age_seconds";

    private readonly ControllableTimeProvider _time = new();

    protected override ApiFactory CreateFactory() =>
        new() { TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time)) };

    [Test]
    public async Task Get_WithoutCredentials_ReturnsPrometheusTextWithEveryFamilyAndTheRequestMetrics()
    {
        using var anonymous = Factory.CreateClient(key: null);
        using (var live = await anonymous.GetAsync(new Uri("/healthz/live", UriKind.Relative)))
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var scrape = await PrometheusText.ScrapeAsync(anonymous);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(scrape.Types, Does.ContainKey(Pending).WithValue("gauge"));
            Assert.That(scrape.Types, Does.ContainKey(OldestPendingAge).WithValue("gauge"));
            Assert.That(scrape.Types, Does.ContainKey("http_server_request_duration_seconds").WithValue("histogram"));
            Assert.That(
                scrape.Value("http_server_request_duration_seconds_count", ("http_route", "/healthz/live"), ("http_response_status_code", "200")),
                Is.GreaterThanOrEqualTo(1));
        }
    }

    [Test]
    public async Task Get_AfterPublishing_CountsEachCommittedEventByKindAndAReplayNotAgain()
    {
        var (_, publisher) = await NewPublisherAsync();
        var device = await ClientsApi.CreateClientAsync(Factory, "cust-metrics");
        var before = await ScrapeAsync();

        await PublishAsync(publisher, "/v1/events", BalanceLow);
        await PublishAsync(publisher, "/v1/events", BalanceLow, idempotencyKey: "metrics-1");
        await PublishAsync(publisher, "/v1/events", BalanceLow, idempotencyKey: "metrics-1");
        await PublishAsync(publisher, $"/v1/clients/{device.ClientId}/events", "device.online");
        var after = await ScrapeAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(after.Types, Does.ContainKey(Published).WithValue("counter"));
            Assert.That(after.Value(Published, ("kind", "org")) - before.Value(Published, ("kind", "org")), Is.EqualTo(2));
            Assert.That(after.Value(Published, ("kind", "client")) - before.Value(Published, ("kind", "client")), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Get_WhenDeliveriesArePending_ShowsTheirCountAndHowLongTheMostOverdueHasWaited()
    {
        var (_, publisher) = await NewPublisherAsync();
        await CreateEndpointAsync(publisher, BalanceLow);
        await CreateEndpointAsync(publisher, BalanceLow);
        await PublishAsync(publisher, "/v1/events", BalanceLow);
        await PublishAsync(publisher, "/v1/events", BalanceLow);
        _time.Advance(TimeSpan.FromSeconds(90));

        var scrape = await ScrapeAsync();

        var (pending, earliestDue) = await PendingRowsAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(pending, Is.GreaterThanOrEqualTo(4), "two events, each to two endpoints");
            Assert.That(scrape.Value(Pending), Is.EqualTo(pending));
            Assert.That(scrape.Value(OldestPendingAge), Is.EqualTo((_time.GetUtcNow() - earliestDue).TotalSeconds));
            Assert.That(scrape.Value(OldestPendingAge), Is.GreaterThanOrEqualTo(90 + DeliveryBacklog.CacheFor.TotalSeconds));
        }
    }

    [Test]
    public async Task Get_WithinTheCacheTime_ShowsTheBacklogAsLastReadAndAfterItReadsAgain()
    {
        var (_, publisher) = await NewPublisherAsync();
        await CreateEndpointAsync(publisher, BalanceZero);
        var first = await ScrapeAsync();

        await PublishAsync(publisher, "/v1/events", BalanceZero);
        using var anonymous = Factory.CreateClient(key: null);
        var cached = await PrometheusText.ScrapeAsync(anonymous);
        _time.Advance(DeliveryBacklog.CacheFor);
        var fresh = await PrometheusText.ScrapeAsync(anonymous);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cached.Value(Pending), Is.EqualTo(first.Value(Pending)));
            Assert.That(fresh.Value(Pending), Is.EqualTo(first.Value(Pending) + 1));
            Assert.That(fresh.Value(Pending), Is.EqualTo((await PendingRowsAsync()).Count));
        }
    }

    /// <summary>A scrape whose backlog gauges are read now: the clock is moved past the cache time first.</summary>
    private async Task<PrometheusText> ScrapeAsync()
    {
        _time.Advance(DeliveryBacklog.CacheFor);
        using var anonymous = Factory.CreateClient(key: null);
        return await PrometheusText.ScrapeAsync(anonymous);
    }

    private static async Task PublishAsync(HttpClient publisher, string path, string type, string? idempotencyKey = null)
    {
        using var response = await PostAsync(publisher, path, $"{{\"type\":\"{type}\",\"data\":{{}}}}", idempotencyKey);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
    }

    /// <summary>The pending deliveries as stored: how many, and the earliest attempt time among them.</summary>
    private async Task<(int Count, DateTimeOffset EarliestDue)> PendingRowsAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var pending = await scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Set<Delivery>().AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Pending).ToListAsync();
        return (pending.Count, pending.Min(d => d.NextAttemptAt!.Value));
    }
}
