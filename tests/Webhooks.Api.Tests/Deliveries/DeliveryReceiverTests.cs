using System.Globalization;
using Webhooks.Api.Tests.Clients;
using Webhooks.Application.Webhooks.SendTestEvent;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Api.Tests.Deliveries;

/// <summary>
/// Receivers as they change while deliveries are pending (contract: "Each attempt reads the endpoint
/// (or client) as it is then"), client deliveries, and a slow receiver beside a fast one.
/// </summary>
[TestFixture]
public sealed class DeliveryReceiverTests : DeliveryFixture
{
    private const string ClientEventType = "device.online";

    public static IEnumerable<TestCaseData> EndpointStops() =>
    [
        new TestCaseData((Func<HttpClient, Guid, Task<HttpResponseMessage>>)((api, id) => api.PatchAsync($"/v1/webhooks/{id}", "{\"active\":false}")))
            .SetArgDisplayNames("deactivated"),
        new TestCaseData((Func<HttpClient, Guid, Task<HttpResponseMessage>>)((api, id) => api.DeleteAsync($"/v1/webhooks/{id}")))
            .SetArgDisplayNames("deleted"),
    ];

    [TestCaseSource(nameof(EndpointStops))]
    public async Task Deliver_WhenTheEndpointStopsWhilePending_CancelsAndSendsNothingMore(Func<HttpClient, Guid, Task<HttpResponseMessage>> stop)
    {
        var (org, api) = await OrganizationAsync();
        var url = Route((_, _) => new ReceiverResponse(500));
        var (endpointId, _) = await CreateEndpointAsync(api, url);
        var eventId = await PublishAsync(org, "{\"n\":1}");
        await DeliveryWhenAsync(eventId, d => d.AttemptCount >= 1, "the first attempt");

        using var response = await stop(api, endpointId);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());

