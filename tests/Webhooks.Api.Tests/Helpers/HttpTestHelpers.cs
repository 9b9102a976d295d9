using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Api.Tests.Helpers;

/// <summary>Requests whose headers are sent exactly as given (no validation by <see cref="HttpClient"/>).</summary>
public static class RawRequests
{
    public static Task<HttpResponseMessage> SendAsync(
        HttpClient client,
        HttpMethod method,
        string path,
        string? authorization,
        HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (authorization is not null)
        {
            Assert.That(request.Headers.TryAddWithoutValidation("Authorization", authorization), Is.True);
        }

        return client.SendAsync(request);
    }

    /// <summary>A body of these bytes with exactly this <c>Content-Type</c> (none when null).</summary>
    public static ByteArrayContent Bytes(string text, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        if (contentType is not null)
        {
            Assert.That(content.Headers.TryAddWithoutValidation("Content-Type", contentType), Is.True);
        }

        return content;
    }
}

/// <summary>A body whose length is not known in advance: it is sent without <c>Content-Length</c>.</summary>
public sealed class UnknownLengthContent : HttpContent
{
    private readonly byte[] _bytes;

    public UnknownLengthContent(string text, string contentType)
    {
        _bytes = Encoding.UTF8.GetBytes(text);
        Headers.TryAddWithoutValidation("Content-Type", contentType);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        // In small pieces, as a streaming client would send it.
        for (var offset = 0; offset < _bytes.Length; offset += 4096)
        {
            await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(4096, _bytes.Length - offset)));
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

/// <summary>The webhook endpoint resource as the API shows it.</summary>
public static partial class WebhookResource
{
    public const string ApiVersion = "2026-04-01";

    public const string Url = "https://hooks.example.com/y3labs/ops";

    public const string MinimalBody = """{"url":"https://hooks.example.com/y3labs/ops","events":["wallet.balance_low","wallet.balance_zero"]}""";

    public static readonly string[] Keys =
        ["id", "org_id", "url", "description", "events", "active", "api_version", "created_at", "updated_at", "deleted_at"];

    /// <summary>The keys of a <c>POST</c> (or rotate) response: the resource's and the one-time <c>secret</c>.</summary>
    public static readonly string[] KeysWithSecret = [.. Keys, "secret"];

    /// <summary>
    /// POSTs the body, asserts 201 with a well-formed one-time <c>secret</c>, and returns the created
    /// resource: the response body without its <c>secret</c>, which is what GET then shows.
    /// </summary>
    public static async Task<JsonElement> CreateAsync(HttpClient client, string json = MinimalBody) =>
        (await CreateWithSecretAsync(client, json)).Resource;

