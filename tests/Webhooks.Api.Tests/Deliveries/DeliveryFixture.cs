using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Domain.Deliveries;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Api.Tests.Deliveries;

/// <summary>
/// The real service with its delivery worker on, delivering to a real HTTPS receiver (Kestrel on
/// 127.0.0.1, a certificate from a CA made for the run, trusted through
/// <c>Delivery:TrustedCertificatesPath</c>; loopback allowed through <c>Webhooks:AllowedPrivateNetworks</c>),
/// on a short retry schedule without jitter. Each test routes its own paths of the one receiver
/// (<see cref="Route"/>) and works in an organization of its own, so that fan-out stays within the test;
/// events are published through the API (<c>POST /v1/events</c>, <c>POST /v1/clients/{client_id}/events</c>).
/// Outcomes are awaited by polling the database with a bounded time-out, never by timing.
/// </summary>
public abstract class DeliveryFixture : ApiFixture
{
    /// <summary><c>Delivery:RetryScheduleSeconds</c>: three attempts in all. The longest wait (2 s) caps a <c>Retry-After</c>.</summary>
    protected static readonly int[] RetryScheduleSeconds = [1, 2];

    protected const int TimeoutSeconds = 2;

    /// <summary><c>Delivery:MaxPerEndpoint</c>, below <see cref="MaxConcurrency"/>: a slow receiver leaves a slot for the others.</summary>
    protected const int MaxPerEndpoint = 2;

    protected const int MaxConcurrency = 3;

    protected const string EventType = "wallet.balance_low";

    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Func<ReceivedRequest, int, ReceiverResponse>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly TestCertificateAuthority _authority = new();
    private readonly string _trustedPemPath = Path.Combine(Path.GetTempPath(), $"webhooks-delivery-ca-{Guid.NewGuid():N}.pem");

    protected HttpsReceiver Receiver { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartTheReceiver()
    {
        Receiver = await HttpsReceiver.StartAsync(_authority.IssueServerCertificate(["127.0.0.1"]));
        Receiver.Respond = Answer;
    }

    [OneTimeTearDown]
    public async Task StopTheReceiver()
    {
        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
        }

        _authority.Dispose();
        File.Delete(_trustedPemPath);
    }

