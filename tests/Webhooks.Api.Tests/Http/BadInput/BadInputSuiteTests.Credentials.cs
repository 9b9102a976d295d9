using Webhooks.Api.Http;
using Webhooks.Api.Tests.Clients;
using Webhooks.Application.Webhooks.ListWebhooks;

namespace Webhooks.Api.Tests.Http.BadInput;

/// <summary>The bad-input suite's classes of bad queries and credentials, and its requests in sequence.</summary>
public sealed partial class BadInputSuiteTests
{
    private IEnumerable<SuiteCase> QueryTricks()
    {
        const string C = "query tricks";
        foreach (var query in new[] { "limit=0", "limit=-1", "limit=101", "limit=abc", "limit=1e2", "limit=1.5", "limit=%00", "limit=%EF%BC%95" })
        {
            yield return Get(C, "/v1/webhooks?" + query, _keyA, Invalid) with { Detail = ("limit", ListWebhooksQuery.InvalidLimitMessage) };
        }

        foreach (var query in new[] { "cursor=garbage", "cursor=%00%ff", "cursor=" + new string('A', 5000), "cursor=../../etc/passwd" })
        {
            yield return Get(C, "/v1/webhooks?" + query, _keyA, Invalid) with { Detail = ("cursor", ListWebhooksQuery.InvalidCursorMessage) };
        }

        // An empty value: the service takes it as absent (the first page, the default size).
        yield return Get(C, "/v1/webhooks?limit=", _keyA, [200, 400]) with { Detail = ("limit", ListWebhooksQuery.InvalidLimitMessage) };
        yield return Get(C, "/v1/webhooks?cursor=", _keyA, [200, 400]) with { Detail = ("cursor", ListWebhooksQuery.InvalidCursorMessage) };
        yield return Get(C, "/v1/webhooks?limit=1&limit=2", _keyA, null);
        yield return Get(C, "/v1/webhooks?limit=100&unknown=1&%zz=1", _keyA, null);
        yield return Get(C, "/v1/webhooks?limit=0&cursor=bad", _keyA, Invalid) with { Detail = ("cursor", ListWebhooksQuery.InvalidCursorMessage) };
    }

    private IEnumerable<SuiteCase> WrongSchemes()
    {
        const string C = "wrong auth schemes";
        var basicC1 = _c1.Authorization;
        var patchBody = """{"description":"wrong scheme"}""";
        foreach (var header in new[]
        {
            basicC1, "Token " + _keyA, "Bearer", "Bearer ", _keyA, "Digest username=\"x\", realm=\"r\"", "Negotiate YII=", "NTLM TlRMTVNTUAAB",
            "Bearer " + _keyA + " extra", "Bearer\t" + _keyA, "Bearer:" + _keyA, "ApiKey " + _keyA,
        })
        {
            yield return Get(C, "/v1/webhooks", null, Unauthorized) with { Authorization = [header], Raw = true };
            yield return V1Patch(C, _a1, patchBody, Unauthorized) with { Authorization = [header], Raw = true };
        }

        // Scheme names are case-insensitive (RFC 9110), and surrounding white space is not part of the key.
        foreach (var header in new[] { "bearer " + _keyA, "BEARER " + _keyA, "Bearer   " + _keyA + "  " })
        {
            yield return V1Patch(C, _a1, """{"description":"scheme case"}""", [200, 401]) with { Authorization = [header], Raw = true };
        }

        foreach (var header in new[]
        {
            "Bearer " + _keyA, "Basic", "Basic ", "Basic !!!notbase64!!!", "Basic " + B64(_c1.Id), "Basic " + B64(_c1.Id + ":"), "Basic " + B64(":" + _c1.ClientSecret),
            basicC1 + "xyz", "Basic " + B64(_c1.Id + ":" + _c1.ClientSecret + "\n"), "Digest " + basicC1[6..], "Basic " + Convert.ToBase64String([0xFF, 0xFE, 0x3A, 0x41]), _c1.ClientSecret,
        })
        {
            yield return ClientGet(C, header, Unauthorized) with { Raw = true };
            yield return ClientPatch(C, _c1, ClientsApi.UrlBody("https://hooks.example.com/wrong-scheme"), Unauthorized) with { Authorization = [header], Raw = true };
        }

        foreach (var header in new[] { "basic " + basicC1[6..], "Basic  " + basicC1[6..] + " ", "Basic " + B64(_c1.Id.ToUpperInvariant() + ":" + _c1.ClientSecret) })
        {
            yield return ClientPatch(C, _c1, ClientsApi.UrlBody("https://hooks.example.com/scheme-case"), [200, 401]) with { Authorization = [header], Raw = true };
        }
    }

