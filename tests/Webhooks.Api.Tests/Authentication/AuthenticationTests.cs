using Webhooks.Application.Common;
using Webhooks.Application.Organizations.CreateApiKey;

namespace Webhooks.Api.Tests.Authentication;

/// <summary>
/// <c>Authorization: Bearer am_live_...</c> on every <c>/v1</c> operation: a missing, malformed,
/// unknown or revoked key is one indistinguishable 401; a key without the scope is a 403.
/// </summary>
public sealed partial class AuthenticationTests
{
    private const string PatchBody = """{"description":"changed by the caller"}""";

    private ApiFactory _factory = null!;
    private TestOrganization _org = null!;
    private string _endpointId = null!;
    private JsonElement _endpoint;
    private string _endpointETag = null!;

    public enum Operation
    {
        Get,
        Post,
        Patch,
        List,
        Delete,
        RotateSecret,
        EventTypes,
    }

    /// <summary>An <c>Authorization</c> value to send; <c>{key}</c> stands for a valid key, <c>{suffix}</c> for its random part.</summary>
    public sealed record AuthorizationCase(string Name, string? Template)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<AuthorizationCase> RefusedAuthorizations()
    {
        yield return new("no Authorization header", null);
        yield return new("empty Authorization header", string.Empty);
        yield return new("Bearer without a token", "Bearer");
        yield return new("Bearer with an empty token", "Bearer ");
        yield return new("Bearer with only spaces", "Bearer     ");
        yield return new("Basic scheme with the key", "Basic {key}");
        yield return new("Basic scheme with credentials", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:password")));
        yield return new("Token scheme", "Token {key}");
        yield return new("no scheme", "{key}");
        yield return new("scheme glued to the key", "Bearer{key}");
        yield return new("BearerX scheme", "BearerX {key}");
        yield return new("wrong prefix am_test_", "Bearer am_test_{suffix}");
        yield return new("upper-case prefix", "Bearer AM_LIVE_{suffix}");
        yield return new("prefix only", "Bearer am_live_");
        yield return new("too short (prefix + 31)", "Bearer am_live_" + new string('a', 31));
        yield return new("invalid character !", "Bearer {key}!");
        yield return new("invalid characters + and /", "Bearer am_live_" + new string('a', 20) + "+/" + new string('b', 21));
        yield return new("invalid character =", "Bearer am_live_" + new string('a', 42) + "=");
        yield return new("invalid character .", "Bearer am_live_" + new string('a', 21) + "." + new string('b', 21));
        yield return new("space inside the key", "Bearer {key} {key}");
        yield return new("quoted key", "Bearer \"{key}\"");
        yield return new("non-ASCII letter", "Bearer am_live_" + new string('a', 42) + "é");
        yield return new("over 256 characters (257)", "Bearer am_live_" + new string('a', 249));
        yield return new("much too long", "Bearer am_live_" + new string('a', 5000));
        yield return new("well-formed but unknown", "Bearer " + RandomSecrets.ApiKey());
        yield return new("well-formed, 256 characters, unknown", "Bearer am_live_" + new string('a', 248));
        yield return new("the key with one more character", "Bearer {key}A");
        yield return new("the key without its last character", "Bearer {key-1}");
        yield return new("the key in upper case", "Bearer am_live_{SUFFIX}");
    }

    [OneTimeSetUp]
    public async Task StartService()
    {
        _factory = new ApiFactory();
        _org = await _factory.CreateOrganizationAsync();
        var created = await WebhookResource.CreateWithSecretAsync(_factory.CreateClient(_org.Key));
        _endpoint = created.Resource;
        _endpointId = created.Id;
        _endpointETag = created.ETag;
    }

    [OneTimeTearDown]
    public void StopService() => _factory.Dispose();