    /// <summary>The service's settings for delivery tests; a fixture adds its own through <see cref="MoreSettings"/>.</summary>
    protected sealed override ApiFactory CreateFactory()
    {
        File.WriteAllText(_trustedPemPath, _authority.Pem);
        var settings = new Dictionary<string, string?>
        {
            ["Delivery:Worker:Enabled"] = "true",
            ["Delivery:TimeoutSeconds"] = TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Delivery:LeaseSeconds"] = (TimeoutSeconds + 5).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Delivery:JitterPercent"] = "0",
            ["Delivery:MaxConcurrency"] = MaxConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Delivery:MaxPerEndpoint"] = MaxPerEndpoint.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Delivery:PollIntervalMilliseconds"] = "100",
            ["Delivery:TrustedCertificatesPath"] = _trustedPemPath,
            ["Webhooks:AllowedPrivateNetworks:0"] = "127.0.0.0/8",
        };
        for (var i = 0; i < RetryScheduleSeconds.Length; i++)
        {
            settings[$"Delivery:RetryScheduleSeconds:{i}"] = RetryScheduleSeconds[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in MoreSettings())
        {
            settings[key] = value;
        }

        return new ApiFactory(settings) { TestServices = TestServices };
    }

    /// <summary>Settings a fixture adds or replaces.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> MoreSettings() => [];

    /// <summary>Services a fixture replaces (e.g. a second envelope writer).</summary>
    protected virtual Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? TestServices => null;

    /// <summary>
    /// A new path of the receiver, answered by <paramref name="answer"/> (given the request and its
    /// number on this path, from 1); <c>200</c> when none is given. Returns its URL.
    /// </summary>
    protected string Route(Func<ReceivedRequest, int, ReceiverResponse>? answer = null)
    {
        var path = $"/hooks/{Guid.NewGuid():N}";
        _routes[path] = answer ?? ((_, _) => ReceiverResponse.Ok);
        return Receiver.Url(path).ToString();
    }

    /// <summary>The requests the receiver got on <paramref name="url"/>'s path, in order.</summary>
    protected IReadOnlyList<ReceivedRequest> ReceivedAt(string url)
    {
        var path = new Uri(url).PathAndQuery;
        return [.. Receiver.Requests.Where(r => r.PathAndQuery == path).OrderBy(r => r.ReceivedAt)];
    }

    /// <summary>A new organization with a key for webhooks and events, and a client of the API with it.</summary>
    protected async Task<(TestOrganization Org, HttpClient Api)> OrganizationAsync()
    {
        var org = await Factory.CreateOrganizationAsync("webhooks:read", "webhooks:write", "events:write");
        return (org, Factory.CreateClient(org.Key));
    }

    /// <summary>Creates an endpoint through <c>POST /v1/webhooks</c>; returns its id and signing secret.</summary>
    protected static async Task<(Guid Id, string Secret)> CreateEndpointAsync(HttpClient api, string url, string events = $"[\"{EventType}\"]", string? apiVersion = null)
    {
        var version = apiVersion is null ? string.Empty : $",\"api_version\":\"{apiVersion}\"";
        var created = await WebhookResource.CreateWithSecretAsync(api, $"{{\"url\":\"{url}\",\"events\":{events}{version}}}");
        return (Guid.Parse(created.Resource.GetProperty("id").GetString()!), created.Secret);
    }

    /// <summary>Publishes an organization's event through <c>POST /v1/events</c>, <paramref name="data"/> (JSON text) as it is; returns its id.</summary>
    protected async Task<Guid> PublishAsync(TestOrganization org, string data, string type = EventType)
    {
        using var api = Factory.CreateClient(org.Key);
        return await PublishAsync(api, "/v1/events", type, data);
    }

    /// <summary>Publishes a device-API client's event through <c>POST /v1/clients/{client_id}/events</c>; returns its id.</summary>
    protected async Task<Guid> PublishToClientAsync(Guid clientId, string type, string data)
    {
        var platform = await Factory.CreateOrganizationAsync("clients:events:write");
        using var api = Factory.CreateClient(platform.Key);
        return await PublishAsync(api, $"/v1/clients/{clientId:D}/events", type, data);
    }

    /// <summary>The deliveries of an event, with their attempts in order.</summary>
    protected async Task<List<Delivery>> DeliveriesAsync(Guid eventId)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Set<Delivery>().AsNoTracking()
            .Include(d => d.Attempts.OrderBy(a => a.Number))
            .Where(d => d.EventId == eventId)
            .ToListAsync();
    }

    /// <summary>The event's only delivery, once <paramref name="done"/> holds for it (polled; fails after a bounded wait).</summary>
    protected async Task<Delivery> DeliveryWhenAsync(Guid eventId, Func<Delivery, bool> done, string what) =>
        (await DeliveriesWhenAsync(eventId, deliveries => deliveries.Count == 1 && done(deliveries[0]), what)).Single();

    /// <summary>The event's deliveries, once <paramref name="done"/> holds for them (polled; fails after a bounded wait).</summary>
    protected async Task<List<Delivery>> DeliveriesWhenAsync(Guid eventId, Func<List<Delivery>, bool> done, string what)
    {
        var deadline = DateTimeOffset.UtcNow + WaitLimit;
        while (true)
        {
            var deliveries = await DeliveriesAsync(eventId);
            if (done(deliveries))
            {
                return deliveries;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"{what}: not within {WaitLimit.TotalSeconds} s; the deliveries are "
                    + string.Join(", ", deliveries.Select(d => $"{d.Status} after {d.AttemptCount} attempts")));
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The event's only delivery once it has ended.</summary>
    protected Task<Delivery> EndedAsync(Guid eventId) => DeliveryWhenAsync(eventId, d => d.HasEnded, "the delivery ends");

    /// <summary>
    /// Waits until the delivery is canceled and every request the receiver got is recorded as an
    /// attempt (an attempt in flight at the cancellation is still recorded): nothing was sent after.
    /// </summary>
    protected async Task<Delivery> CanceledWithEveryRequestRecordedAsync(Guid eventId, string url)
    {
        var delivery = await DeliveryWhenAsync(
            eventId, d => d.Status == DeliveryStatus.Canceled && d.AttemptCount == ReceivedAt(url).Count, "canceled, with every request recorded");
        Assert.That(delivery.NextAttemptAt, Is.Null);
        return delivery;
    }

    private static async Task<Guid> PublishAsync(HttpClient api, string path, string type, string data)
    {
        using var response = await api.PostJsonAsync(path, $"{{\"type\":\"{type}\",\"data\":{data}}}");
        var body = await ApiAssert.JsonSuccess(response, HttpStatusCode.Accepted);
        return Guid.Parse(body.GetProperty("id").GetString()!);
    }

    private ReceiverResponse Answer(ReceivedRequest request)
    {
        var path = request.PathAndQuery;
        var number = _counts.AddOrUpdate(path, 1, (_, count) => count + 1);
        return _routes.TryGetValue(path, out var answer) ? answer(request, number) : new ReceiverResponse(404);
    }
}
