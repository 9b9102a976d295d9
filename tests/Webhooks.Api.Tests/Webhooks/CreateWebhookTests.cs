
namespace Webhooks.Api.Tests.Webhooks;

/// <summary><c>POST /v1/webhooks</c> through the real HTTP pipeline.</summary>
public sealed partial class CreateWebhookTests : WebhooksFixture
{
    [Test]
    public async Task Create_WithUrlAndEvents_Is201WithTheResourceAndDefaults()
    {
        var before = DateTimeOffset.UtcNow;

        var response = await Client.PostJsonAsync("/v1/webhooks", WebhookResource.MinimalBody);

        var after = DateTimeOffset.UtcNow;
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        ApiAssert.RequestId(response);
        var created = await Json.ReadAsync(response);
        WebhookResource.AssertCreatedShape(created);
        var (body, _) = WebhookResource.SplitSecret(created);
        var id = WebhookResource.AssertUuidV7(body.GetProperty("id").GetString());
        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo($"/v1/webhooks/{body.GetProperty("id").GetString()}"));
        Assert.That(id.ToString("D"), Is.EqualTo(body.GetProperty("id").GetString()));
        Assert.That(body.GetProperty("org_id").GetString(), Is.EqualTo(Org.OrgId.ToString("D")));
        Assert.That(body.GetProperty("url").GetString(), Is.EqualTo(WebhookResource.Url));
        Assert.That(body.GetProperty("description").ValueKind, Is.EqualTo(JsonValueKind.Null), "description is null when absent");
        Assert.That(WebhookResource.Events(body), Is.EqualTo(new[] { "wallet.balance_low", "wallet.balance_zero" }));
        Assert.That(body.GetProperty("active").ValueKind, Is.EqualTo(JsonValueKind.True), "active defaults to true");
        Assert.That(body.GetProperty("api_version").GetString(), Is.EqualTo(WebhookResource.ApiVersion), "api_version defaults to the newest");
        Assert.That(body.GetProperty("deleted_at").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var createdAt = WebhookResource.AssertTimestamp(body.GetProperty("created_at").GetString());
        Assert.That(body.GetProperty("updated_at").GetString(), Is.EqualTo(body.GetProperty("created_at").GetString()));
        WebhookResource.AssertBetween(createdAt, before, after);
    }

    [Test]
    public async Task Create_WithEveryField_StoresThem()
    {
        var body = await WebhookResource.CreateAsync(Client, """
            {"url":"https://hooks.example.com/y3labs/ops","events":["subscription.canceled"],
             "description":"Ops alerts","active":false,"api_version":"2026-04-01"}
            """);

        WebhookResource.AssertShape(body);
        Assert.That(body.GetProperty("description").GetString(), Is.EqualTo("Ops alerts"));
        Assert.That(WebhookResource.Events(body), Is.EqualTo(new[] { "subscription.canceled" }));
        Assert.That(body.GetProperty("active").ValueKind, Is.EqualTo(JsonValueKind.False));
        Assert.That(body.GetProperty("api_version").GetString(), Is.EqualTo("2026-04-01"));
    }

    [Test]
    public async Task Create_NormalizesTheValues()
    {
        var body = await WebhookResource.CreateAsync(Client, """
            {"url":"  HTTPS://Hooks.Example.COM/Y3labs/Ops?x=1  ",
             "events":["wallet.balance_zero","wallet.balance_low","wallet.balance_zero"],
             "description":"  Ops alerts  ","active":true}
            """);

        Assert.That(body.GetProperty("url").GetString(), Is.EqualTo("https://hooks.example.com/Y3labs/Ops?x=1"));
        Assert.That(WebhookResource.Events(body), Is.EqualTo(new[] { "wallet.balance_zero", "wallet.balance_low" }), "duplicates collapsed, first order kept");
        Assert.That(body.GetProperty("description").GetString(), Is.EqualTo("Ops alerts"));
        Assert.That(body.GetProperty("active").ValueKind, Is.EqualTo(JsonValueKind.True));
    }

    [TestCase("\"\"")]
    [TestCase("\"   \"")]
    [TestCase("null")]
    public async Task Create_WithBlankOrNullDescription_HasNoLabel(string description)
    {
        var body = await WebhookResource.CreateAsync(Client, $$"""{"url":"https://hooks.example.com/x","events":["wallet.balance_low"],"description":{{description}}}""");

        Assert.That(body.GetProperty("description").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Create_ThenGet_ReturnsTheSameBody_AtTheLocation()
    {
        var response = await Client.PostJsonAsync("/v1/webhooks", """{"url":"https://hooks.example.com/a","events":["wallet.balance_low"],"description":"A"}""");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var (created, _) = WebhookResource.SplitSecret(await Json.ReadAsync(response));

        var read = await Client.GetAsync(response.Headers.Location);

        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = await Json.ReadAsync(read);
        WebhookResource.AssertShape(body);
        Assert.That(JsonElement.DeepEquals(body, created), Is.True, $"created (without its one-time secret): {created}\nread: {body}");
    }

    [Test]
    public async Task Create_Twice_GivesTwoEndpointsWithDifferentIds()
    {
        var first = await WebhookResource.CreateAsync(Client);
        var second = await WebhookResource.CreateAsync(Client);

        Assert.That(second.GetProperty("id").GetString(), Is.Not.EqualTo(first.GetProperty("id").GetString()));
        Assert.That(WebhookResource.Events(second), Is.EqualTo(WebhookResource.Events(first)));
    }

    [Test]
    public async Task Create_ForTwoOrganizations_EachOwnsItsOwn()
    {
        var other = await Factory.CreateOrganizationAsync();

        var body = await WebhookResource.CreateAsync(Factory.CreateClient(other.Key));

        Assert.That(body.GetProperty("org_id").GetString(), Is.EqualTo(other.OrgId.ToString("D")));
        await ApiAssert.NotFound(await Client.GetAsync($"/v1/webhooks/{body.GetProperty("id").GetString()}"));
    }

    [TestCaseSource(nameof(Refused))]
    public async Task Create_Refused_Is400NamingEveryFieldAndCreatesNothing(string json, Dictionary<string, string> details)
    {
        var before = await StoredData.EndpointsAsync(Factory.Services);

        using var response = await Client.PostJsonAsync("/v1/webhooks", json);

        await ApiAssert.ValidationFailed(response, details);
        Assert.That(response.Headers.Location, Is.Null);
        Assert.That(await StoredData.EndpointsAsync(Factory.Services), Is.EqualTo(before), "nothing created");
    }

    [Test]
    public async Task Create_WithA200CharacterDescription_IsAccepted()
    {
        var description = string.Concat(Enumerable.Repeat("🚨", 200));

        var body = await WebhookResource.CreateAsync(Client, JsonSerializer.Serialize(new
        {
            url = "https://hooks.example.com/x",
            events = new[] { "wallet.balance_low" },
            description,
        }));

        Assert.That(body.GetProperty("description").GetString(), Is.EqualTo(description));
    }
}