    [Test]
    [Combinatorial]
    public async Task Request_WithRefusedAuthorization_Is401AndChangesNothing(
        [ValueSource(nameof(RefusedAuthorizations))] AuthorizationCase authorization,
        [Values] Operation operation)
    {
        var endpointsBefore = await StoredData.EndpointsAsync(_factory.Services);

        var response = await SendAsync(_factory.CreateClient((string?)null), operation, Expand(authorization.Template));

        await ApiAssert.Unauthorized(response);
        Assert.That(await StoredData.EndpointsAsync(_factory.Services), Is.EqualTo(endpointsBefore), "nothing created");
        await AssertEndpointUnchanged();
    }

    [TestCase("bearer")]
    [TestCase("BEARER")]
    [TestCase("Bearer")]
    [TestCase("bEaReR")]
    public async Task Get_WithBearerSchemeInAnyCase_Is200(string scheme)
    {
        var response = await SendAsync(_factory.CreateClient((string?)null), Operation.Get, $"{scheme} {_org.Key}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        ApiAssert.RequestId(response);
        Assert.That(JsonElement.DeepEquals(await Json.ReadAsync(response), _endpoint), Is.True);
    }

    [Test]
    public async Task PostAndPatch_WithLowerCaseBearerScheme_Succeed()
    {
        var client = _factory.CreateClient((string?)null);

        var created = await RawRequests.SendAsync(client, HttpMethod.Post, "/v1/webhooks", $"bearer {_org.Key}", Json.Body(WebhookResource.MinimalBody));
        var createdBody = await created.Content.ReadAsStringAsync();
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), createdBody);
        var id = JsonDocument.Parse(createdBody).RootElement.GetProperty("id").GetString();

