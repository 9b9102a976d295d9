using Webhooks.Api.Tests.Clients;
using Webhooks.Application.Common.Idempotency;

namespace Webhooks.Api.Tests.Events;

/// <summary>
/// <c>Idempotency-Key</c> on both publishing operations, as on <c>POST /v1/webhooks</c>: a retry with
/// the same key and body gets the first response byte for byte and publishes nothing; the same key
/// with another request (another body, another client, another operation) is a 400.
/// </summary>
[TestFixture]
public sealed class PublishIdempotencyTests : EventsFixture
{
    private const string Body = """{"type":"wallet.balance_low","data":{"wallet_id":"w_1","amount":12.5}}""";
    private const string Reformatted = "{ \"type\" : \"wallet.balance_low\",\r\n\t\"data\" : { \"wallet_id\" : \"w_1\", \"amount\" : 12.5 } }\n";
    private const string ClientBody = """{"type":"device.online","data":{"device_id":"d_1"}}""";

    private static Dictionary<string, string> KeyReused => new() { [IdempotentResponses.KeyField] = IdempotentResponses.KeyReusedMessage };

    [Test]
    public async Task A_retry_of_a_publication_gets_the_first_response_byte_for_byte_and_publishes_nothing()
    {
        var (_, client) = await NewPublisherAsync();
        await CreateEndpointAsync(client, BalanceLow);
        var key = NewKey();

        using var first = await PostAsync(client, "/v1/events", Body, key);
        var (events, deliveries) = (await EventCountAsync(), await DeliveryCountAsync());
        using var retry = await PostAsync(client, "/v1/events", Reformatted, key);

        var (firstText, _) = await AssertEventAsync(first, BalanceLow, """{"wallet_id":"w_1","amount":12.5}""", deliveries: 1);
        var (retryText, _) = await AssertEventAsync(retry, BalanceLow, """{"wallet_id":"w_1","amount":12.5}""", deliveries: 1);
        Assert.That(retryText, Is.EqualTo(firstText));
        Assert.That(retry.Headers.Location, Is.EqualTo(first.Headers.Location));
        Assert.That(await EventCountAsync(), Is.EqualTo(events), "no second event");
        Assert.That(await DeliveryCountAsync(), Is.EqualTo(deliveries), "no second delivery");
    }

    [Test]
    public async Task The_same_key_with_another_body_is_400_and_publishes_nothing()
    {
        var (_, client) = await NewPublisherAsync();
        var key = NewKey();
        using var first = await PostAsync(client, "/v1/events", Body, key);
        await AssertEventAsync(first, BalanceLow, """{"wallet_id":"w_1","amount":12.5}""", deliveries: 0);
        var events = await EventCountAsync();

        using var refused = await PostAsync(client, "/v1/events", Body.Replace("w_1", "w_2", StringComparison.Ordinal), key);

        await ApiAssert.ValidationFailed(refused, KeyReused);
        Assert.That(await EventCountAsync(), Is.EqualTo(events));
    }

    [Test]
    public async Task A_key_used_to_create_an_endpoint_cannot_publish()
    {
        var (_, client) = await NewPublisherAsync();
        var key = NewKey();
        using (var created = await PostAsync(client, "/v1/webhooks", WebhookResource.MinimalBody, key))
        {
            await ApiAssert.JsonSuccess(created, HttpStatusCode.Created);
        }

        using var refused = await PostAsync(client, "/v1/events", Body, key);

        await ApiAssert.ValidationFailed(refused, KeyReused);
    }

    [Test]
    public async Task The_same_key_in_another_organization_publishes_separately()
    {
        var (_, mine) = await NewPublisherAsync();
        var (_, theirs) = await NewPublisherAsync();
        var key = NewKey();

        using var first = await PostAsync(mine, "/v1/events", Body, key);
        using var second = await PostAsync(theirs, "/v1/events", Body, key);

        var (_, a) = await AssertEventAsync(first, BalanceLow, """{"wallet_id":"w_1","amount":12.5}""", 0);
        var (_, b) = await AssertEventAsync(second, BalanceLow, """{"wallet_id":"w_1","amount":12.5}""", 0);
        Assert.That(b, Is.Not.EqualTo(a));
    }

    [Test]
    public async Task A_retry_to_a_client_gets_the_first_response_and_the_same_key_for_another_client_is_400()
    {
        var (_, client) = await NewPublisherAsync();
        var one = await ClientsApi.CreateClientAsync(Factory, "cust-idem-1");
        var two = await ClientsApi.CreateClientAsync(Factory, "cust-idem-2");
        var key = NewKey();

        using var first = await PostAsync(client, $"/v1/clients/{one.Id}/events", ClientBody, key);
        var events = await EventCountAsync();
        using var retry = await PostAsync(client, $"/v1/clients/{one.Id.ToUpperInvariant()}/events", ClientBody, key);
        using var other = await PostAsync(client, $"/v1/clients/{two.Id}/events", ClientBody, key);

        var prefix = $"/v1/clients/{one.Id}/events/";
        var (firstText, _) = await AssertEventAsync(first, "device.online", """{"device_id":"d_1"}""", 0, locationPrefix: prefix);
        var (retryText, _) = await AssertEventAsync(retry, "device.online", """{"device_id":"d_1"}""", 0, locationPrefix: prefix);
        Assert.That(retryText, Is.EqualTo(firstText));
        await ApiAssert.ValidationFailed(other, KeyReused);
        Assert.That(await EventCountAsync(), Is.EqualTo(events), "neither the retry nor the other client's request stored an event");
    }

    [Test]
    public async Task A_key_used_for_an_organizations_event_cannot_publish_to_a_client_with_the_same_body()
    {
        var (_, client) = await NewPublisherAsync();
        var device = await ClientsApi.CreateClientAsync(Factory, "cust-idem-3");
        var key = NewKey();
        using (var first = await PostAsync(client, "/v1/events", Body, key))
        {
            await AssertEventAsync(first, BalanceLow, """{"wallet_id":"w_1","amount":12.5}""", 0);
        }

        using var refused = await PostAsync(client, $"/v1/clients/{device.Id}/events", Body, key);

        await ApiAssert.ValidationFailed(refused, KeyReused);
    }

    private static string NewKey() => "evt-" + Guid.NewGuid().ToString("N");
}
