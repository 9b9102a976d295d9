using System.Globalization;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Deliveries.Sending;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Api.Tests.Deliveries;

/// <summary>
/// What a receiver gets, and what each kind of answer does to the delivery (contract, "The request a
/// receiver gets", "Outcomes and retries"), through the real service and a real HTTPS receiver.
/// </summary>
[TestFixture]
public sealed class DeliveryOutcomeTests : DeliveryFixture
{
    // Spacing, a big number, an escaped and a non-ASCII character: data must arrive byte for byte as published.
    private const string Data = "{ \"wallet_id\" : \"w_1\",\n  \"balance\": 1.50, \"limit\": 2432232314123456789, \"note\": \"Zo\\u00eb \u20ac\" }";

    private static readonly string LongBody = new('a', AttemptResult.MaxResponseBodyBytes + 904);

    private const string RebindingHost = "rebinding.example";

    private static readonly IPAddress RefusedAddress = IPAddress.Parse("10.9.8.7");

    [Test]
    public async Task Deliver_WhenTheReceiverAnswers200_SendsTheSignedEnvelopeOnceAndRecordsOneAttempt()
    {
        var (org, api) = await OrganizationAsync();
        var url = Route((_, _) => ReceiverResponse.Text(200, LongBody));
        var (endpointId, secret) = await CreateEndpointAsync(api, url);

        var eventId = await PublishAsync(org, Data);
        var delivery = await EndedAsync(eventId);

        var received = ReceivedAt(url).Single();
        var evt = await StoredEventAsync(eventId);
        var expectedBody = "{\"id\":\"" + eventId.ToString("D") + "\",\"type\":\"" + EventType + "\",\"api_version\":\"2026-04-01\",\"created_at\":\""
            + evt.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "\",\"data\":" + Data + "}";
        var timestamp = long.Parse(received.Header("webhook-timestamp")!, NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(received.Method, Is.EqualTo("POST"));
            Assert.That(received.Header("Content-Type"), Is.EqualTo("application/json"));
            Assert.That(received.Header("User-Agent"), Is.EqualTo(HttpWebhookSender.UserAgent));
            Assert.That(received.Header("webhook-id"), Is.EqualTo(eventId.ToString("D")));
            Assert.That(DateTimeOffset.FromUnixTimeSeconds(timestamp), Is.EqualTo(received.ReceivedAt).Within(TimeSpan.FromSeconds(5)));
            Assert.That(Encoding.UTF8.GetString(received.Body), Is.EqualTo(expectedBody));
            Assert.That(received.Header("webhook-signature"), Is.EqualTo(WebhookSignature.Sign(secret, eventId.ToString("D"), timestamp, received.Body)));

            Assert.That(delivery.EndpointId, Is.EqualTo(endpointId));
            Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Succeeded));
            Assert.That(delivery.AttemptCount, Is.EqualTo(1));
            Assert.That(delivery.NextAttemptAt, Is.Null);
            Assert.That(delivery.LastResponseStatus, Is.EqualTo(200));
            var attempt = delivery.Attempts.Single();
            Assert.That(attempt.Number, Is.EqualTo(1));
            Assert.That(attempt.Trigger, Is.EqualTo(AttemptTrigger.Scheduled));
            Assert.That(attempt.ResponseStatus, Is.EqualTo(200));
            Assert.That(attempt.Error, Is.Null);
            Assert.That(attempt.DurationMs, Is.GreaterThanOrEqualTo(0));
            Assert.That(attempt.StartedAt, Is.LessThanOrEqualTo(received.ReceivedAt));
            Assert.That(attempt.ResponseBody, Is.EqualTo(LongBody[..AttemptResult.MaxResponseBodyBytes]), "the first 4 KiB of the response");
        });
        CapturedDeliveries.Write("endpoint", secret, received);
    }

    /// <summary>How the receiver answers attempt n, and what the delivery's attempts must show.</summary>
    public sealed record Outcome(string Name, Func<int, ReceiverResponse> Answer, DeliveryStatus Status, int?[] Statuses, string?[] Errors)
    {
        public override string ToString() => Name;
    }

    private static readonly string TimedOut = SendErrors.TimedOut(TimeSpan.FromSeconds(TimeoutSeconds));

    public static IEnumerable<Outcome> Outcomes() =>
    [
        new("500 then 200: succeeded on the second attempt", n => new ReceiverResponse(n == 1 ? 500 : 200), DeliveryStatus.Succeeded, [500, 200], [null, null]),
        new("always 500: failed after the schedule's attempts", _ => new ReceiverResponse(500), DeliveryStatus.Failed, [500, 500, 500], [null, null, null]),
        new("302: a failure with its status, the Location not followed", _ => new ReceiverResponse(302) { Headers = new Dictionary<string, string> { ["Location"] = "/elsewhere" } },
            DeliveryStatus.Failed, [302, 302, 302], [null, null, null]),
        new("too slow, then 200: the time-out recorded, then succeeded", n => n == 1 ? new ReceiverResponse(200) { Delay = TimeSpan.FromSeconds(TimeoutSeconds + 3) } : ReceiverResponse.Ok,
            DeliveryStatus.Succeeded, [null, 200], [TimedOut, null]),
    ];

    [TestCaseSource(nameof(Outcomes))]
    public async Task Deliver_WhenTheReceiverAnswersSo_EndsAsTheContractSays(Outcome outcome)
    {
        var (org, api) = await OrganizationAsync();
        var url = Route((_, n) => outcome.Answer(n));
        await CreateEndpointAsync(api, url);

        var eventId = await PublishAsync(org, "{\"n\":1}");
        var delivery = await EndedAsync(eventId);

        var received = ReceivedAt(url);
        Assert.Multiple(() =>
        {
            Assert.That(delivery.Status, Is.EqualTo(outcome.Status));
            Assert.That(delivery.AttemptCount, Is.EqualTo(outcome.Statuses.Length));
            Assert.That(delivery.Attempts.Select(a => a.ResponseStatus), Is.EqualTo(outcome.Statuses));
            Assert.That(delivery.Attempts.Select(a => a.Error), Is.EqualTo(outcome.Errors));
            Assert.That(delivery.Attempts.Select(a => a.Number), Is.EqualTo(Enumerable.Range(1, outcome.Statuses.Length)));
            Assert.That(received, Has.Count.EqualTo(outcome.Statuses.Length), "one request per attempt, none to a Location");
            Assert.That(Receiver.Requests.Where(r => r.PathAndQuery == "/elsewhere"), Is.Empty, "redirects are not followed");
            Assert.That(received.Select(r => r.Header("webhook-id")).Distinct(), Is.EqualTo(new[] { eventId.ToString("D") }), "the same webhook-id on every attempt");
            Assert.That(received.Select(r => Convert.ToBase64String(r.Body)).Distinct().Count(), Is.EqualTo(1), "the same body bytes on every attempt");
        });
    }

    [Test]
    public async Task Deliver_WhenTheEndpointAnswers410_FailsDeactivatesTheEndpointAndCancelsItsOtherPendingDeliveries()
    {
        var (org, api) = await OrganizationAsync();
        var url = Route((request, _) => new ReceiverResponse(Encoding.UTF8.GetString(request.Body).Contains("\"gone\"", StringComparison.Ordinal) ? 410 : 500));
        var (endpointId, _) = await CreateEndpointAsync(api, url);

        var pendingId = await PublishAsync(org, "{\"answer\":\"retry\"}");
        await DeliveryWhenAsync(pendingId, d => d.AttemptCount >= 1, "the first delivery's first attempt");
        var goneId = await PublishAsync(org, "{\"answer\":\"gone\"}");
        var gone = await EndedAsync(goneId);
        var canceled = await DeliveryWhenAsync(
            pendingId, d => d.Status == DeliveryStatus.Canceled && gone.AttemptCount + d.AttemptCount == ReceivedAt(url).Count, "canceled, with every request recorded");

        using var response = await api.GetAsync($"/v1/webhooks/{endpointId}");
        var endpoint = await ApiAssert.JsonSuccess(response);
        using var historyResponse = await api.GetAsync($"/v1/webhooks/{endpointId}/history?limit=1");
        var deactivated = (await ApiAssert.JsonSuccess(historyResponse)).GetProperty("data")[0];
        Assert.Multiple(() =>
        {
            Assert.That(
                JsonNode.DeepEquals(
                    JsonNode.Parse(deactivated.GetRawText()),
                    new JsonObject
                    {
                        ["at"] = endpoint.GetProperty("updated_at").GetString(),
                        ["actor"] = new JsonObject { ["type"] = "system", ["reason"] = WebhookEndpoint.ReceiverGoneReason },
                        ["action"] = "deactivated",
                        ["changes"] = new JsonObject { ["active"] = new JsonObject { ["from"] = true, ["to"] = false } },
                    }),
                Is.True,
                "the history's newest entry: " + deactivated.GetRawText());
            Assert.That(gone.Status, Is.EqualTo(DeliveryStatus.Failed));
            Assert.That(gone.AttemptCount, Is.EqualTo(1));
            Assert.That(gone.Attempts.Single().ResponseStatus, Is.EqualTo(410));
            Assert.That(endpoint.GetProperty("active").GetBoolean(), Is.False);
            Assert.That(canceled.NextAttemptAt, Is.Null);
        });
    }

    [Test]
    public async Task Deliver_WhenTheReceiverAnswers429WithRetryAfter_WaitsAtLeastThatLongFromTheAttemptsEnd()
    {
        var (org, api) = await OrganizationAsync();
        var url = Route((_, n) => n == 1 ? new ReceiverResponse(429) { Headers = new Dictionary<string, string> { ["Retry-After"] = "2" } } : ReceiverResponse.Ok);
        await CreateEndpointAsync(api, url);

        var eventId = await PublishAsync(org, "{\"n\":1}");
        var delivery = await EndedAsync(eventId);

        var (first, second) = (delivery.Attempts[0], delivery.Attempts[1]);
        var firstEnd = first.StartedAt + TimeSpan.FromMilliseconds(first.DurationMs);
        Assert.Multiple(() =>
        {
            Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Succeeded));
            Assert.That(delivery.Attempts.Select(a => a.ResponseStatus), Is.EqualTo(new int?[] { 429, 200 }));
            Assert.That(RetryScheduleSeconds[0], Is.LessThan(2), "without Retry-After the wait would be shorter");

            // The duration is kept in whole milliseconds: half a millisecond of rounding either way.
            Assert.That(second.StartedAt - firstEnd, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(1)));
        });
    }

    [Test]
    public async Task Deliver_WhenNothingListensOnThePort_RecordsTheConnectionErrorAndRetries()
    {
        var (org, api) = await OrganizationAsync();
        await CreateEndpointAsync(api, $"https://127.0.0.1:{ClosedPort()}/hooks");

        var eventId = await PublishAsync(org, "{\"n\":1}");
        var delivery = await EndedAsync(eventId);

        Assert.Multiple(() =>
        {
            Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Failed));
            Assert.That(delivery.AttemptCount, Is.EqualTo(RetryScheduleSeconds.Length + 1));
            Assert.That(delivery.Attempts.Select(a => a.ResponseStatus), Is.All.Null);
            Assert.That(delivery.Attempts.Select(a => a.Error), Is.All.StartsWith(SendErrors.ConnectionFailedMessage + ": "));
        });
    }

    [Test]
    public async Task Deliver_WhenTheHostNameResolvesToARefusedAddress_ConnectsNowhereAndRecordsWhy()
    {
        var (org, api) = await OrganizationAsync();
        var url = Receiver.Url(RebindingHost, "/hooks/rebinding").ToString();
        await CreateEndpointAsync(api, url);

        var eventId = await PublishAsync(org, "{\"n\":1}");
        var delivery = await EndedAsync(eventId);

        Assert.Multiple(() =>
        {
            Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Failed));
            Assert.That(delivery.AttemptCount, Is.EqualTo(RetryScheduleSeconds.Length + 1));
            Assert.That(delivery.Attempts.Select(a => a.Error), Is.All.StartWith($"{SendErrors.RefusedAddressMessage}: {RebindingHost} resolves to {RefusedAddress}"));
            Assert.That(ReceivedAt(url), Is.Empty, "no connection was made");
        });
    }

    /// <summary>The system's resolver, except that <see cref="RebindingHost"/> resolves to a private address.</summary>
    protected override Action<IServiceCollection> TestServices => services => services.AddSingleton<IHostResolver>(new RebindingResolver());

    private sealed class RebindingResolver : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            host == RebindingHost ? Task.FromResult(new[] { RefusedAddress }) : new SystemHostResolver().ResolveAsync(host, cancellationToken);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<Event> StoredEventAsync(Guid eventId)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Set<Event>().Single(e => e.Id == eventId);
    }
}
