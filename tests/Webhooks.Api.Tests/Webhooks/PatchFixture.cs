using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Webhooks.Api.Tests.Support;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>The caller-visible state of an endpoint that a PATCH may change.</summary>
public sealed record EndpointState(string Url, string? Description, IReadOnlyList<string> Events, bool Active, string ApiVersion);

/// <summary>
/// Base of the <c>PATCH /v1/webhooks/{id}</c> fixtures: one <see cref="ApiFactory"/> (a real SQLite
/// file) per fixture, an organization with a read-write key, and helpers that create a fresh
/// endpoint per test and check success responses field by field.
/// </summary>
public abstract partial class PatchFixture
{
    public const string DefaultUrl = "https://hooks.example.com/y3labs/ops";
    public const string DefaultDescription = "Ops alerts";
    public const string CurrentApiVersion = "2026-04-01";
    public const string BalanceLow = "wallet.balance_low";
    public const string BalanceZero = "wallet.balance_zero";
    public const string PastDue = "subscription.past_due";
    public const string Canceled = "subscription.canceled";

    /// <summary>What <see cref="CreateEndpointAsync"/> creates.</summary>
    public static EndpointState DefaultState { get; } = new(DefaultUrl, DefaultDescription, [BalanceLow, BalanceZero], true, CurrentApiVersion);

    private const string CreateBody =
        """{"url":"https://hooks.example.com/y3labs/ops","description":"Ops alerts","events":["wallet.balance_low","wallet.balance_zero"],"active":true}""";

    private static readonly string[] ResourceKeys =
        ["id", "org_id", "url", "description", "events", "active", "api_version", "created_at", "updated_at", "deleted_at"];

    protected ApiFactory Factory { get; private set; } = null!;

    protected TestOrganization Org { get; private set; } = null!;

    /// <summary>A client with the organization's read-write key.</summary>
    protected HttpClient Client { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartApiAsync()
    {
        Factory = new ApiFactory();
        Org = await Factory.CreateOrganizationAsync("webhooks:read", "webhooks:write");
        Client = Factory.CreateClient(Org.Key);
    }

    [OneTimeTearDown]
    public async Task StopApiAsync()
    {
        Client?.Dispose();
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }
    }

    /// <summary>Creates <see cref="DefaultState"/> through <c>POST /v1/webhooks</c>; returns it as <c>GET</c> shows it.</summary>
    protected async Task<JsonElement> CreateEndpointAsync(HttpClient? client = null, Guid? orgId = null)
    {
        using var response = await (client ?? Client).PostJsonAsync("/v1/webhooks", CreateBody);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
        using var document = JsonDocument.Parse(text);
        var id = document.RootElement.GetProperty("id").GetString()!;
        var stored = await GetAsync(id, client, orgId);
        AssertState(stored, DefaultState);
        return stored;
    }

    protected static string IdOf(JsonElement resource) => resource.GetProperty("id").GetString()!;

    protected Task<HttpResponseMessage> PatchAsync(string id, string json, HttpClient? client = null) =>
        (client ?? Client).PatchAsync($"/v1/webhooks/{id}", json);

    protected Task<HttpResponseMessage> PatchAsync(string id, HttpContent? content, HttpClient? client = null) =>
        (client ?? Client).SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/v1/webhooks/{id}") { Content = content });

    /// <summary>A body of these exact bytes with this exact <c>Content-Type</c> (none when null).</summary>
    protected static ByteArrayContent RawBody(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return content;
    }

    protected static ByteArrayContent RawBody(string text, string? contentType) => RawBody(Encoding.UTF8.GetBytes(text), contentType);

    /// <summary><c>GET /v1/webhooks/{id}</c>, checked as a success response.</summary>
    protected async Task<JsonElement> GetAsync(string id, HttpClient? client = null, Guid? orgId = null)
    {
        using var response = await (client ?? Client).GetAsync($"/v1/webhooks/{id}");
        return await AssertResourceAsync(response, orgId);
    }

