using Webhooks.Domain.Deliveries;

namespace Webhooks.Api.Tests.Events;

/// <summary>
/// Base of the publishing fixtures: one <see cref="ApiFactory"/> (a real SQLite file, no delivery
/// worker, so deliveries stay pending) per fixture; each test makes the organizations it counts in.
/// Helpers publish, check a published event's body exactly, and read the stored events and
/// deliveries past the API.
/// </summary>
public abstract class EventsFixture : ApiFixture
{
    public const string BalanceLow = "wallet.balance_low";
    public const string BalanceZero = "wallet.balance_zero";

    public static readonly string[] EventKeys = ["id", "type", "data", "created_at", "deliveries"];

    /// <summary>An organization with one key that manages endpoints, reads and publishes (to clients too); and a client using it.</summary>
    protected async Task<(TestOrganization Org, HttpClient Client)> NewPublisherAsync()
    {
        var org = await Factory.CreateOrganizationAsync("webhooks:read", "webhooks:write", "events:write", "clients:events:write");
        return (org, Factory.CreateClient(org.Key));
    }

    /// <summary>Creates an endpoint subscribed to <paramref name="events"/>; returns its id.</summary>
    protected static async Task<Guid> CreateEndpointAsync(HttpClient client, params string[] events)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object> { ["url"] = "https://hooks.example.com/events", ["events"] = events });
        var created = await WebhookResource.CreateAsync(client, body);
        return Guid.Parse(created.GetProperty("id").GetString()!);
    }

    protected static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string json, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json.Body(json) };
        if (idempotencyKey is not null)
        {
            Assert.That(request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey), Is.True);
        }

        return client.SendAsync(request);
    }

    /// <summary>
    /// A published (202, with <c>Location</c>) or read (200) event: exactly the event's keys, a new
    /// version-7 id, this type, <paramref name="data"/> as a JSON object equal to what was sent, a
    /// timestamp, this delivery count. Returns the body text and the id.
    /// </summary>
    protected static async Task<(string Text, Guid Id)> AssertEventAsync(
        HttpResponseMessage response, string type, string data, int deliveries, HttpStatusCode status = HttpStatusCode.Accepted, string? locationPrefix = "/v1/events/")
    {
        var body = await ApiAssert.JsonSuccess(response, status);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(body.EnumerateObject().Select(p => p.Name), Is.EqualTo(EventKeys), text);
        var id = WebhookResource.AssertUuidV7(body.GetProperty("id").GetString());
        using var expected = JsonDocument.Parse(data);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo(type), text);
            Assert.That(body.GetProperty("data").ValueKind, Is.EqualTo(JsonValueKind.Object), text);
            Assert.That(JsonElement.DeepEquals(body.GetProperty("data"), expected.RootElement), Is.True, text);
            WebhookResource.AssertTimestamp(body.GetProperty("created_at").GetString());
            Assert.That(body.GetProperty("deliveries").ValueKind, Is.EqualTo(JsonValueKind.Number), text);
            Assert.That(body.GetProperty("deliveries").GetInt32(), Is.EqualTo(deliveries), text);
        }

        if (status == HttpStatusCode.Accepted)
        {
            Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo(locationPrefix + id), text);
        }
        else
        {
            Assert.That(response.Headers.Location, Is.Null, text);
        }

        return (text, id);
    }

    /// <summary>The stored event with this id (<c>null</c> when none), read through the service's context.</summary>
    protected async Task<Event?> StoredEventAsync(Guid id) =>
        (await StoredData.AllAsync<Event>(Factory.Services)).SingleOrDefault(e => e.Id == id);

    /// <summary>The stored deliveries of this event.</summary>
    protected async Task<List<Delivery>> StoredDeliveriesAsync(Guid eventId) =>
        (await StoredData.AllAsync<Delivery>(Factory.Services)).Where(d => d.EventId == eventId).ToList();

    protected Task<int> EventCountAsync() => StoredData.CountAsync<Event>(Factory.Services);

    protected Task<int> DeliveryCountAsync() => StoredData.CountAsync<Delivery>(Factory.Services);
}
