using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Webhooks.Api.Tests.Clients;

namespace Webhooks.Api.Tests.Http.BadInput;

/// <summary>How the bad-input suite builds and sends its requests.</summary>
public sealed partial class BadInputSuiteTests
{
    // ---- case builders ------------------------------------------------------------------------

    private static string Bearer(string key) => "Bearer " + key;

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>A valid POST body with <paramref name="field"/> set to the JSON <paramref name="value"/>.</summary>
    private static string PostWith(string field, string value)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["url"] = "\"https://hooks.example.com/suite-post\"",
            ["events"] = $"[\"{Low}\",\"{PastDue}\"]",
            [field] = value,
        };
        return "{" + string.Join(",", fields.Select(p => $"\"{p.Key}\":{p.Value}")) + "}";
    }

    private static SuiteCase Get(string category, string path, string? key, int[]? expect) =>
        new(category, HttpMethod.Get, path) { Authorization = key is null ? null : [Bearer(key)], Expect = expect };

    private SuiteCase V1Patch(string category, string id, string body, int[]? expect, string? key = null) =>
        V1Patch(category, id, Encoding.UTF8.GetBytes(body), expect, key);

    private SuiteCase V1Patch(string category, string id, byte[] body, int[]? expect, string? key = null) =>
        new(category, HttpMethod.Patch, $"/v1/webhooks/{id}")
        {
            Authorization = [Bearer(key ?? _keyA)], Body = body, ContentType = Json, Expect = expect, Effect = new Effect(EffectKind.Patch, EndpointId: id),
        };

    private SuiteCase V1PatchTo(string category, string path, string body, int[]? expect) =>
        new(category, HttpMethod.Patch, path) { Authorization = [Bearer(_keyA)], Body = Encoding.UTF8.GetBytes(body), ContentType = Json, Expect = expect };

    private SuiteCase V1Post(string category, string body, int[]? expect, string? key = null, Guid? org = null) =>
        V1Post(category, Encoding.UTF8.GetBytes(body), expect, key, org);

    private SuiteCase V1Post(string category, byte[] body, int[]? expect, string? key = null, Guid? org = null) =>
        new(category, HttpMethod.Post, "/v1/webhooks")
        {
            Authorization = [Bearer(key ?? _keyA)], Body = body, ContentType = Json, Expect = expect, Effect = new Effect(EffectKind.Create, OrgId: org ?? _orgA),
        };

    private static SuiteCase ClientGet(string category, string? authorization, int[]? expect) =>
        new(category, HttpMethod.Get, ClientsApi.Path) { Authorization = authorization is null ? null : [authorization], Expect = expect };

    private static SuiteCase ClientPatch(string category, IssuedClient client, string body, int[]? expect) =>
        ClientPatch(category, client, Encoding.UTF8.GetBytes(body), expect);

    private static SuiteCase ClientPatch(string category, IssuedClient client, byte[] body, int[]? expect) =>
        new(category, HttpMethod.Patch, ClientsApi.Path)
        {
            Authorization = [client.Authorization], Body = body, ContentType = Json, Expect = expect, Effect = new Effect(EffectKind.ClientPatch, ClientId: client.ClientId),
        };

    /// <summary>The same body to each of the three operations that take one.</summary>
    private IEnumerable<SuiteCase> BodyTargets(string category, string body, int[] expect, (string, string?) detail)
    {
        yield return V1Post(category, body, expect) with { Detail = detail };
        yield return V1Patch(category, _a1, body, expect) with { Detail = detail };
        yield return ClientPatch(category, _c1, body, expect) with { Detail = detail };
    }

    // ---- sending ------------------------------------------------------------------------------

    /// <summary>A response, whichever way it was sent.</summary>
    private sealed record Reply(int Status, Dictionary<string, string[]> Headers, string? ContentType, string Body, string ServerPath);

    private async Task<Reply> SendAsync(SuiteCase request)
    {
        try
        {
            return request.Raw ? await SendRawAsync(request) : await SendThroughClientAsync(request);
        }
        catch (Exception exception) when (exception is not AssertionException)
        {
            _violations.Add($"{request.Describe()}: the request failed in transport: {exception.GetType().Name}: {exception.Message}");
            return new Reply(0, new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase), null, string.Empty, request.Path);
        }
    }

    private async Task<Reply> SendThroughClientAsync(SuiteCase request)
    {
        using var message = new HttpRequestMessage(request.Method, request.Path);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                Assert.That(message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType), Is.True, request.ContentType);
            }
        }

        if (request.Authorization is not null)
        {
            Assert.That(message.Headers.TryAddWithoutValidation("Authorization", request.Authorization), Is.True);
        }

        foreach (var (name, value) in request.Headers)
        {
            Assert.That(message.Headers.TryAddWithoutValidation(name, value), Is.True, name);
        }

        using var response = await _http.SendAsync(message);
        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            headers[header.Key] = header.Value.ToArray();
        }

        var serverPath = PathString.FromUriComponent(new Uri(new Uri("http://localhost"), request.Path)).Value ?? "/";
        return new Reply((int)response.StatusCode, headers, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync(), serverPath);
    }

    private async Task<Reply> SendRawAsync(SuiteCase request)
    {
        var query = request.Path.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? request.Path : request.Path[..query];
        var context = await _factory.Server.SendAsync(c =>
        {
            c.Request.Method = request.Method.Method;
            c.Request.Path = new PathString(path);
            if (query >= 0)
            {
                c.Request.QueryString = new QueryString(request.Path[query..]);
            }

            if (request.Authorization is not null)
            {
                c.Request.Headers.Authorization = new StringValues(request.Authorization);
            }

            foreach (var (name, value) in request.Headers)
            {
                c.Request.Headers.Append(name, value);
            }

            if (request.Body is not null)
            {
                c.Request.Body = new MemoryStream(request.Body);
                c.Request.ContentLength = request.Body.Length;
                if (request.ContentType is not null)
                {
                    c.Request.Headers.ContentType = request.ContentType;
                }
            }
        });
        var headers = context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? string.Empty).ToArray(), StringComparer.OrdinalIgnoreCase);
        using var reader = new StreamReader(context.Response.Body);
        return new Reply(context.Response.StatusCode, headers, context.Response.ContentType, await reader.ReadToEndAsync(), path);
    }
}