        var patched = await RawRequests.SendAsync(client, HttpMethod.Patch, $"/v1/webhooks/{id}", $"bearer {_org.Key}", Json.Body(PatchBody));
        var patchedBody = await patched.Content.ReadAsStringAsync();
        Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.OK), patchedBody);
        Assert.That(JsonDocument.Parse(patchedBody).RootElement.GetProperty("description").GetString(), Is.EqualTo("changed by the caller"));
    }

    [Test]
    public async Task Request_WithTwoAuthorizationHeaders_Is401()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/webhooks/{_endpointId}");
        request.Headers.TryAddWithoutValidation("Authorization", [$"Bearer {_org.Key}", $"Bearer {_org.Key}"]);

        var response = await _factory.CreateClient((string?)null).SendAsync(request);

        await ApiAssert.Unauthorized(response);
    }

    [Test]
    public async Task RevokedKey_AfterWorking_Is401OnGetPostAndPatch_WhileAnotherKeyOfTheOrganizationStillWorks()
    {
        var org = await _factory.CreateOrganizationAsync();
        var otherKey = await _factory.CreateKeyAsync(org.OrgId, "webhooks:read", "webhooks:write");
        var client = _factory.CreateClient(org.Key);
        var endpoint = await WebhookResource.CreateAsync(client);
        var path = $"/v1/webhooks/{endpoint.GetProperty("id").GetString()}";
        Assert.That((await client.GetAsync(path)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the key works before it is revoked");

        await _factory.RevokeKeyAsync(org.KeyId);

        var endpointsBefore = await StoredData.EndpointsAsync(_factory.Services);
        await ApiAssert.Unauthorized(await client.GetAsync(path));
        await ApiAssert.Unauthorized(await client.PostJsonAsync("/v1/webhooks", WebhookResource.MinimalBody));
        await ApiAssert.Unauthorized(await client.PatchAsync(path, PatchBody));
        Assert.That(await StoredData.EndpointsAsync(_factory.Services), Is.EqualTo(endpointsBefore));

        var other = await _factory.CreateClient(otherKey).GetAsync(path);
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK), await other.Content.ReadAsStringAsync());
        Assert.That(JsonElement.DeepEquals(await Json.ReadAsync(other), endpoint), Is.True, "the revoked key's PATCH changed nothing");
    }

    [Test]
    public async Task Unauthorized_ResponsesAreIdenticalWhateverTheReason()
    {
        var org = await _factory.CreateOrganizationAsync();
        await _factory.RevokeKeyAsync(org.KeyId);
        var client = _factory.CreateClient((string?)null);
        var path = $"/v1/webhooks/{_endpointId}";
        var reasons = new[]
        {
            await RawRequests.SendAsync(client, HttpMethod.Get, path, null),
            await RawRequests.SendAsync(client, HttpMethod.Get, path, "Basic abc"),
            await RawRequests.SendAsync(client, HttpMethod.Get, path, "Bearer am_live_short"),
            await RawRequests.SendAsync(client, HttpMethod.Get, path, "Bearer " + RandomSecrets.ApiKey()),
            await RawRequests.SendAsync(client, HttpMethod.Get, path, "Bearer " + org.Key),
        };

        var bodies = new List<string>();
        foreach (var response in reasons)
        {
            await ApiAssert.Unauthorized(response);
            bodies.Add(await EnvelopeText.WithoutRequestIdAsync(response));
        }

        Assert.That(bodies.Distinct(), Has.Exactly(1).Items, string.Join("\n", bodies));
        Assert.That(
            reasons.Select(HeadersExceptRequestId).Distinct(),
            Has.Exactly(1).Items,
            "the same headers");
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Operation operation, string? authorization, string? endpointId = null)
    {
        return operation switch
        {
            Operation.Get => await RawRequests.SendAsync(client, HttpMethod.Get, $"/v1/webhooks/{endpointId}", authorization),
            Operation.Post => await RawRequests.SendAsync(client, HttpMethod.Post, "/v1/webhooks", authorization, Json.Body(WebhookResource.MinimalBody)),
            Operation.Patch => await RawRequests.SendAsync(client, HttpMethod.Patch, $"/v1/webhooks/{endpointId}", authorization, Json.Body(PatchBody)),
            Operation.List => await RawRequests.SendAsync(client, HttpMethod.Get, "/v1/webhooks", authorization),
            Operation.Delete => await RawRequests.SendAsync(client, HttpMethod.Delete, $"/v1/webhooks/{endpointId}", authorization),
            Operation.RotateSecret => await RawRequests.SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{endpointId}/secret/rotate", authorization),
            Operation.EventTypes => await RawRequests.SendAsync(client, HttpMethod.Get, "/v1/event-types", authorization),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };
    }

    private Task<HttpResponseMessage> SendAsync(HttpClient client, Operation operation, string? authorization) =>
        SendAsync(client, operation, authorization, _endpointId);

    private static string HeadersExceptRequestId(HttpResponseMessage response) =>
        string.Join(";", response.Headers.Concat(response.Content.Headers)
            .Where(h => !h.Key.Equals("X-Request-Id", StringComparison.OrdinalIgnoreCase) && !h.Key.Equals("Date", StringComparison.OrdinalIgnoreCase))
            .OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .Select(h => $"{h.Key}={string.Join(",", h.Value)}"));

    private string? Expand(string? template)
    {
        if (template is null)
        {
            return null;
        }

        var suffix = _org.Key["am_live_".Length..];
        return template
            .Replace("{key-1}", _org.Key[..^1], StringComparison.Ordinal)
            .Replace("{key}", _org.Key, StringComparison.Ordinal)
            .Replace("{suffix}", suffix, StringComparison.Ordinal)
            .Replace("{SUFFIX}", suffix.ToUpperInvariant(), StringComparison.Ordinal);
    }

    private async Task AssertEndpointUnchanged()
    {
        var response = await _factory.CreateClient(_org.Key).GetAsync($"/v1/webhooks/{_endpointId}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the endpoint must not be deleted");
        Assert.That(JsonElement.DeepEquals(await Json.ReadAsync(response), _endpoint), Is.True, "the endpoint must not change");
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo(_endpointETag), "the endpoint must not change (no new revision, e.g. a rotated secret)");
    }
}
