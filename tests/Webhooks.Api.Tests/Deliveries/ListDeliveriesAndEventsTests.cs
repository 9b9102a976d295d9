using Webhooks.Api.Tests.Events;
using Webhooks.Application.Common.Paging;
using Webhooks.Application.Deliveries.ListDeliveries;

namespace Webhooks.Api.Tests.Deliveries;

/// <summary>
/// <c>GET /v1/webhooks/{id}/deliveries</c>, <c>GET /v1/events/{id}/deliveries</c> and
/// <c>GET /v1/events</c>: newest first, every field, paged like the endpoint list (has_more, a
/// cursor that round-trips, another organization's cursor refused), the filters, the parent's 404
/// and the scope.
/// </summary>
[TestFixture]
public sealed class ListDeliveriesAndEventsTests : EventsFixture
{
    private static readonly string[] PageKeys = ["data", "has_more", "next_cursor"];

    [Test]
    public async Task ListWebhookDeliveries_PagesNewestFirstWithEveryFieldAndNoAttempts()
    {
        var (_, client) = await NewPublisherAsync();
        var endpoint = await CreateEndpointAsync(client, BalanceLow, BalanceZero);
        var other = await CreateEndpointAsync(client, BalanceLow);
        var events = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            events.Add(await PublishAsync(client, i == 1 ? BalanceZero : BalanceLow));
        }

        var stored = (await StoredDeliveriesAsync(events[0])).Concat(await StoredDeliveriesAsync(events[1])).Concat(await StoredDeliveriesAsync(events[2]))
            .Where(d => d.EndpointId == endpoint).OrderByDescending(d => d.Id.ToString()).ToList();
        Assert.That(stored.Select(d => d.EventId), Is.EqualTo(Enumerable.Reverse(events)), "one per event, newest first");

        var first = await PageAsync(client, $"/v1/webhooks/{endpoint}/deliveries?limit=2");
        var second = await PageAsync(client, $"/v1/webhooks/{endpoint}/deliveries?limit=2&cursor={first.NextCursor}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.HasMore, Is.True);
            Assert.That(first.NextCursor, Is.Not.Null);
            Assert.That(second.HasMore, Is.False);
            Assert.That(second.NextCursor, Is.Null);
        }

        var items = first.Data.Concat(second.Data).ToList();
        Assert.That(items, Has.Count.EqualTo(3));
        for (var i = 0; i < items.Count; i++)
        {
            Assert.That(items[i].EnumerateObject().Select(p => p.Name), Is.EqualTo(GetDeliveryTests.DeliveryKeys), "no attempts in a list");
            GetDeliveryTests.AssertDelivery(items[i], stored[i], endpoint);
            Assert.That(items[i].GetProperty("next_attempt_at").GetString(), Is.EqualTo(GetDeliveryTests.Text(stored[i].NextAttemptAt!.Value)));
        }