    /// <summary>POSTs the body, asserts 201, and returns the resource (without the secret), the secret and the ETag.</summary>
    public static async Task<CreatedEndpoint> CreateWithSecretAsync(HttpClient client, string json = MinimalBody)
    {
        using var response = await client.PostJsonAsync("/v1/webhooks", json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
        var body = await Json.ReadAsync(response);
        var (resource, secret) = SplitSecret(body);
        Assert.That(response.Headers.ETag, Is.Not.Null, "POST answers with an ETag");
        return new CreatedEndpoint(resource, secret, response.Headers.ETag!.Tag);
    }

    /// <summary>
    /// A body that must carry a one-time secret (POST, rotate): asserts exactly the resource's keys plus
    /// <c>secret</c>, checks the secret's format, and returns the resource without it, and the secret.
    /// </summary>
    public static (JsonElement Resource, string Secret) SplitSecret(JsonElement body)
    {
        Assert.That(body.ValueKind, Is.EqualTo(JsonValueKind.Object), body.ToString());
        Assert.That(body.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(KeysWithSecret), body.ToString());
        var secret = AssertSecret(body.GetProperty("secret").GetString());
        var resource = new System.Text.Json.Nodes.JsonObject();
        foreach (var property in body.EnumerateObject().Where(p => p.Name != "secret"))
        {
            resource[property.Name] = System.Text.Json.Nodes.JsonNode.Parse(property.Value.GetRawText());
        }

        return (JsonSerializer.SerializeToElement(resource), secret);
    }

    /// <summary>A signing secret: <c>whsec_</c> and the standard base64 of 32 bytes.</summary>
    public static string AssertSecret(string? secret)
    {
        Assert.That(secret, Does.Match(SecretPattern()), "whsec_ + base64 of 32 bytes");
        Assert.That(Convert.FromBase64String(secret!["whsec_".Length..]), Has.Length.EqualTo(32));
        return secret!;
    }

    /// <summary>A POST response body: exactly the resource's keys and <c>secret</c>, each in its format.</summary>
    public static void AssertCreatedShape(JsonElement body) => AssertShape(SplitSecret(body).Resource);

    /// <summary>Exactly the resource's keys, of the right JSON kinds, in the formats of the contract.</summary>
    public static void AssertShape(JsonElement body)
    {
        Assert.That(body.ValueKind, Is.EqualTo(JsonValueKind.Object), body.ToString());
        Assert.That(body.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(Keys), body.ToString());
        AssertUuidV7(body.GetProperty("id").GetString());
        Assert.That(body.GetProperty("org_id").ValueKind, Is.EqualTo(JsonValueKind.String));
        Assert.That(Guid.TryParseExact(body.GetProperty("org_id").GetString(), "D", out _), Is.True);
        Assert.That(body.GetProperty("url").ValueKind, Is.EqualTo(JsonValueKind.String));
        Assert.That(body.GetProperty("description").ValueKind, Is.AnyOf(JsonValueKind.String, JsonValueKind.Null));
        Assert.That(body.GetProperty("events").ValueKind, Is.EqualTo(JsonValueKind.Array));
        Assert.That(body.GetProperty("active").ValueKind, Is.AnyOf(JsonValueKind.True, JsonValueKind.False));
        Assert.That(body.GetProperty("api_version").ValueKind, Is.EqualTo(JsonValueKind.String));
        AssertTimestamp(body.GetProperty("created_at").GetString());
        AssertTimestamp(body.GetProperty("updated_at").GetString());
    }

    public static string[] Events(JsonElement body) =>
        body.GetProperty("events").EnumerateArray().Select(e => e.GetString()!).ToArray();

    /// <summary>A UUID in its canonical lower-case form, version 7, RFC 4122 variant.</summary>
    public static Guid AssertUuidV7(string? text)
    {
        Assert.That(text, Does.Match("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"), "a version-7 UUID");
        var id = Guid.ParseExact(text!, "D");
        Assert.That(id.Version, Is.EqualTo(7));
        return id;
    }

    /// <summary>RFC 3339 in UTC with a <c>Z</c> suffix, to whole seconds.</summary>
    public static DateTimeOffset AssertTimestamp(string? text)
    {
        Assert.That(text, Does.Match(TimestampPattern()), "an RFC 3339 UTC timestamp with Z");
        return DateTimeOffset.ParseExact(text!, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }

    /// <summary>Asserts that the timestamp is between the two instants (to the second).</summary>
    public static void AssertBetween(DateTimeOffset value, DateTimeOffset before, DateTimeOffset after)
    {
        Assert.That(value, Is.GreaterThanOrEqualTo(before.AddSeconds(-1)).And.LessThanOrEqualTo(after.AddSeconds(1)));
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex TimestampPattern();

    [GeneratedRegex("^whsec_[A-Za-z0-9+/]{43}=$")]
    private static partial Regex SecretPattern();
}

/// <summary>What <c>POST /v1/webhooks</c> answered: the resource (without the secret), the secret, and the ETag.</summary>
public sealed record CreatedEndpoint(JsonElement Resource, string Secret, string ETag)
{
    public string Id => Resource.GetProperty("id").GetString()!;
}

/// <summary>Reads the service's database directly, through its own context.</summary>
public static class StoredData
{
    public static async Task<int> CountAsync<T>(IServiceProvider services)
        where T : class
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Set<T>().CountAsync();
    }

    public static Task<int> OrganizationsAsync(IServiceProvider services) => CountAsync<Organization>(services);

    public static Task<int> ApiKeysAsync(IServiceProvider services) => CountAsync<ApiKey>(services);

    public static Task<int> EndpointsAsync(IServiceProvider services) => CountAsync<WebhookEndpoint>(services);

    public static async Task<List<T>> AllAsync<T>(IServiceProvider services)
        where T : class
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Set<T>().AsNoTracking().ToListAsync();
    }
}

/// <summary>The error envelope without its request id, to compare two errors' bodies.</summary>
public static class EnvelopeText
{
    public static async Task<string> WithoutRequestIdAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        var requestId = document.RootElement.GetProperty("error").GetProperty("request_id").GetString();
        Assert.That(requestId, Is.Not.Null.And.Not.Empty);
        return text.Replace(requestId!, "<request-id>", StringComparison.Ordinal);
    }
}