        var delivery = await CanceledWithEveryRequestRecordedAsync(eventId, url);
        Assert.That(delivery.AttemptCount, Is.LessThan(RetryScheduleSeconds.Length + 1), "canceled before its last attempt");
    }

    [Test]
    public async Task Deliver_WhenTheUrlChangesWhilePending_TheNextAttemptGoesToTheNewUrl()
    {
        var (org, api) = await OrganizationAsync();
        var oldUrl = Route((_, _) => new ReceiverResponse(500));
        var newUrl = Route();
        var (endpointId, _) = await CreateEndpointAsync(api, oldUrl);
        var eventId = await PublishAsync(org, "{\"n\":1}");
        await DeliveryWhenAsync(eventId, d => d.AttemptCount >= 1, "the first attempt");

        using var response = await api.PatchAsync($"/v1/webhooks/{endpointId}", $"{{\"url\":\"{newUrl}\"}}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var delivery = await EndedAsync(eventId);

        var moved = ReceivedAt(newUrl);
        Assert.Multiple(() =>
        {
            Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Succeeded));
            Assert.That(moved, Has.Count.EqualTo(1));
            Assert.That(moved[0].Header("webhook-id"), Is.EqualTo(eventId.ToString("D")));
            Assert.That(ReceivedAt(oldUrl), Has.Count.EqualTo(delivery.AttemptCount - 1), "every earlier attempt went to the old URL");
        });
    }

    [Test]
    public async Task Deliver_ATestEvent_ReachesTheEndpointThoughItDoesNotSubscribeToTheType()
    {
        var (_, api) = await OrganizationAsync();
        var url = Route();
        var (endpointId, secret) = await CreateEndpointAsync(api, url);

        using var response = await api.PostAsync($"/v1/webhooks/{endpointId}/test", content: null);
        var sent = await ApiAssert.JsonSuccess(response, HttpStatusCode.Accepted);
        var eventId = Guid.Parse(sent.GetProperty("event_id").GetString()!);
        var delivery = await EndedAsync(eventId);

        var received = ReceivedAt(url).Single();
        var timestamp = long.Parse(received.Header("webhook-timestamp")!, NumberStyles.None, CultureInfo.InvariantCulture);
        using var body = JsonDocument.Parse(received.Body);
        Assert.Multiple(() =>
        {
            Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Succeeded));
            Assert.That(delivery.Id.ToString(), Is.EqualTo(sent.GetProperty("id").GetString()));
            Assert.That(body.RootElement.GetProperty("id").GetString(), Is.EqualTo(eventId.ToString()));
            Assert.That(body.RootElement.GetProperty("type").GetString(), Is.EqualTo(SendTestEventCommand.EventType));
            Assert.That(body.RootElement.GetProperty("data").GetProperty("message").GetString(), Is.EqualTo(SendTestEventCommand.Message));
            Assert.That(body.RootElement.GetProperty("data").GetProperty("endpoint_id").GetString(), Is.EqualTo(endpointId.ToString()));
            Assert.That(received.Header("webhook-signature"), Is.EqualTo(WebhookSignature.Sign(secret, eventId.ToString("D"), timestamp, received.Body)));
        });
    }

    public static IEnumerable<TestCaseData> Rotations() =>
    [
        new TestCaseData("""{"grace_seconds":3600}""", true).SetArgDisplayNames("with grace"),
        new TestCaseData("""{"grace_seconds":0}""", false).SetArgDisplayNames("without grace"),
    ];

    [TestCaseSource(nameof(Rotations))]
    public async Task Deliver_AfterTheEndpointRotatedItsSecret_SignsWithTheNewSecretAndDuringTheGraceTheOldOneToo(string body, bool oldSecretSigns)
    {
        var (org, api) = await OrganizationAsync();
        var url = Route();
        var (endpointId, oldSecret) = await CreateEndpointAsync(api, url);
        using var rotated = await api.PostAsync($"/v1/webhooks/{endpointId}/secret/rotate", Json.Body(body));
        var newSecret = (await ApiAssert.JsonSuccess(rotated)).GetProperty("secret").GetString()!;

        var eventId = await PublishAsync(org, "{\"n\":3}");
        await EndedAsync(eventId);

        var received = ReceivedAt(url).Single();
        var timestamp = long.Parse(received.Header("webhook-timestamp")!, NumberStyles.None, CultureInfo.InvariantCulture);
        string[] signers = oldSecretSigns ? [newSecret, oldSecret] : [newSecret];
        Assert.That(received.Header("webhook-signature"), Is.EqualTo(WebhookSignature.Sign(signers, eventId.ToString("D"), timestamp, received.Body)));
        if (oldSecretSigns)
        {
            CapturedDeliveries.Write("endpoint-rotated-new-secret", newSecret, received);
            CapturedDeliveries.Write("endpoint-rotated-old-secret", oldSecret, received);
        }
    }

    [Test]
    public async Task Deliver_ToAClient_SendsTheClientEnvelopeSignedWithTheClientsSecret()
    {
        var client = await ClientsApi.CreateClientAsync(Factory, "cust-delivery");
        var url = Route();
        await SetClientUrlAsync(client, url);

        var eventId = await PublishToClientAsync(client.ClientId, ClientEventType, "{\"device\": \"d-1\"}");
        var delivery = await EndedAsync(eventId);

        var received = ReceivedAt(url).Single();
        var timestamp = long.Parse(received.Header("webhook-timestamp")!, NumberStyles.None, CultureInfo.InvariantCulture);
        using var body = JsonDocument.Parse(received.Body);
        Assert.Multiple(() =>
        {
            Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Succeeded));
            Assert.That(delivery.ClientId, Is.EqualTo(client.ClientId));
            Assert.That(body.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "id", "type", "created_at", "data" }));
            Assert.That(body.RootElement.GetProperty("id").GetString(), Is.EqualTo(eventId.ToString("D")));
            Assert.That(body.RootElement.GetProperty("type").GetString(), Is.EqualTo(ClientEventType));
            Assert.That(Encoding.UTF8.GetString(received.Body), Does.EndWith(",\"data\":{\"device\": \"d-1\"}}"));
            Assert.That(received.Header("webhook-id"), Is.EqualTo(eventId.ToString("D")));
            Assert.That(received.Header("webhook-signature"), Is.EqualTo(WebhookSignature.Sign(client.WebhookSecret, eventId.ToString("D"), timestamp, received.Body)));
        });
        CapturedDeliveries.Write("client", client.WebhookSecret, received);
    }

    [Test]
    public async Task Deliver_ToAClientAfterItRotatedItsSecret_SignsWithTheNewSecretOnly()
    {
        var client = await ClientsApi.CreateClientAsync(Factory, "cust-rotates");
        var url = Route();
        await SetClientUrlAsync(client, url);
        using var http = ClientsApi.CreateHttpClient(Factory);
        using var rotated = await ClientsApi.SendAsync(http, HttpMethod.Post, client.Authorization, path: "/clients/webhook-secret/rotate");
        var newSecret = (await ApiAssert.JsonSuccess(rotated)).GetProperty("webhook_secret").GetString()!;

        var eventId = await PublishToClientAsync(client.ClientId, ClientEventType, "{\"n\":2}");
        await EndedAsync(eventId);

        var received = ReceivedAt(url).Single();
        var timestamp = long.Parse(received.Header("webhook-timestamp")!, NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(received.Header("webhook-signature"), Is.EqualTo(WebhookSignature.Sign(newSecret, eventId.ToString("D"), timestamp, received.Body)));
            Assert.That(received.Header("webhook-signature"), Is.Not.EqualTo(WebhookSignature.Sign(client.WebhookSecret, eventId.ToString("D"), timestamp, received.Body)), "the old secret signs nothing more");
        });
    }

    public static IEnumerable<TestCaseData> ClientStops() =>
    [
        new TestCaseData((Func<DeliveryReceiverTests, IssuedClient, Task>)((fixture, client) => ClientsApi.SuspendAsync(fixture.Factory, client.ClientId)))
            .SetArgDisplayNames("suspended"),
        new TestCaseData((Func<DeliveryReceiverTests, IssuedClient, Task>)((fixture, client) => fixture.SetClientUrlAsync(client, string.Empty)))
            .SetArgDisplayNames("URL cleared"),
    ];

    [TestCaseSource(nameof(ClientStops))]
    public async Task Deliver_WhenTheClientStopsWhilePending_CancelsAndSendsNothingMore(Func<DeliveryReceiverTests, IssuedClient, Task> stop)
    {
        var client = await ClientsApi.CreateClientAsync(Factory, "cust-stops");
        var url = Route((_, _) => new ReceiverResponse(503));
        await SetClientUrlAsync(client, url);
        var eventId = await PublishToClientAsync(client.ClientId, ClientEventType, "{\"n\":1}");
        await DeliveryWhenAsync(eventId, d => d.AttemptCount >= 1, "the first attempt");

        await stop(this, client);

        await CanceledWithEveryRequestRecordedAsync(eventId, url);
    }

    [Test]
    public async Task Deliver_WhenOneReceiverIsSlow_TheOthersDeliveriesFinishFirstAndTheSlowOneGetsAtMostItsLimitAtOnce()
    {
        var (slowOrg, slowApi) = await OrganizationAsync();
        var (fastOrg, fastApi) = await OrganizationAsync();
        await CreateEndpointAsync(slowApi, Route((_, _) => new ReceiverResponse(200) { Delay = TimeSpan.FromSeconds(1) }));
        await CreateEndpointAsync(fastApi, Route());

        var slowIds = new List<Guid>();
        for (var i = 0; i < 3 * MaxPerEndpoint; i++)
        {
            slowIds.Add(await PublishAsync(slowOrg, $"{{\"slow\":{i}}}"));
        }

        var fastIds = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            fastIds.Add(await PublishAsync(fastOrg, $"{{\"fast\":{i}}}"));
        }

        var slow = new List<DeliveryAttempt>();
        foreach (var id in slowIds)
        {
            slow.Add((await EndedAsync(id)).Attempts.Single());
        }

        var fast = new List<DeliveryAttempt>();
        foreach (var id in fastIds)
        {
            fast.Add((await EndedAsync(id)).Attempts.Single());
        }

        static DateTimeOffset End(DeliveryAttempt a) => a.StartedAt.AddMilliseconds(a.DurationMs);
        var lastFast = fast.Max(End);
        Assert.Multiple(() =>
        {
            Assert.That(slow.Concat(fast).Select(a => a.ResponseStatus), Is.All.EqualTo(200));
            Assert.That(slow.Count(a => End(a) <= lastFast), Is.LessThanOrEqualTo(MaxPerEndpoint), "the fast receiver's deliveries are not queued behind the slow one's");
            Assert.That(slow.Max(a => slow.Count(b => b.StartedAt <= a.StartedAt && End(b) > a.StartedAt)), Is.LessThanOrEqualTo(MaxPerEndpoint), "at most Delivery:MaxPerEndpoint attempts at once to one receiver");
        });
    }

    private async Task SetClientUrlAsync(IssuedClient client, string url)
    {
        using var http = ClientsApi.CreateHttpClient(Factory);
        using var response = await ClientsApi.PatchAsync(http, client, ClientsApi.UrlBody(url));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
