using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Webhooks.Api.Tests.Helpers;
using Webhooks.Api.Tests.Support;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>The caller-visible state of an endpoint that a PATCH may change.</summary>
public sealed record EndpointState(string Url, string? Description, IReadOnlyList<string> Events, bool Active, string ApiVersion);

/// <summary>One page of <c>GET /v1/webhooks</c>, checked for its shape.</summary>
public sealed record WebhookPage(IReadOnlyList<JsonElement> Data, bool HasMore, string? NextCursor)
{
    public IReadOnlyList<string> Ids => [.. Data.Select(item => item.GetProperty("id").GetString()!)];
}

/// <summary>The stored row of an endpoint, read from the SQLite file directly.</summary>
public sealed record StoredEndpointRow(string Id, DateTimeOffset? DeletedAt, string SigningSecret, long Revision);

/// <summary>
/// Base of the endpoint-lifecycle fixtures (issue 4): one <see cref="ApiFactory"/> (a real SQLite
/// file) per fixture, an organization with a read-write key, and helpers for the lifecycle's
/// operations. Tests that count endpoints make an organization of their own.
/// </summary>
public abstract partial class WebhooksFixture
{
    public const string PageKeys = "data,has_more,next_cursor";

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

    protected ApiFactory Factory { get; private set; } = null!;

    protected TestOrganization Org { get; private set; } = null!;

