using System.Net;
using System.Text.Json;
using Webhooks.Api.Tests.Helpers;
using Webhooks.Api.Tests.Support;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary><c>POST /v1/webhooks</c> through the real HTTP pipeline.</summary>
public sealed class CreateWebhookTests : WebhooksFixture
{
    private const string Required = "is required";
    private const string ReadOnly = "is read-only";
    private const string UnknownApiVersion = "must be one of: 2026-04-01";

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

    private static IEnumerable<TestCaseData> MissingRequiredCases()
    {
        yield return new TestCaseData("{}", new[] { "url", "events" }).SetName("Create_WithEmptyObject_RequiresUrlAndEvents");
        yield return new TestCaseData("""{"description":"x","active":true}""", new[] { "url", "events" }).SetName("Create_WithOnlyOptionalFields_RequiresUrlAndEvents");
        yield return new TestCaseData("""{"events":["wallet.balance_low"]}""", new[] { "url" }).SetName("Create_WithoutUrl_RequiresUrl");
        yield return new TestCaseData("""{"url":"https://hooks.example.com/x"}""", new[] { "events" }).SetName("Create_WithoutEvents_RequiresEvents");
        yield return new TestCaseData("""{"url":null,"events":["wallet.balance_low"]}""", new[] { "url" }).SetName("Create_WithNullUrl_RequiresUrl");
        yield return new TestCaseData("""{"url":"https://hooks.example.com/x","events":null}""", new[] { "events" }).SetName("Create_WithNullEvents_RequiresEvents");
        yield return new TestCaseData("""{"url":null,"events":null}""", new[] { "url", "events" }).SetName("Create_WithBothNull_RequiresBoth");
    }

    [TestCaseSource(nameof(MissingRequiredCases))]
    public async Task Create_WithoutARequiredField_Is400(string json, string[] missing)
    {
        await AssertRefused(json, missing.ToDictionary(field => field, _ => Required));
    }

    [TestCase("2025-01-01")]
    [TestCase("2026-04-02")]
    [TestCase("2026-4-1")]
    [TestCase("")]
    [TestCase("latest")]
    public async Task Create_WithAnUnknownApiVersion_Is400(string apiVersion)
    {
        await AssertRefused(
            $$"""{"url":"https://hooks.example.com/x","events":["wallet.balance_low"],"api_version":"{{apiVersion}}"}""",
            new Dictionary<string, string> { ["api_version"] = UnknownApiVersion });
    }

    [TestCase("id", "\"0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4\"")]
    [TestCase("org_id", "\"0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b5\"")]
    [TestCase("created_at", "\"2026-04-26T12:00:00Z\"")]
    [TestCase("updated_at", "\"2026-04-26T12:00:00Z\"")]
    [TestCase("deleted_at", "null")]
    [TestCase("secret", "\"whsec_abc\"")]
    public async Task Create_WithAReadOnlyField_Is400(string field, string value)
    {
        await AssertRefused(
            $$"""{"url":"https://hooks.example.com/x","events":["wallet.balance_low"],"{{field}}":{{value}}}""",
            new Dictionary<string, string> { [field] = ReadOnly });
    }

    [TestCase("urll")]
    [TestCase("Url")]
    [TestCase("event")]
    [TestCase("enabled")]
    [TestCase("apiVersion")]
    public async Task Create_WithAnUnknownField_Is400(string field)
    {
        await AssertRefused(
            $$"""{"url":"https://hooks.example.com/x","events":["wallet.balance_low"],"{{field}}":"x"}""",
            new Dictionary<string, string> { [field] = "is not a known field" });
    }

    [Test]
    public async Task Create_WithEveryReadOnlyAndUnknownField_NamesEachOne()
    {
        await AssertRefused(
            """
            {"url":"https://hooks.example.com/x","events":["wallet.balance_low"],
             "id":"0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4","org_id":"0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b5",
             "created_at":"2026-04-26T12:00:00Z","updated_at":"2026-04-26T12:00:00Z","deleted_at":null,
             "secret":"whsec_x","urll":"https://hooks.example.com/y"}
            """,
            new Dictionary<string, string>
            {
                ["id"] = ReadOnly,
                ["org_id"] = ReadOnly,
                ["created_at"] = ReadOnly,
                ["updated_at"] = ReadOnly,
                ["deleted_at"] = ReadOnly,
                ["secret"] = ReadOnly,
                ["urll"] = "is not a known field",
            });
    }

    [Test]
    public async Task Create_WithARepeatedField_Is400()
    {
        await AssertRefused(
            """{"url":"https://hooks.example.com/x","url":"https://hooks.example.com/y","events":["wallet.balance_low"]}""",
            new Dictionary<string, string> { ["url"] = "must appear only once" });
    }

    private static IEnumerable<TestCaseData> WrongTypeCases()
    {
        yield return new TestCaseData("\"url\":5", "url", "must be a string");
        yield return new TestCaseData("\"url\":[\"https://hooks.example.com/x\"]", "url", "must be a string");
        yield return new TestCaseData("\"events\":\"wallet.balance_low\"", "events", "must be an array of strings");
        yield return new TestCaseData("\"events\":{\"0\":\"wallet.balance_low\"}", "events", "must be an array of strings");
        yield return new TestCaseData("\"events\":[\"wallet.balance_low\",1]", "events[1]", "must be a string");
        yield return new TestCaseData("\"events\":[null]", "events[0]", "must be a string");
        yield return new TestCaseData("\"description\":42", "description", "must be a string");
        yield return new TestCaseData("\"active\":\"true\"", "active", "must be a boolean");
        yield return new TestCaseData("\"active\":1", "active", "must be a boolean");
        yield return new TestCaseData("\"active\":null", "active", "must be a boolean");
        yield return new TestCaseData("\"api_version\":20260401", "api_version", "must be a string");
    }

