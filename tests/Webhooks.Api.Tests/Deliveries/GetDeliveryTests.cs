using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Api.Tests.Clients;
using Webhooks.Api.Tests.Events;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Api.Tests.Deliveries;

/// <summary>
/// <c>GET /v1/deliveries/{id}</c>: every field of a delivery and of its attempts (recorded through
/// the domain, as the worker records them), attempts in number order; another organization's, a
/// client's, an unknown and a malformed id are the same 404; <c>webhooks:read</c> only.
/// </summary>
[TestFixture]
public sealed class GetDeliveryTests : EventsFixture
{
    public static readonly string[] DeliveryKeys =
        ["id", "event_id", "event_type", "endpoint_id", "status", "attempt_count", "next_attempt_at", "last_attempt_at", "last_response_status", "created_at"];

    public static readonly string[] AttemptKeys = ["number", "trigger", "started_at", "duration_ms", "response_status", "response_body", "error"];

    [Test]
    public async Task Get_APendingDeliveryWithNoAttempt_ReturnsEveryFieldAndNoAttempts()
    {
        var (_, client) = await NewPublisherAsync();
        var endpoint = await CreateEndpointAsync(client, BalanceLow);
        var delivery = await PublishOneAsync(client);

        using var response = await client.GetAsync($"/v1/deliveries/{delivery.Id}");

        var body = await ApiAssert.JsonSuccess(response);
        Assert.That(body.EnumerateObject().Select(p => p.Name), Is.EqualTo(DeliveryKeys.Append("attempts")));
        AssertDelivery(body, delivery, endpoint);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("pending"));
            Assert.That(body.GetProperty("attempt_count").GetInt32(), Is.Zero);
            Assert.That(body.GetProperty("next_attempt_at").GetString(), Is.EqualTo(Text(delivery.CreatedAt)), "due at once");
            Assert.That(body.GetProperty("last_attempt_at").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(body.GetProperty("last_response_status").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(body.GetProperty("attempts").GetArrayLength(), Is.Zero);
        }
    }

    [Test]
    public async Task Get_ADeliveryWithAttempts_ReturnsEachAttemptInNumberOrderWithEveryField()
    {
        var (_, client) = await NewPublisherAsync();
        var endpoint = await CreateEndpointAsync(client, BalanceLow);
        var published = await PublishOneAsync(client);
        var started = published.CreatedAt.AddSeconds(1);
        var delivery = await RecordAttemptsAsync(
            published.Id,
            (new AttemptResult(500, TimeSpan.FromMilliseconds(1234), "{\"error\":\"down\"}", null), started),
            (AttemptResult.Failed("connection refused", TimeSpan.FromMilliseconds(20)), started.AddSeconds(10)),
            (new AttemptResult(204, TimeSpan.FromMilliseconds(87), "", null), started.AddSeconds(400)));

        using var response = await client.GetAsync($"/v1/deliveries/{delivery.Id}");

        var body = await ApiAssert.JsonSuccess(response);
        AssertDelivery(body, delivery, endpoint);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
            Assert.That(body.GetProperty("attempt_count").GetInt32(), Is.EqualTo(3));
            Assert.That(body.GetProperty("next_attempt_at").ValueKind, Is.EqualTo(JsonValueKind.Null), "ended");
            Assert.That(body.GetProperty("last_attempt_at").GetString(), Is.EqualTo(Text(started.AddSeconds(400))));
            Assert.That(body.GetProperty("last_response_status").GetInt32(), Is.EqualTo(204));
        }

