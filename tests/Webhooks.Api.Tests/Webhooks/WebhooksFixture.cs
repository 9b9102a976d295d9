using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>The caller-visible state of an endpoint that a PATCH may change.</summary>
public sealed record EndpointState(string Url, string? Description, IReadOnlyList<string> Events, bool Active, string ApiVersion);

/// <summary>The stored row of an endpoint, read from the database directly.</summary>
public sealed record StoredEndpointRow(string Id, DateTimeOffset? DeletedAt, string SigningSecret, long Revision, string? PreviousSigningSecret, DateTimeOffset? PreviousSecretExpiresAt);

/// <summary>
/// Base of the endpoint-lifecycle fixtures (issue 4): one <see cref="ApiFactory"/> (a real SQLite
/// file) per fixture, an organization with a read-write key, and helpers for the lifecycle's
/// operations. Tests that count endpoints make an organization of their own.
/// </summary>
public abstract partial class WebhooksFixture : ApiFixture
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

    protected TestOrganization Org { get; private set; } = null!;

    /// <summary>A client with the organization's read-write key.</summary>
    protected HttpClient Client { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task CreateOrganizationAsync()
    {
        Org = await Factory.CreateOrganizationAsync("webhooks:read", "webhooks:write");
        Client = Factory.CreateClient(Org.Key);
    }

    [OneTimeTearDown]
    public void DisposeClient() => Client?.Dispose();

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

    protected Task<HttpResponseMessage> RotateAsync(string id, string? ifMatch = null, HttpClient? client = null, string? json = null) =>
        SendAsync(client ?? Client, HttpMethod.Post, $"/v1/webhooks/{id}/secret/rotate", ifMatch, json);

    protected Task<HttpResponseMessage> PatchAsync(string id, string json, string? ifMatch = null, HttpClient? client = null) =>
        SendAsync(client ?? Client, HttpMethod.Patch, $"/v1/webhooks/{id}", ifMatch, json);

    /// <summary>
    /// A success with the resource: this status, JSON, a request id, exactly the resource's keys (no
    /// secret), in the contract's formats; returns the body and the <c>ETag</c> (null when absent).
    /// </summary>
    protected static async Task<(JsonElement Resource, string? ETag)> AssertResourceWithETagAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await ApiAssert.JsonSuccess(response, status);
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

    /// <summary>The endpoint's row as stored (deleted or not), read on a context of its own.</summary>
    protected static Task<StoredEndpointRow?> ReadRowAsync(ApiFactory factory, string id) => factory.InDatabaseAsync(async db =>
    {
        var key = Guid.Parse(id);
        var rows = await db.Set<Domain.Webhooks.WebhookEndpoint>().AsNoTracking().Where(e => e.Id == key).ToListAsync();
        Assert.That(rows, Has.Count.AtMost(1), "one row per id");
        return rows.Select(e => new StoredEndpointRow(
            e.Id.ToString(), e.DeletedAt, e.ProtectedSecret, e.Revision, e.PreviousProtectedSecret, e.PreviousSecretExpiresAt)).SingleOrDefault();
    });

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
}