    private IEnumerable<SuiteCase> WrongKeys()
    {
        const string C = "wrong keys";
        var random = _keyA["am_live_".Length..];
        foreach (var key in new[]
        {
            "am_live_", "am_live_short", _keyA[..^1], _keyA + "x", "am_test_" + random, "AM_LIVE_" + random, "am_live_" + random.ToUpperInvariant(),
            "am_live_" + random[..10] + " " + random[10..], "am_live_" + new string('a', 10_000), "am_live_" + random[..^1] + "é", "am_live_" + random[..^1] + "\0",
            "am_live_" + new string('a', 32), "am_live_" + random[..^2] + "==",
        })
        {
            yield return Get(C, "/v1/webhooks", key, Unauthorized);
            yield return V1Patch(C, _a1, """{"description":"wrong key"}""", Unauthorized, key);
            yield return V1Post(C, $$"""{"url":"https://hooks.example.com/wrong-key","events":["{{Low}}"]}""", Unauthorized, key, _orgA);
        }
    }

    private IEnumerable<SuiteCase> RevokedAndReadOnly()
    {
        const string C = "revoked and read-only keys";
        yield return Get(C, "/v1/webhooks", _revokedKeyA, Unauthorized);
        yield return Get(C, $"/v1/webhooks/{_a1}", _revokedKeyA, Unauthorized);
        yield return V1Patch(C, _a1, """{"description":"revoked"}""", Unauthorized, _revokedKeyA);
        yield return V1Post(C, $$"""{"url":"https://hooks.example.com/revoked","events":["{{Low}}"]}""", Unauthorized, _revokedKeyA, _orgA);
        yield return new SuiteCase(C, HttpMethod.Delete, $"/v1/webhooks/{_a2}") { Authorization = [Bearer(_revokedKeyA)], Expect = Unauthorized, Effect = new Effect(EffectKind.Delete, EndpointId: _a2) };
        yield return new SuiteCase(C, HttpMethod.Post, $"/v1/webhooks/{_a1}/secret/rotate") { Authorization = [Bearer(_revokedKeyA)], Expect = Unauthorized };
        yield return V1Patch(C, _a1, """{"description":"read only"}""", Forbidden, _keyARead);
        yield return V1Patch(C, _a1, "{", Forbidden, _keyARead);
        yield return V1Post(C, $$"""{"url":"https://hooks.example.com/read-only","events":["{{Low}}"]}""", Forbidden, _keyARead, _orgA);
        yield return new SuiteCase(C, HttpMethod.Delete, $"/v1/webhooks/{_a3}") { Authorization = [Bearer(_keyARead)], Expect = Forbidden, Effect = new Effect(EffectKind.Delete, EndpointId: _a3) };
        yield return new SuiteCase(C, HttpMethod.Post, $"/v1/webhooks/{_a1}/secret/rotate") { Authorization = [Bearer(_keyARead)], Expect = Forbidden };
        yield return Get(C, $"/v1/webhooks/{_a1}", _keyARead, Ok);
        yield return Get(C, $"/v1/webhooks/{_b1}", _keyARead, NotFound);
    }

    /// <summary>
    /// Authentication, scope, then the body: a caller without the scope gets 403 whatever it sends,
    /// a body over the limit and one that is not JSON (or has no media type) included.
    /// </summary>
    private IEnumerable<SuiteCase> ScopeBeforeBody()
    {
        const string C = "scope before body";
        var tooLarge = $$"""{"description":"{{new string('a', 70_000)}}"}""";
        var url = ClientsApi.UrlBody("https://hooks.example.com/" + new string('c', 70_000));
        foreach (var contentType in new string?[] { Json, "text/plain", "application/xml", "application/x-www-form-urlencoded", null })
        {
            yield return V1Patch(C, _a1, tooLarge, Forbidden, _keyARead) with { ContentType = contentType };
            yield return V1Post(C, tooLarge, Forbidden, _keyARead) with { ContentType = contentType };
            yield return ClientPatch(C, _suspended, url, Forbidden) with { ContentType = contentType };
            if (contentType != Json)
            {
                yield return V1Patch(C, _a1, """{"description":"read only"}""", Forbidden, _keyARead) with { ContentType = contentType };
                yield return V1Post(C, $$"""{"url":"https://hooks.example.com/read-only","events":["{{Low}}"]}""", Forbidden, _keyARead) with { ContentType = contentType };
                yield return ClientPatch(C, _suspended, ClientsApi.UrlBody("https://hooks.example.com/suspended"), Forbidden) with { ContentType = contentType };
            }
        }
    }