    /// <summary>A client with the organization's read-write key.</summary>
    protected HttpClient Client { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartApiAsync()
    {
        Factory = CreateFactory();
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

    protected virtual ApiFactory CreateFactory() => new();

    /// <summary>A new organization with a read-write key, and a client using it.</summary>
    protected async Task<(TestOrganization Org, HttpClient Client)> NewOrganizationAsync()
    {
        var org = await Factory.CreateOrganizationAsync("webhooks:read", "webhooks:write");
        return (org, Factory.CreateClient(org.Key));
    }

    /// <summary>Creates an endpoint (201 checked, the secret's format too).</summary>
    protected Task<CreatedEndpoint> CreateAsync(HttpClient? client = null, string? url = null, string? description = null)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["url"] = url ?? WebhookResource.Url,
            ["events"] = new[] { "wallet.balance_low", "wallet.balance_zero" },
            ["description"] = description,
        });
        return WebhookResource.CreateWithSecretAsync(client ?? Client, body);
    }

    /// <summary>
    /// Creates <paramref name="count"/> endpoints one after another, each in a later millisecond than
    /// the previous one (version-7 ids order by millisecond), and returns their ids in creation order.
    /// </summary>
    protected async Task<List<string>> CreateManyAsync(int count, HttpClient? client = null, string label = "endpoint")
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                await Task.Delay(2);
            }

            var created = await CreateAsync(client, $"https://hooks.example.com/{label}/{i}", $"{label} {i}");
            ids.Add(created.Id);
        }

        AssertCreationOrder(ids);
        return ids;
    }

    /// <summary>Version-7 ids of endpoints created one after another order like their creation.</summary>
    protected static void AssertCreationOrder(IReadOnlyList<string> ids)
    {
        for (var i = 1; i < ids.Count; i++)
        {
            Assert.That(string.CompareOrdinal(ids[i], ids[i - 1]), Is.GreaterThan(0), $"ids are time-ordered: {ids[i - 1]} then {ids[i]}");
        }
    }

    /// <summary>A request with an optional <c>If-Match</c> (sent exactly as given) and an optional JSON body.</summary>
    protected static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? ifMatch = null, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = Json.Body(json);
        }

        if (ifMatch is not null)
        {
            Assert.That(request.Headers.TryAddWithoutValidation("If-Match", ifMatch), Is.True);
        }

        return client.SendAsync(request);
    }

    protected Task<HttpResponseMessage> DeleteAsync(string id, string? ifMatch = null, HttpClient? client = null) =>
        SendAsync(client ?? Client, HttpMethod.Delete, $"/v1/webhooks/{id}", ifMatch);

    protected Task<HttpResponseMessage> RotateAsync(string id, string? ifMatch = null, HttpClient? client = null) =>
        SendAsync(client ?? Client, HttpMethod.Post, $"/v1/webhooks/{id}/secret/rotate", ifMatch);

    protected Task<HttpResponseMessage> PatchAsync(string id, string json, string? ifMatch = null, HttpClient? client = null) =>
        SendAsync(client ?? Client, HttpMethod.Patch, $"/v1/webhooks/{id}", ifMatch, json);

    /// <summary>
    /// A success with the resource: this status, JSON, a request id, exactly the resource's keys (no
    /// secret), in the contract's formats; returns the body and the <c>ETag</c> (null when absent).
    /// </summary>
    protected static async Task<(JsonElement Resource, string? ETag)> AssertResourceWithETagAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), text);
        ApiAssert.RequestId(response);
        var body = await Json.ReadAsync(response);
        WebhookResource.AssertShape(body);
        return (body, response.Headers.ETag?.Tag);
    }

    /// <summary><c>GET /v1/webhooks/{id}</c>: 200 with the resource (no secret) and its ETag.</summary>
    protected async Task<(JsonElement Resource, string ETag)> GetWithETagAsync(string id, HttpClient? client = null)
    {
        using var response = await (client ?? Client).GetAsync($"/v1/webhooks/{id}");
        var (resource, etag) = await AssertResourceWithETagAsync(response);
        Assert.That(etag, Is.Not.Null, "GET answers with an ETag");
        return (resource, etag!);
    }

    /// <summary><c>GET /v1/webhooks{query}</c>: 200 with a page of exactly <c>data</c>, <c>has_more</c>, <c>next_cursor</c>.</summary>
    protected async Task<WebhookPage> ListAsync(string query = "", HttpClient? client = null)
    {
        using var response = await (client ?? Client).GetAsync("/v1/webhooks" + query);
        return await AssertPageAsync(response);
    }

    protected static async Task<WebhookPage> AssertPageAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), text);
        ApiAssert.RequestId(response);
        var body = await Json.ReadAsync(response);
        Assert.That(body.ValueKind, Is.EqualTo(JsonValueKind.Object), text);
        Assert.That(body.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(PageKeys.Split(',')), text);
        var data = body.GetProperty("data");
        Assert.That(data.ValueKind, Is.EqualTo(JsonValueKind.Array), text);
        var hasMore = body.GetProperty("has_more");
        Assert.That(hasMore.ValueKind, Is.AnyOf(JsonValueKind.True, JsonValueKind.False), text);
        var cursor = body.GetProperty("next_cursor");
        Assert.That(cursor.ValueKind, Is.AnyOf(JsonValueKind.String, JsonValueKind.Null), text);
        var items = data.EnumerateArray().Select(item => item.Clone()).ToList();
        foreach (var item in items)
        {
            WebhookResource.AssertShape(item);
            Assert.That(item.GetProperty("deleted_at").ValueKind, Is.EqualTo(JsonValueKind.Null), "a listed endpoint is not deleted");
        }

        var nextCursor = cursor.ValueKind == JsonValueKind.Null ? null : cursor.GetString();
        Assert.That(nextCursor is not null, Is.EqualTo(hasMore.GetBoolean()), "next_cursor is null exactly when there is no more: " + text);
        Assert.That(nextCursor, Is.Null.Or.Not.Empty);
        return new WebhookPage(items, hasMore.GetBoolean(), nextCursor);
    }

    /// <summary>Every page of the list with this limit, following <c>next_cursor</c>; the ids in the order received.</summary>
    protected async Task<List<string>> ListAllIdsAsync(int limit, HttpClient? client = null)
    {
        var ids = new List<string>();
        string? cursor = null;
        for (var pages = 0; ; pages++)
        {
            Assert.That(pages, Is.LessThan(1000), "the list must end");
            var page = await ListAsync(Query(limit, cursor), client);
            Assert.That(page.Data, Has.Count.LessThanOrEqualTo(limit));
            ids.AddRange(page.Ids);
            if (!page.HasMore)
            {
                return ids;
            }

            Assert.That(page.Data, Has.Count.EqualTo(limit), "a page before the last one is full");
            cursor = page.NextCursor;
        }
    }

    protected static string Query(int? limit = null, string? cursor = null)
    {
        var parts = new List<string>();
        if (limit is not null)
        {
            parts.Add("limit=" + limit.Value.ToString(CultureInfo.InvariantCulture));
        }

        if (cursor is not null)
        {
            parts.Add("cursor=" + Uri.EscapeDataString(cursor));
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join("&", parts);
    }

    /// <summary>The revision in an ETag <c>"&lt;id without dashes&gt;.&lt;revision&gt;"</c>, after checking that it names this endpoint.</summary>
    protected static int RevisionOf(string? etag, string id)
    {
        Assert.That(etag, Is.Not.Null, "an ETag");
        var prefix = $"\"{Guid.Parse(id):N}.";
        Assert.That(etag, Does.StartWith(prefix).And.EndWith("\""), "a strong ETag naming the endpoint");
        return int.Parse(etag![prefix.Length..^1], NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>404 NOT_FOUND, byte for byte the answer for an id that never existed (request id aside).</summary>
    protected static async Task AssertSameNotFoundAsync(HttpResponseMessage response, HttpResponseMessage unknown, string because)
    {
        await ApiAssert.NotFound(response);
        Assert.That(await EnvelopeText.WithoutRequestIdAsync(response), Is.EqualTo(await EnvelopeText.WithoutRequestIdAsync(unknown)), because);
        Assert.That(response.Headers.ETag, Is.Null, because);
    }

    /// <summary>The endpoint's row, read from the service's SQLite file through a read-only connection of its own.</summary>
    protected static async Task<StoredEndpointRow?> ReadRowAsync(string databasePath, string id)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, deleted_at, signing_secret, revision FROM webhook_endpoints WHERE upper(id) = upper($id)";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        var row = new StoredEndpointRow(
            reader.GetString(0),
            reader.IsDBNull(1) ? null : new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
            reader.GetString(2),
            reader.GetInt64(3));
        Assert.That(await reader.ReadAsync(), Is.False, "one row per id");
        return row;
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
    /// A <c>200</c> with the resource (see <see cref="AssertResourceWithETagAsync"/>) of this
    /// organization, at the current <c>api_version</c>, not deleted, <c>updated_at</c> not before
    /// <c>created_at</c>.
    /// </summary>
    protected async Task<JsonElement> AssertResourceAsync(HttpResponseMessage response, Guid? orgId = null)
    {
        var (body, _) = await AssertResourceWithETagAsync(response);
        var text = body.GetRawText();
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("org_id").GetString(), Is.EqualTo((orgId ?? Org.OrgId).ToString()), text);
            Assert.That(body.GetProperty("api_version").GetString(), Is.EqualTo(CurrentApiVersion), text);
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
}
