using Webhooks.Api.Errors;
using Webhooks.Api.Tests.Deliveries;
using Webhooks.Api.Tests.Events;
using Webhooks.Application.Webhooks.SendTestEvent;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// <c>POST /v1/webhooks/{id}/test</c>: one <c>webhook.test</c> event of the organization with one
/// pending delivery to that endpoint only, whatever it subscribes to; 202 with the delivery as
/// <c>GET /v1/deliveries/{id}</c> shows it. An inactive endpoint is 409 and nothing is stored;
/// another organization's, a deleted, an unknown and a malformed id are the same 404.
/// </summary>
[TestFixture]
public sealed class SendTestEventTests : EventsFixture
{
    [Test]
    public async Task Send_ToAnEndpointNotSubscribedToIt_Is202WithThePendingDeliveryAndStoresTheEvent()
    {
        var (_, client) = await NewPublisherAsync();
        var endpoint = await CreateEndpointAsync(client, BalanceLow);
        var other = await CreateEndpointAsync(client, BalanceLow);

        using var response = await client.PostAsync($"/v1/webhooks/{endpoint}/test", content: null);

        var body = await ApiAssert.JsonSuccess(response, HttpStatusCode.Accepted);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(body.EnumerateObject().Select(p => p.Name), Is.EqualTo(GetDeliveryTests.DeliveryKeys.Append("attempts")), text);
        var deliveryId = WebhookResource.AssertUuidV7(body.GetProperty("id").GetString());
        var eventId = WebhookResource.AssertUuidV7(body.GetProperty("event_id").GetString());
        var createdAt = WebhookResource.AssertTimestamp(body.GetProperty("created_at").GetString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo($"/v1/deliveries/{deliveryId}"), text);
            Assert.That(body.GetProperty("event_type").GetString(), Is.EqualTo(SendTestEventCommand.EventType), text);
            Assert.That(body.GetProperty("endpoint_id").GetString(), Is.EqualTo(endpoint.ToString()), text);
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("pending"), text);
            Assert.That(body.GetProperty("attempt_count").GetInt32(), Is.Zero, text);
            Assert.That(body.GetProperty("next_attempt_at").GetString(), Is.EqualTo(GetDeliveryTests.Text(createdAt)), "due at once");
            Assert.That(body.GetProperty("last_attempt_at").ValueKind, Is.EqualTo(JsonValueKind.Null), text);
            Assert.That(body.GetProperty("last_response_status").ValueKind, Is.EqualTo(JsonValueKind.Null), text);
            Assert.That(body.GetProperty("attempts").GetArrayLength(), Is.Zero, text);
        }

        var delivery = (await StoredDeliveriesAsync(eventId)).Single();
        GetDeliveryTests.AssertDelivery(body, delivery, endpoint);
        Assert.That(delivery.EndpointId, Is.Not.EqualTo(other), "that endpoint only");
        var stored = await StoredEventAsync(eventId);
        Assert.That(stored!.Type, Is.EqualTo(SendTestEventCommand.EventType));
        Assert.That(stored.ClientId, Is.Null);

        using var read = await client.GetAsync($"/v1/deliveries/{deliveryId}");
        Assert.That(JsonElement.DeepEquals(await ApiAssert.JsonSuccess(read), body), Is.True, "GET shows what the test returned");
        using var readEvent = await client.GetAsync($"/v1/events/{eventId}");
        var expectedData = $$"""{"message":"{{SendTestEventCommand.Message}}","endpoint_id":"{{endpoint}}"}""";
        await AssertEventAsync(readEvent, SendTestEventCommand.EventType, expectedData, deliveries: 1, HttpStatusCode.OK);
    }

    [Test]
    public async Task Send_ToAnInactiveEndpoint_Is409AndStoresNothing()
    {
        var (_, client) = await NewPublisherAsync();
        var endpoint = await CreateEndpointAsync(client, BalanceLow);
        using (var patched = await client.PatchAsync($"/v1/webhooks/{endpoint}", Json.Body("""{"active":false}""")))
        {
            await ApiAssert.JsonSuccess(patched);
        }

        var events = await EventCountAsync();
        var deliveries = await DeliveryCountAsync();

        using var response = await client.PostAsync($"/v1/webhooks/{endpoint}/test", content: null);

        await ApiAssert.Envelope(response, HttpStatusCode.Conflict, ApiError.Conflict.Code, ApiError.Conflict.Message);
        Assert.That(await EventCountAsync(), Is.EqualTo(events));
        Assert.That(await DeliveryCountAsync(), Is.EqualTo(deliveries));
    }

    [Test]
    public async Task Send_ToAnotherOrganizationsADeletedAnUnknownOrAMalformedId_IsTheSame404AndStoresNothing()
    {
        var (_, client) = await NewPublisherAsync();
        var (_, other) = await NewPublisherAsync();
        var foreign = await CreateEndpointAsync(other, BalanceLow);
        var deleted = await CreateEndpointAsync(client, BalanceLow);
        using (var removed = await client.DeleteAsync($"/v1/webhooks/{deleted}"))
        {
            await ApiAssert.JsonSuccess(removed);
        }

        var events = await EventCountAsync();

        foreach (var id in new[] { foreign.ToString(), deleted.ToString(), Guid.NewGuid().ToString(), "not-a-uuid" })
        {
            using var response = await client.PostAsync($"/v1/webhooks/{id}/test", content: null);
            await ApiAssert.NotFound(response);
        }

        Assert.That(await EventCountAsync(), Is.EqualTo(events));
    }

    [Test]
    public async Task Send_WithoutWebhooksWrite_Is403_AndWithoutAKey_Is401()
    {
        var (_, client) = await NewPublisherAsync();
        var endpoint = await CreateEndpointAsync(client, BalanceLow);
        var reader = await Factory.CreateOrganizationAsync("webhooks:read", "events:write");
        using var readerClient = Factory.CreateClient(reader.Key);
        using var anonymous = Factory.CreateClient(key: null);
        var events = await EventCountAsync();

        using var forbidden = await readerClient.PostAsync($"/v1/webhooks/{endpoint}/test", content: null);
        using var unauthenticated = await anonymous.PostAsync($"/v1/webhooks/{endpoint}/test", content: null);

        await ApiAssert.Forbidden(forbidden);
        await ApiAssert.Unauthorized(unauthenticated);
        Assert.That(await EventCountAsync(), Is.EqualTo(events));
    }
}