    /// <summary>
    /// A success response: 200, JSON, a ULID in <c>X-Request-Id</c>, and a body with exactly the
    /// resource's keys, each of the right type (timestamps to the second, <c>deleted_at</c> null).
    /// </summary>
    protected async Task<JsonElement> AssertResourceAsync(HttpResponseMessage response, Guid? orgId = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), text);
        ApiAssert.RequestId(response);

        using var document = JsonDocument.Parse(text);
        var body = document.RootElement.Clone();
        Assert.That(body.ValueKind, Is.EqualTo(JsonValueKind.Object), text);
        Assert.That(body.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(ResourceKeys), text);
        Assert.Multiple(() =>
        {
            Assert.That(Guid.TryParseExact(body.GetProperty("id").GetString(), "D", out _), Is.True, text);
            Assert.That(body.GetProperty("org_id").GetString(), Is.EqualTo((orgId ?? Org.OrgId).ToString()), text);
            Assert.That(body.GetProperty("url").ValueKind, Is.EqualTo(JsonValueKind.String), text);
            Assert.That(body.GetProperty("description").ValueKind, Is.AnyOf(JsonValueKind.String, JsonValueKind.Null), text);
            Assert.That(body.GetProperty("events").ValueKind, Is.EqualTo(JsonValueKind.Array), text);
            Assert.That(body.GetProperty("active").ValueKind, Is.AnyOf(JsonValueKind.True, JsonValueKind.False), text);
            Assert.That(body.GetProperty("api_version").GetString(), Is.EqualTo(CurrentApiVersion), text);
            Assert.That(body.GetProperty("created_at").GetString(), Does.Match(TimestampPattern()), text);
            Assert.That(body.GetProperty("updated_at").GetString(), Does.Match(TimestampPattern()), text);
            Assert.That(body.GetProperty("deleted_at").ValueKind, Is.EqualTo(JsonValueKind.Null), text);
        });
        Assert.That(
            string.CompareOrdinal(body.GetProperty("updated_at").GetString(), body.GetProperty("created_at").GetString()),
            Is.GreaterThanOrEqualTo(0),
            "updated_at is not before created_at: " + text);
        return body;
    }

    /// <summary>A PATCH that succeeded: the resource (checked as above), equal to what <c>GET</c> then shows.</summary>
    protected async Task<JsonElement> AssertPatchedAsync(HttpResponseMessage response, Guid? orgId = null, HttpClient? client = null)
    {
        var patched = await AssertResourceAsync(response, orgId);
        var stored = await GetAsync(IdOf(patched), client, orgId);
        AssertSameResource(stored, patched, "GET after PATCH must show what PATCH returned");
        return patched;
    }

    /// <summary>The fields a PATCH may change, exactly.</summary>
    protected static void AssertState(JsonElement body, EndpointState expected)
    {
        var text = body.GetRawText();
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("url").GetString(), Is.EqualTo(expected.Url), text);
            var description = body.GetProperty("description");
            Assert.That(description.ValueKind == JsonValueKind.Null ? null : description.GetString(), Is.EqualTo(expected.Description), text);
            Assert.That(body.GetProperty("events").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(expected.Events), text);
            Assert.That(body.GetProperty("active").GetBoolean(), Is.EqualTo(expected.Active), text);
            Assert.That(body.GetProperty("api_version").GetString(), Is.EqualTo(expected.ApiVersion), text);
        });
    }

    /// <summary>
    /// <paramref name="after"/> is <paramref name="before"/> with <paramref name="expected"/> applied:
    /// same id, organization and creation time, the expected values, and an <c>updated_at</c> that
    /// did not go back.
    /// </summary>
    protected static void AssertPatchedFrom(JsonElement before, JsonElement after, EndpointState expected)
    {
        Assert.Multiple(() =>
        {
            foreach (var key in new[] { "id", "org_id", "created_at" })
            {
                Assert.That(after.GetProperty(key).GetString(), Is.EqualTo(before.GetProperty(key).GetString()), key);
            }

            Assert.That(
                string.CompareOrdinal(after.GetProperty("updated_at").GetString(), before.GetProperty("updated_at").GetString()),
                Is.GreaterThanOrEqualTo(0),
                "updated_at went back");
        });
        AssertState(after, expected);
    }

    protected static void AssertSameResource(JsonElement actual, JsonElement expected, string because)
    {
        Assert.That(JsonElement.DeepEquals(actual, expected), Is.True, $"{because}{Environment.NewLine}expected: {expected.GetRawText()}{Environment.NewLine}actual:   {actual.GetRawText()}");
    }

    /// <summary>A refused PATCH wrote nothing: <c>GET</c> shows exactly <paramref name="before"/>.</summary>
    protected async Task AssertUnchangedAsync(JsonElement before, HttpClient? client = null, Guid? orgId = null)
    {
        var stored = await GetAsync(IdOf(before), client, orgId);
        AssertSameResource(stored, before, "a refused PATCH must not write anything");
    }

    /// <summary>
    /// <c>400 VALIDATION_FAILED</c> with the whole envelope checked, <c>details</c> having exactly
    /// these keys, each with a non-empty message (for rules the source has no message for yet).
    /// </summary>
    protected static async Task AssertValidationKeysAsync(HttpResponseMessage response, params string[] keys)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), text);
        var requestId = ApiAssert.RequestId(response);
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "success", "error" }), text);
        Assert.That(root.GetProperty("success").ValueKind, Is.EqualTo(JsonValueKind.False), text);
        var error = root.GetProperty("error");
        Assert.That(error.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "code", "message", "request_id", "details" }), text);
        Assert.Multiple(() =>
        {
            Assert.That(error.GetProperty("code").GetString(), Is.EqualTo("VALIDATION_FAILED"), text);
            Assert.That(error.GetProperty("message").GetString(), Is.EqualTo("validation failed"), text);
            Assert.That(error.GetProperty("request_id").GetString(), Is.EqualTo(requestId), text);
            var details = error.GetProperty("details");
            Assert.That(details.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(keys), text);
            Assert.That(details.EnumerateObject().Select(p => p.Value.GetString()), Has.All.Not.Empty, text);
        });
    }

    /// <summary>A details dictionary from alternating keys and messages.</summary>
    protected static Dictionary<string, string> Details(params string[] keysAndMessages)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < keysAndMessages.Length; i += 2)
        {
            details.Add(keysAndMessages[i], keysAndMessages[i + 1]);
        }

        return details;
    }

    /// <summary>A JSON string literal for <paramref name="value"/>.</summary>
    protected static string Quote(string value) => JsonSerializer.Serialize(value);

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")]
    private static partial Regex TimestampPattern();
}