    [TestCaseSource(nameof(WrongTypeCases))]
    public async Task Create_WithAWrongJsonType_Is400NamingTheField(string member, string field, string message)
    {
        var fields = new Dictionary<string, string>
        {
            ["url"] = "\"url\":\"https://hooks.example.com/x\"",
            ["events"] = "\"events\":[\"wallet.balance_low\"]",
        };
        fields[member.Split(':')[0].Trim('"')] = member;

        await AssertRefused("{" + string.Join(",", fields.Values) + "}", new Dictionary<string, string> { [field] = message });
    }

    [Test]
    public async Task Create_WithEveryRuleViolated_ReportsAllTogether()
    {
        var description = new string('d', 201);
        await AssertRefused(
            $$"""
            {"url":"http://hooks.example.com/x","events":["wallet.balance_low","wallet.nope","wallet.balance_low","other"],
             "description":"{{description}}","api_version":"2025-01-01"}
            """,
            new Dictionary<string, string>
            {
                ["url"] = "must use https",
                ["description"] = "must be at most 200 characters",
                ["events[1]"] = "unknown event type 'wallet.nope'",
                ["events[3]"] = "unknown event type 'other'",
                ["api_version"] = UnknownApiVersion,
            });
    }

    private static IEnumerable<TestCaseData> RuleCases()
    {
        yield return new TestCaseData("\"url\":\"http://hooks.example.com/x\"", "url", "must use https");
        yield return new TestCaseData("\"url\":\"\"", "url", "must be an absolute https URL");
        yield return new TestCaseData("\"url\":\"hooks.example.com/x\"", "url", "must be an absolute https URL");
        yield return new TestCaseData("\"url\":\"https://user:pw@hooks.example.com/x\"", "url", "must not contain a user name or password");
        yield return new TestCaseData("\"url\":\"https://hooks.example.com/x#frag\"", "url", "must not contain a fragment");
        yield return new TestCaseData("\"events\":[]", "events", "must contain at least one event type");
        yield return new TestCaseData("\"events\":[\"Wallet.Balance_Low\"]", "events[0]", "unknown event type 'Wallet.Balance_Low'");
        yield return new TestCaseData("\"description\":\"a\\u0001b\"", "description", "must not contain control characters");
        yield return new TestCaseData("\"url\":\"/relative/path\"", "url", "must be an absolute https URL");
        yield return new TestCaseData("\"url\":\"//hooks.example.com/x\"", "url", "must be an absolute https URL");
    }

    /// <summary>A JSON string with an escaped lone surrogate has no text: it is named, and nothing else is said of its field.</summary>
    private static IEnumerable<TestCaseData> UndecodableTextCases()
    {
        yield return new TestCaseData("\"url\":\"https://hooks.example.com/\\ud83d\"", "url").SetName("Create_WithALoneSurrogateInUrl_Is400");
        yield return new TestCaseData("\"description\":\"half \\ud83d emoji\"", "description").SetName("Create_WithALoneSurrogateInDescription_Is400");
        yield return new TestCaseData("\"events\":[\"wallet.balance_low\",\"\\udc00\"]", "events[1]").SetName("Create_WithALoneSurrogateInAnEvent_Is400");
        yield return new TestCaseData("\"api_version\":\"2026-04-01\\ud83d\"", "api_version").SetName("Create_WithALoneSurrogateInApiVersion_Is400");
    }

    [TestCaseSource(nameof(UndecodableTextCases))]
    public async Task Create_WithALoneSurrogate_Is400MustBeValidUnicodeText(string member, string field)
    {
        var fields = new Dictionary<string, string>
        {
            ["url"] = "\"url\":\"https://hooks.example.com/x\"",
            ["events"] = "\"events\":[\"wallet.balance_low\"]",
        };
        fields[member.Split(':')[0].Trim('"')] = member;

        await AssertRefused("{" + string.Join(",", fields.Values) + "}", new Dictionary<string, string> { [field] = "must be valid Unicode text" });
    }

    [Test]
    public async Task Create_WithShapeErrorsAndRuleViolations_ReportsAllTogether()
    {
        await AssertRefused(
            """{"url":"/relative/path","events":["wallet.balance_low","\udc00","nope"],"description":"a\u0007","active":null,"secret":"x"}""",
            new Dictionary<string, string>
            {
                ["url"] = "must be an absolute https URL",
                ["events[1]"] = "must be valid Unicode text",
                ["events[2]"] = "unknown event type 'nope'",
                ["description"] = "must not contain control characters",
                ["active"] = "must be a boolean",
                ["secret"] = ReadOnly,
            });
    }

    [TestCaseSource(nameof(RuleCases))]
    public async Task Create_BreakingARule_Is400NamingTheField(string member, string field, string message)
    {
        var fields = new Dictionary<string, string>
        {
            ["url"] = "\"url\":\"https://hooks.example.com/x\"",
            ["events"] = "\"events\":[\"wallet.balance_low\"]",
        };
        fields[member.Split(':')[0].Trim('"')] = member;

        await AssertRefused("{" + string.Join(",", fields.Values) + "}", new Dictionary<string, string> { [field] = message });
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

    /// <summary>POSTs the body, asserts the 400 envelope with exactly these details, and that nothing was created.</summary>
    private async Task AssertRefused(string json, IReadOnlyDictionary<string, string> details)
    {
        var before = await StoredData.EndpointsAsync(Factory.Services);

        var response = await Client.PostJsonAsync("/v1/webhooks", json);

        await ApiAssert.ValidationFailed(response, details);
        Assert.That(response.Headers.Location, Is.Null);
        Assert.That(await StoredData.EndpointsAsync(Factory.Services), Is.EqualTo(before), "nothing created");
    }
}