    private IEnumerable<SuiteCase> OtherOrganization()
    {
        const string C = "another organization's ids";
        foreach (var (key, id) in new[] { (_keyB, _a1), (_keyB, _a2), (_keyB, _a3), (_keyA, _b1), (_keyA, _b2), (_keyA, _aDeleted), (_keyB, _aDeleted) })
        {
            yield return Get(C, $"/v1/webhooks/{id}", key, NotFound);
            yield return V1Patch(C, id, """{"description":"cross-org","active":false}""", NotFound, key);
            yield return V1Patch(C, id, $$"""{"url":"https://hooks.example.com/cross","events":["{{Canceled}}"]}""", NotFound, key) with { Headers = [("If-Match", "*")] };
            yield return new SuiteCase(C, HttpMethod.Delete, $"/v1/webhooks/{id}") { Authorization = [Bearer(key)], Expect = NotFound, Effect = new Effect(EffectKind.Delete, EndpointId: id) };
            yield return new SuiteCase(C, HttpMethod.Post, $"/v1/webhooks/{id}/secret/rotate") { Authorization = [Bearer(key)], Expect = NotFound };
        }

        // The body's shape is checked before existence: a malformed body is a 400 whoever owns the id.
        yield return V1Patch(C, _a1, "{", Invalid, _keyB) with { Detail = ("body", NotJson) };
        yield return V1Patch(C, _a1, """{"org_id":"x"}""", Invalid, _keyB) with { Detail = ("org_id", JsonObjectReader.ReadOnlyMessage) };
    }

    private IEnumerable<SuiteCase> SuspendedClient()
    {
        const string C = "suspended client";
        yield return ClientGet(C, _suspended.Authorization, Forbidden);
        yield return ClientPatch(C, _suspended, ClientsApi.UrlBody("https://hooks.example.com/while-suspended"), Forbidden);
        yield return ClientPatch(C, _suspended, ClientsApi.UrlBody(string.Empty), Forbidden);
        yield return ClientPatch(C, _suspended, "{", Forbidden);
        yield return ClientPatch(C, _suspended, "{}", Forbidden);
        yield return ClientPatch(C, _suspended, """{"webhook_url":1}""", Forbidden);
        yield return ClientPatch(C, _suspended, ClientsApi.UrlBody("https://localhost/suspended"), Forbidden);
    }

    private IEnumerable<SuiteCase> WrongClientCredentials()
    {
        const string C = "wrong client credentials";
        foreach (var header in new[]
        {
            ClientsApi.Basic(_c1.Id, _c2.ClientSecret), ClientsApi.Basic(_c2.Id, _c1.ClientSecret), ClientsApi.Basic(_suspended.Id, _c1.ClientSecret),
            ClientsApi.Basic(_c1.Id, _suspended.ClientSecret), ClientsApi.Basic(Guid.NewGuid().ToString(), _c1.ClientSecret), ClientsApi.Basic(_c1.Id, _c1.ClientSecret + "x"),
            ClientsApi.Basic(_c1.Id, _c1.ClientSecret[..^1]), ClientsApi.Basic("cust-suite-1", _c1.ClientSecret), ClientsApi.Basic(_c1.Id, new string('s', 300)),
            ClientsApi.Basic(_c1.Id + "\0", _c1.ClientSecret), ClientsApi.Basic(_keyA, _keyA), ClientsApi.Basic(_c1.Id, _c1.ClientSecret.ToUpperInvariant()),
        })
        {
            yield return ClientGet(C, header, Unauthorized);
            yield return ClientPatch(C, _c1, ClientsApi.UrlBody("https://hooks.example.com/wrong-secret"), Unauthorized) with { Authorization = [header] };
        }
    }

    /// <summary>Requests that depend on one another: an <c>Idempotency-Key</c> used, replayed, and reused with another body.</summary>
    private IEnumerable<SuiteCase> Sequential()
    {
        const string C = "idempotency sequence";
        var body = $$"""{"url":"https://hooks.example.com/idem","events":["{{Low}}"]}""";
        yield return V1Post(C, body, Created) with { Headers = [("Idempotency-Key", "suite-key-1")] };
        yield return V1Post(C, body, Created) with { Headers = [("Idempotency-Key", "suite-key-1")] };
        yield return V1Post(C, body.Replace("{", "{ ", StringComparison.Ordinal), Created) with { Headers = [("Idempotency-Key", "suite-key-1")] };
        yield return V1Post(C, $$"""{"url":"https://hooks.example.com/idem-other","events":["{{Low}}"]}""", Invalid) with
        {
            Headers = [("Idempotency-Key", "suite-key-1")], Detail = ("Idempotency-Key", "was already used with a different request body"),
        };
        yield return V1Post(C, body, Created, _keyB, _orgB) with { Headers = [("Idempotency-Key", "suite-key-1")] };
    }
}
