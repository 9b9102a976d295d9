using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary><c>GET /v1/event-types</c>: the configured catalog, each type with a one-line description, for any valid key.</summary>
[TestFixture]
public sealed class EventTypesTests : WebhooksFixture
{
    private static readonly string[] SeedTypes = ["wallet.balance_low", "wallet.balance_zero", "subscription.past_due", "subscription.canceled"];

    [Test]
    public async Task The_catalog_is_the_four_seed_types_in_configured_order_with_their_descriptions()
    {
        using var response = await Client.GetAsync("/v1/event-types");

        var types = await AssertCatalogAsync(response);
        Assert.That(types.Select(t => t.Name), Is.EqualTo(SeedTypes));
        var configuration = Factory.Services.GetRequiredService<IConfiguration>();
        for (var i = 0; i < types.Count; i++)
        {
            Assert.That(types[i].Description, Is.EqualTo(configuration[$"Webhooks:EventTypes:{i}:Description"]), types[i].Name);
        }
    }

    [TestCase("webhooks:read")]
    [TestCase("webhooks:write")]
    [TestCase("webhooks:read", "webhooks:write")]
    public async Task Any_valid_key_may_read_it(params string[] scopes)
    {
        using var client = Factory.CreateClient(await Factory.CreateKeyAsync(Org.OrgId, scopes));

        using var response = await client.GetAsync("/v1/event-types");

        Assert.That((await AssertCatalogAsync(response)).Select(t => t.Name), Is.EqualTo(SeedTypes));
    }

    [Test]
    public async Task Without_a_valid_key_it_is_401()
    {
        var org = await Factory.CreateOrganizationAsync();
        await Factory.RevokeKeyAsync(org.KeyId);

        foreach (var key in new[] { null, "am_live_" + new string('x', 43), org.Key })
        {
            using var client = Factory.CreateClient(key);
            using var response = await client.GetAsync("/v1/event-types");
            await ApiAssert.Unauthorized(response);
        }

        using var basic = await RawRequests.SendAsync(Factory.CreateClient((string?)null), HttpMethod.Get, "/v1/event-types", "Basic dXNlcjpwYXNz");
        await ApiAssert.Unauthorized(basic);
    }

    [Test]
    public async Task A_configured_catalog_is_listed_and_is_the_one_endpoints_are_checked_against()
    {
        var configured = new (string Name, string Description)[]
        {
            ("order.created", "An order was placed."),
            ("order.shipped", "An order left the warehouse."),
            ("invoice.paid", "An invoice was paid in full."),
            ("invoice.overdue", "An invoice is past its due date."),
            ("customer.deleted", "A customer account was closed."),
        };
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < configured.Length; i++)
        {
            settings[$"Webhooks:EventTypes:{i}:Name"] = configured[i].Name;
            settings[$"Webhooks:EventTypes:{i}:Description"] = configured[i].Description;
        }

        await using var factory = new ApiFactory(settings);
        var org = await factory.CreateOrganizationAsync("webhooks:read");
        var writer = await factory.CreateKeyAsync(org.OrgId, "webhooks:write");
        using var client = factory.CreateClient(org.Key);

        using var response = await client.GetAsync("/v1/event-types");

        var types = await AssertCatalogAsync(response);
        Assert.That(types, Is.EqualTo(configured.Select(c => new EventTypeItem(c.Name, c.Description))));
        using var writing = factory.CreateClient(writer);
        var created = await WebhookResource.CreateAsync(writing, """{"url":"https://hooks.example.com/orders","events":["order.shipped","customer.deleted"]}""");
        Assert.That(WebhookResource.Events(created), Is.EqualTo(new[] { "order.shipped", "customer.deleted" }));
        using var refused = await writing.PostJsonAsync("/v1/webhooks", """{"url":"https://hooks.example.com/orders","events":["wallet.balance_low"]}""");
        await ApiAssert.ValidationFailed(refused, new Dictionary<string, string> { ["events[0]"] = "unknown event type 'wallet.balance_low'" });
    }

    public sealed record EventTypeItem(string Name, string Description);

    /// <summary>200 JSON with exactly <c>{"data":[{"name","description"}...]}</c>; names unique, descriptions one non-empty line.</summary>
    private static async Task<List<EventTypeItem>> AssertCatalogAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var body = await ApiAssert.JsonSuccess(response);
        Assert.That(body.ValueKind, Is.EqualTo(JsonValueKind.Object), text);
        Assert.That(body.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "data" }), text);
        var items = new List<EventTypeItem>();
        foreach (var item in body.GetProperty("data").EnumerateArray())
        {
            Assert.That(item.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "name", "description" }), text);
            Assert.That(item.GetProperty("name").ValueKind, Is.EqualTo(JsonValueKind.String), text);
            Assert.That(item.GetProperty("description").ValueKind, Is.EqualTo(JsonValueKind.String), text);
            var description = item.GetProperty("description").GetString()!;
            Assert.That(description.Trim(), Is.Not.Empty.And.EqualTo(description), "a description: " + text);
            Assert.That(description, Does.Not.Contain("\n").And.Not.Contain("\r"), "one line: " + text);
            items.Add(new EventTypeItem(item.GetProperty("name").GetString()!, description));
        }

        Assert.That(items, Is.Not.Empty, text);
        Assert.That(items.Select(i => i.Name), Is.Unique, text);
        return items;
    }
}