        var attempts = body.GetProperty("attempts").EnumerateArray().ToList();
        Assert.That(attempts, Has.Count.EqualTo(3));
        AssertAttempt(attempts[0], 1, started, 1234, 500, "{\"error\":\"down\"}", null);
        AssertAttempt(attempts[1], 2, started.AddSeconds(10), 20, null, null, "connection refused");
        AssertAttempt(attempts[2], 3, started.AddSeconds(400), 87, 204, "", null);
    }

    [Test]
    public async Task Get_APendingDeliveryAfterAFailure_ShowsWhenItIsNextDue()
    {
        var (_, client) = await NewPublisherAsync();
        await CreateEndpointAsync(client, BalanceLow);
        var published = await PublishOneAsync(client);
        var delivery = await RecordAttemptsAsync(published.Id, (new AttemptResult(503, TimeSpan.FromSeconds(2), null, null), published.CreatedAt));

        using var response = await client.GetAsync($"/v1/deliveries/{delivery.Id}");

        var body = await ApiAssert.JsonSuccess(response);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("pending"));
            Assert.That(body.GetProperty("next_attempt_at").GetString(), Is.EqualTo(Text(delivery.NextAttemptAt!.Value)));
            Assert.That(delivery.NextAttemptAt, Is.GreaterThan(published.CreatedAt.AddSeconds(2)), "after the schedule's first wait");
            Assert.That(body.GetProperty("last_response_status").GetInt32(), Is.EqualTo(503));
        }
    }

    [Test]
    public async Task Get_AnotherOrganizationsAClientsAnUnknownOrAMalformedId_IsTheSame404()
    {
        var (_, client) = await NewPublisherAsync();
        var (_, other) = await NewPublisherAsync();
        await CreateEndpointAsync(other, BalanceLow);
        var foreign = await PublishOneAsync(other);
        var clientDelivery = await PublishToClientAsync(client);

        foreach (var id in new[] { foreign.Id.ToString(), clientDelivery.Id.ToString(), Guid.NewGuid().ToString(), "not-a-uuid", foreign.Id.ToString("N") })
        {
            using var response = await client.GetAsync($"/v1/deliveries/{id}");
            await ApiAssert.NotFound(response);
        }

        using var own = await other.GetAsync($"/v1/deliveries/{foreign.Id}");
        await ApiAssert.JsonSuccess(own);
    }

    [Test]
    public async Task Get_WithoutWebhooksRead_Is403_AndWithoutAKey_Is401()
    {
        var (_, client) = await NewPublisherAsync();
        await CreateEndpointAsync(client, BalanceLow);
        var delivery = await PublishOneAsync(client);
        var publisherOnly = await Factory.CreateOrganizationAsync("events:write", "clients:events:write");
        using var publisherOnlyClient = Factory.CreateClient(publisherOnly.Key);
        using var anonymous = Factory.CreateClient(key: null);

        using var forbidden = await publisherOnlyClient.GetAsync($"/v1/deliveries/{delivery.Id}");
        using var unauthenticated = await anonymous.GetAsync($"/v1/deliveries/{delivery.Id}");

        await ApiAssert.Forbidden(forbidden);
        await ApiAssert.Unauthorized(unauthenticated);
    }

    /// <summary>A delivery as the list and the single read show it: every field but the attempts.</summary>
    public static void AssertDelivery(JsonElement body, Delivery delivery, Guid endpointId)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(body.GetProperty("id").GetString(), Is.EqualTo(delivery.Id.ToString()));
            Assert.That(body.GetProperty("event_id").GetString(), Is.EqualTo(delivery.EventId.ToString()));
            Assert.That(body.GetProperty("event_type").GetString(), Is.EqualTo(delivery.EventType));
            Assert.That(body.GetProperty("endpoint_id").GetString(), Is.EqualTo(endpointId.ToString()));
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo(delivery.Status.ToString().ToLowerInvariant()));
            Assert.That(body.GetProperty("attempt_count").GetInt32(), Is.EqualTo(delivery.AttemptCount));
            Assert.That(body.GetProperty("created_at").GetString(), Is.EqualTo(Text(delivery.CreatedAt)));
        }
    }

    /// <summary>A timestamp as the API writes it (RFC 3339, UTC, whole seconds).</summary>
    public static string Text(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void AssertAttempt(JsonElement attempt, int number, DateTimeOffset startedAt, int durationMs, int? status, string? responseBody, string? error)
    {
        Assert.That(attempt.EnumerateObject().Select(p => p.Name), Is.EqualTo(AttemptKeys));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(attempt.GetProperty("number").GetInt32(), Is.EqualTo(number));
            Assert.That(attempt.GetProperty("trigger").GetString(), Is.EqualTo("scheduled"));
            Assert.That(attempt.GetProperty("started_at").GetString(), Is.EqualTo(Text(startedAt)));
            Assert.That(attempt.GetProperty("duration_ms").GetInt32(), Is.EqualTo(durationMs));
            Assert.That(NullableInt(attempt.GetProperty("response_status")), Is.EqualTo(status));
            Assert.That(NullableString(attempt.GetProperty("response_body")), Is.EqualTo(responseBody));
            Assert.That(NullableString(attempt.GetProperty("error")), Is.EqualTo(error));
        }
    }

    private static int? NullableInt(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetInt32();

    private static string? NullableString(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetString();

    /// <summary>Publishes one event to the caller's one subscribed endpoint; returns its stored delivery.</summary>
    private async Task<Delivery> PublishOneAsync(HttpClient client)
    {
        using var response = await PostAsync(client, "/v1/events", $$$"""{"type":"{{{BalanceLow}}}","data":{}}""");
        var (_, eventId) = await AssertEventAsync(response, BalanceLow, "{}", deliveries: 1);
        return (await StoredDeliveriesAsync(eventId)).Single();
    }

    private async Task<Delivery> PublishToClientAsync(HttpClient publisher)
    {
        using var http = ClientsApi.CreateHttpClient(Factory);
        var device = await ClientsApi.CreateClientAsync(Factory, "cust-" + Guid.NewGuid().ToString("N")[..8]);
        using (var patched = await ClientsApi.PatchAsync(http, device, ClientsApi.UrlBody("https://hooks.example.com/device")))
        {
            await ClientsAssert.ClientAsync(patched, device, "https://hooks.example.com/device");
        }

        using var response = await PostAsync(publisher, $"/v1/clients/{device.Id}/events", """{"type":"device.online","data":{}}""");
        var (_, eventId) = await AssertEventAsync(response, "device.online", "{}", deliveries: 1, locationPrefix: $"/v1/clients/{device.Id}/events/");
        return (await StoredDeliveriesAsync(eventId)).Single();
    }

    /// <summary>Records scheduled attempts the way the worker does (through the domain, saved by the unit of work); returns the delivery after them.</summary>
    private async Task<Delivery> RecordAttemptsAsync(Guid deliveryId, params (AttemptResult Result, DateTimeOffset StartedAt)[] attempts)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        var delivery = await db.Set<Delivery>().SingleAsync(d => d.Id == deliveryId);
        foreach (var (result, startedAt) in attempts)
        {
            delivery.RecordAttempt(result, startedAt, AttemptTrigger.Scheduled, RetrySchedule.Default, unitRandom: 0.5);
        }

        await scope.ServiceProvider.GetRequiredService<Application.Common.Ports.IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        return delivery;
    }
}