        var ofOther = await PageAsync(client, $"/v1/webhooks/{other}/deliveries");
        Assert.That(ofOther.Data.Select(d => d.GetProperty("event_id").GetString()), Is.EqualTo(new[] { events[2].ToString(), events[0].ToString() }));
    }

    [Test]
    public async Task ListWebhookDeliveries_FiltersByStatus_AndRefusesAnUnknownStatusWithEveryOtherProblem()
    {
        var (_, client) = await NewPublisherAsync();
        var endpoint = await CreateEndpointAsync(client, BalanceLow);
        await PublishAsync(client, BalanceLow);

        var pending = await PageAsync(client, $"/v1/webhooks/{endpoint}/deliveries?status=pending");
        var failed = await PageAsync(client, $"/v1/webhooks/{endpoint}/deliveries?status=failed");
        using var bad = await client.GetAsync($"/v1/webhooks/{endpoint}/deliveries?status=Pending&limit=0&cursor=garbage");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pending.Data, Has.Count.EqualTo(1));
            Assert.That(failed.Data, Is.Empty);
            Assert.That(failed.HasMore, Is.False);
        }

        await ApiAssert.ValidationFailed(bad, new Dictionary<string, string>
        {
            ["status"] = ListDeliveriesQuery.InvalidStatusMessage,
            ["limit"] = ListPaging.InvalidLimitMessage,
            ["cursor"] = ListPaging.InvalidCursorMessage,
        });
    }

    [Test]
    public async Task ListEventDeliveries_ListsOnePerEndpoint_AndAnotherOrganizationsCursorIs400()
    {
        var (_, client) = await NewPublisherAsync();
        var (_, other) = await NewPublisherAsync();
        var first = await CreateEndpointAsync(client, BalanceLow);
        var second = await CreateEndpointAsync(client, BalanceLow);
        await CreateEndpointAsync(other, BalanceLow);
        await CreateEndpointAsync(other, BalanceLow);
        var evt = await PublishAsync(client, BalanceLow);
        var otherEvent = await PublishAsync(other, BalanceLow);
        var foreignCursor = (await PageAsync(other, $"/v1/events/{otherEvent}/deliveries?limit=1")).NextCursor;

        var page = await PageAsync(client, $"/v1/events/{evt}/deliveries");
        using var foreign = await client.GetAsync($"/v1/events/{evt}/deliveries?cursor={foreignCursor}");

        Assert.That(page.Data.Select(d => d.GetProperty("endpoint_id").GetString()), Is.EquivalentTo(new[] { first.ToString(), second.ToString() }));
        Assert.That(page.Data.Select(d => d.GetProperty("event_id").GetString()), Has.All.EqualTo(evt.ToString()));
        await ApiAssert.ValidationFailed(foreign, new Dictionary<string, string> { ["cursor"] = ListPaging.InvalidCursorMessage });
    }

    [Test]
    public async Task ListDeliveries_OfAnotherOrganizationsOrADeletedOrAnUnknownParent_Is404()
    {
        var (_, client) = await NewPublisherAsync();
        var (_, other) = await NewPublisherAsync();
        var foreignEndpoint = await CreateEndpointAsync(other, BalanceLow);
        var foreignEvent = await PublishAsync(other, BalanceLow);
        var deleted = await CreateEndpointAsync(client, BalanceLow);
        using (var deleting = await client.DeleteAsync($"/v1/webhooks/{deleted}"))
        {
            await ApiAssert.JsonSuccess(deleting);
        }

        foreach (var path in new[]
        {
            $"/v1/webhooks/{foreignEndpoint}/deliveries", $"/v1/webhooks/{deleted}/deliveries", $"/v1/webhooks/{Guid.NewGuid()}/deliveries", "/v1/webhooks/nope/deliveries",
            $"/v1/events/{foreignEvent}/deliveries", $"/v1/events/{foreignEndpoint}/deliveries", "/v1/events/nope/deliveries",
        })
        {
            using var response = await client.GetAsync(path);
            await ApiAssert.NotFound(response);
        }
    }

    [Test]
    public async Task ListEvents_PagesTheOrganizationsEventsNewestFirst_AsPublished_AndFiltersByType()
    {
        var (_, client) = await NewPublisherAsync();
        var (_, other) = await NewPublisherAsync();
        await CreateEndpointAsync(client, BalanceLow);
        var low1 = await PublishAsync(client, BalanceLow);
        var zero = await PublishAsync(client, BalanceZero);
        var low2 = await PublishAsync(client, BalanceLow);
        await PublishAsync(other, BalanceLow);

        var first = await PageAsync(client, "/v1/events?limit=2");
        var second = await PageAsync(client, $"/v1/events?limit=2&cursor={first.NextCursor}");
        var lows = await PageAsync(client, $"/v1/events?type={BalanceLow}");
        var none = await PageAsync(client, "/v1/events?type=no.such_type");
        var nul = await PageAsync(client, "/v1/events?type=wallet.balance%00low"); // no stored type holds one (PostgreSQL's text cannot)

        Assert.That(first.Data.Concat(second.Data).Select(e => e.GetProperty("id").GetString()), Is.EqualTo(new[] { low2.ToString(), zero.ToString(), low1.ToString() }));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.HasMore, Is.True);
            Assert.That(second.HasMore, Is.False);
            Assert.That(second.NextCursor, Is.Null);
            Assert.That(lows.Data.Select(e => e.GetProperty("id").GetString()), Is.EqualTo(new[] { low2.ToString(), low1.ToString() }));
            Assert.That(none.Data, Is.Empty);
            Assert.That(nul.Data, Is.Empty);
        }

        var newest = first.Data[0];
        Assert.That(newest.EnumerateObject().Select(p => p.Name), Is.EqualTo(EventKeys));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(newest.GetProperty("type").GetString(), Is.EqualTo(BalanceLow));
            Assert.That(newest.GetProperty("data").GetRawText(), Is.EqualTo("""{"n":1}"""));
            Assert.That(newest.GetProperty("deliveries").GetInt32(), Is.EqualTo(1));
            WebhookResource.AssertTimestamp(newest.GetProperty("created_at").GetString());
            Assert.That(first.Data[1].GetProperty("deliveries").GetInt32(), Is.Zero);
        }
    }

    [Test]
    public async Task Lists_WithoutWebhooksRead_Are403_AndWithoutAKey_401()
    {
        var (_, client) = await NewPublisherAsync();
        var endpoint = await CreateEndpointAsync(client, BalanceLow);
        var evt = await PublishAsync(client, BalanceLow);
        var publisherOnly = await Factory.CreateOrganizationAsync("events:write");
        using var publisherOnlyClient = Factory.CreateClient(publisherOnly.Key);
        using var anonymous = Factory.CreateClient(key: null);

        foreach (var path in new[] { "/v1/events", $"/v1/events/{evt}/deliveries", $"/v1/webhooks/{endpoint}/deliveries" })
        {
            using var forbidden = await publisherOnlyClient.GetAsync(path);
            using var unauthenticated = await anonymous.GetAsync(path);
            await ApiAssert.Forbidden(forbidden);
            await ApiAssert.Unauthorized(unauthenticated);
        }
    }

    private static async Task<Guid> PublishAsync(HttpClient client, string type)
    {
        using var response = await PostAsync(client, "/v1/events", $$$"""{"type":"{{{type}}}","data":{"n":1}}""");
        var body = await ApiAssert.JsonSuccess(response, HttpStatusCode.Accepted);
        return Guid.Parse(body.GetProperty("id").GetString()!);
    }

    private static async Task<(List<JsonElement> Data, bool HasMore, string? NextCursor)> PageAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await ApiAssert.JsonSuccess(response);
        Assert.That(body.EnumerateObject().Select(p => p.Name), Is.EqualTo(PageKeys), path);
        var cursor = body.GetProperty("next_cursor");
        return (body.GetProperty("data").EnumerateArray().Select(e => e.Clone()).ToList(), body.GetProperty("has_more").GetBoolean(),
            cursor.ValueKind == JsonValueKind.Null ? null : cursor.GetString());
    }
}
