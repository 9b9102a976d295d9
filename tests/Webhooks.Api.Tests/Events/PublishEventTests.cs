using Webhooks.Domain.Deliveries;

namespace Webhooks.Api.Tests.Events;

/// <summary>
/// <c>POST /v1/events</c> and <c>GET /v1/events/{id}</c>: the answer (202, <c>Location</c>, every
/// field), the fan-out in the event's transaction (one pending delivery per endpoint of the key's
/// organization that is active, not deleted and subscribed, checked against the stored rows), and
/// who may read an event.
/// </summary>
[TestFixture]
public sealed class PublishEventTests : EventsFixture
{
    private const string Data = """{"wallet_id":"w_123","balance":{"amount":"4.20","currency":"EUR"},"tags":["low",1,true,null],"note":"caf\u00e9 \ud83d\ude00"}""";

    private static string Body(string type = BalanceLow, string data = Data) => $$"""{"type":"{{type}}","data":{{data}}}""";

    [Test]
    public async Task Publish_FansOutToEachActiveSubscribedEndpointOfTheKeysOrganization_AndNothingElse()
    {
        var (org, client) = await NewPublisherAsync();
        var (_, other) = await NewPublisherAsync();
        var first = await CreateEndpointAsync(client, BalanceLow, BalanceZero);
        var second = await CreateEndpointAsync(client, BalanceLow);
        await CreateEndpointAsync(client, BalanceZero);
        var inactive = await CreateEndpointAsync(client, BalanceLow);
        using (var patched = await client.PatchAsync($"/v1/webhooks/{inactive}", """{"active":false}"""))
        {
            await ApiAssert.JsonSuccess(patched);
        }

        var deleted = await CreateEndpointAsync(client, BalanceLow);
        using (var deleting = await client.DeleteAsync($"/v1/webhooks/{deleted}"))
        {
            await ApiAssert.JsonSuccess(deleting);
        }

        await CreateEndpointAsync(other, BalanceLow);

        using var response = await PostAsync(client, "/v1/events", Body());

        var (_, id) = await AssertEventAsync(response, BalanceLow, Data, deliveries: 2);
        var stored = await StoredEventAsync(id);
        Assert.That(stored, Is.Not.Null, "the event is stored");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored!.OrgId, Is.EqualTo(org.OrgId));
            Assert.That(stored.ClientId, Is.Null);
            Assert.That(stored.Type, Is.EqualTo(BalanceLow));
            Assert.That(stored.Data, Is.EqualTo(Data), "data is kept exactly as sent");
            Assert.That(stored.DeliveryCount, Is.EqualTo(2));
        }

        var deliveries = await StoredDeliveriesAsync(id);
        Assert.That(deliveries.Select(d => d.EndpointId), Is.EquivalentTo(new Guid?[] { first, second }));
        foreach (var delivery in deliveries)
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Pending));
                Assert.That(delivery.OrgId, Is.EqualTo(org.OrgId));
                Assert.That(delivery.ClientId, Is.Null);
                Assert.That(delivery.EventType, Is.EqualTo(BalanceLow));
                Assert.That(delivery.AttemptCount, Is.Zero);
                Assert.That(delivery.NextAttemptAt, Is.EqualTo(stored.CreatedAt), "due at once");
            }
        }
    }

    [Test]
    public async Task Publish_WithNoReceivingEndpoint_StoresTheEventWithZeroDeliveries()
    {
        var (_, client) = await NewPublisherAsync();
        await CreateEndpointAsync(client, BalanceZero);

        using var response = await PostAsync(client, "/v1/events", Body(data: "{}"));

        var (_, id) = await AssertEventAsync(response, BalanceLow, "{}", deliveries: 0);
        Assert.That(await StoredEventAsync(id), Is.Not.Null);
        Assert.That(await StoredDeliveriesAsync(id), Is.Empty);
    }

    [Test]
    public async Task Get_OfTheLocation_ReturnsTheSameBodyAsThePublication()
    {
        var (_, client) = await NewPublisherAsync();
        await CreateEndpointAsync(client, BalanceLow);
        using var published = await PostAsync(client, "/v1/events", Body());
        var (text, id) = await AssertEventAsync(published, BalanceLow, Data, deliveries: 1);

        using var read = await client.GetAsync(published.Headers.Location);

        var (readText, readId) = await AssertEventAsync(read, BalanceLow, Data, deliveries: 1, HttpStatusCode.OK);
        Assert.That(readId, Is.EqualTo(id));
        Assert.That(readText, Is.EqualTo(text));
    }

    [Test]
    public async Task Get_OfAnotherOrganizationsEvent_AnUnknownIdOrANonUuid_IsTheSame404()
    {
        var (_, client) = await NewPublisherAsync();
        var (_, other) = await NewPublisherAsync();
        using var published = await PostAsync(client, "/v1/events", Body());
        var (_, id) = await AssertEventAsync(published, BalanceLow, Data, deliveries: 0);

        using var foreign = await other.GetAsync($"/v1/events/{id}");
        using var unknown = await client.GetAsync($"/v1/events/{Guid.CreateVersion7()}");
        using var malformed = await client.GetAsync("/v1/events/not-a-uuid");

        await ApiAssert.NotFound(foreign);
        await ApiAssert.NotFound(unknown);
        await ApiAssert.NotFound(malformed);
    }

    [Test]
    public async Task Get_WithAnUpperCaseId_FindsTheEvent()
    {
        var (_, client) = await NewPublisherAsync();
        using var published = await PostAsync(client, "/v1/events", Body());
        var (text, id) = await AssertEventAsync(published, BalanceLow, Data, deliveries: 0);

        using var read = await client.GetAsync($"/v1/events/{id.ToString().ToUpperInvariant()}");

        Assert.That((await AssertEventAsync(read, BalanceLow, Data, 0, HttpStatusCode.OK)).Text, Is.EqualTo(text));
    }

    [Test]
    public async Task Publish_WithMergePatchMediaType_IsAccepted()
    {
        var (_, client) = await NewPublisherAsync();
        using var content = new StringContent(Body(), Encoding.UTF8, "application/merge-patch+json");

        using var response = await client.PostAsync("/v1/events", content);

        await AssertEventAsync(response, BalanceLow, Data, deliveries: 0);
    }
}
