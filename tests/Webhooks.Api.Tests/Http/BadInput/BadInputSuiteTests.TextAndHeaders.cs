using Webhooks.Api.Http;
using Webhooks.Api.Tests.Clients;
using Webhooks.Domain.Idempotency;

namespace Webhooks.Api.Tests.Http.BadInput;

/// <summary>The bad-input suite's classes of odd text, header abuse and path tricks.</summary>
public sealed partial class BadInputSuiteTests
{
    private IEnumerable<SuiteCase> OddUnicode()
    {
        const string C = "odd Unicode";
        var emoji200 = string.Concat(Enumerable.Repeat("😀", 200));

        // (JSON string literal, accepted?, detail when refused)
        var descriptions = new (string Literal, bool Accepted, string? Message)[]
        {
            ("\"\\u202Eevil\\u202C\"", true, null),
            ("\"👨‍👩‍👧‍👦 family\"", true, null),
            ("\"🚀🔥\"", true, null),
            ("\"e\\u0301\\u0301\\u0301\"", true, null),
            ("\"\\ud800\"", false, BadText),
            ("\"x\\udc00\"", false, BadText),
            ("\"\\u0000\"", false, Control),
            ("\"a\\u0085b\"", false, Control),
            ("\"a\\tb\"", false, Control),
            ("\"\\ufeffbom\"", true, null),
            ("\"a\\u2028b\"", true, null),
            ("\"\\u2028edges\\u2029\"", true, null),
            ("\"\\uffff\"", true, null),
            ("\"\\ue000 private\"", true, null),
            ("\"\\u3000\\u2003\"", true, null),
            ("\"\\u0048\\u0069\"", true, null),
            ($"\"{emoji200}\"", true, null),
            ($"\"{emoji200}😀\"", false, TooLong200),
            ("\"\\u200B\"", true, null),
            ("\"ﷺ\"", true, null),
        };
        var targets = new[] { _a1, _a2 };
        var index = 0;
        foreach (var (literal, accepted, message) in descriptions)
        {
            var target = targets[index++ % targets.Length];
            yield return V1Patch(C, target, $$"""{"description":{{literal}}}""", accepted ? Ok : Invalid) with { Detail = accepted ? null : ("description", message) };
            yield return V1Post(C, PostWith("description", literal), accepted ? Created : Invalid) with { Detail = accepted ? null : ("description", message) };
        }

        var urls = new (string Literal, bool? Accepted, string? Message)[]
        {
            ("\"https://hooks.example.com/\\u202Epath\"", true, null),
            ("\"https://hooks.example.com/a\\u200Db\"", true, null),
            ("\"https://bücher.example/odd\"", true, null),
            ("\"https://xn--bcher-kva.example/puny\"", true, null),
            ("\"https://hooks.example.com/🚀\"", true, null),
            ("\"https://hooks.example.com/\\u0000\"", false, UrlChars),
            ("\"https://hooks.example.com/a\\u2028b\"", false, UrlChars),
            ("\"https://hooks.example.com/\\u2028\"", true, null),
            ("\"https://hooks.example.com/\\u00a0x\"", false, UrlChars),
            ("\"https://hooks.example.com/\\ud800\"", false, BadText),
            ("\"\\u200Bhttps://hooks.example.com/zw\"", false, "must be an absolute https URL"),
            ("\"https://hooks.example.com\\\\evil.example/\"", false, UrlChars),
            ("\"https://ｈｏｏｋｓ.example.com/fullwidth\"", null, null),
            ("\"https://a\\u200D.com/\"", false, InvalidHost),
            ("\"https://hooks.\\u0301example.com/\"", false, InvalidHost),
            ("\"https://xn--bcher-kvb.example/\"", false, InvalidHost),
            ("\"https://hooks-.example.com/\"", false, InvalidHost),
            ("\"https://127.0.0.09/\"", false, InvalidHost),
            ("\"https://10.0.0.08:8443/x\"", false, InvalidHost),
            ("\"https://１２７.０.０.０９/\"", false, InvalidHost),
            ("\"https://hooks.example.123/\"", false, InvalidHost),
        };
        foreach (var (literal, accepted, message) in urls)
        {
            int[]? patchExpect = accepted is null ? null : accepted.Value ? Ok : Invalid;
            int[]? postExpect = accepted is null ? null : accepted.Value ? Created : Invalid;
            yield return V1Patch(C, _a3, $$"""{"url":{{literal}}}""", patchExpect) with { Detail = message is null ? null : ("url", message) };
            yield return V1Post(C, PostWith("url", literal), postExpect) with { Detail = message is null ? null : ("url", message) };
            yield return ClientPatch(C, _c2, $$"""{"webhook_url":{{literal}}}""", patchExpect) with { Detail = message is null ? null : ("webhook_url", message) };
        }

        yield return V1Patch(C, _a1, $$"""{"events":["{{Low}}\u202E"]}""", Invalid) with { Detail = ("events[0]", null) };
        yield return V1Patch(C, _a1, """{"events":["wаllet.balance_low"]}""", Invalid) with { Detail = ("events[0]", "unknown event type 'wаllet.balance_low'") };
        yield return V1Patch(C, _a1, """{"descr\u200Diption":"x"}""", Invalid) with { Detail = ("descr\u200Diption", JsonObjectReader.UnknownFieldMessage) };
        yield return V1Patch(C, _a1, """{"description\u0000":"x"}""", Invalid) with { Detail = ("description\0", JsonObjectReader.UnknownFieldMessage) };
        yield return ClientPatch(C, _c1, """{"webhook_url\u200B":""}""", Invalid) with { Detail = ("webhook_url\u200B", JsonObjectReader.UnknownFieldMessage) };
    }

    private IEnumerable<SuiteCase> InvalidUtf8()
    {
        const string C = "invalid UTF-8";
        byte[][] sequences = [[0xFF], [0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0xFE, 0xFE, 0xFF, 0xFF]];
        foreach (var bad in sequences)
        {
            byte[] Wrap(string prefix, string suffix) => [.. Encoding.UTF8.GetBytes(prefix), .. bad, .. Encoding.UTF8.GetBytes(suffix)];
            yield return V1Patch(C, _a1, Wrap("{\"description\":\"", "\"}"), Invalid) with { Detail = ("body", NotJson) };
            yield return V1Post(C, Wrap("{\"url\":\"https://hooks.example.com/", "\",\"events\":[\"wallet.balance_low\"]}"), Invalid) with { Detail = ("body", NotJson) };
            yield return ClientPatch(C, _c1, Wrap("{\"webhook_url\":\"https://hooks.example.com/", "\"}"), Invalid) with { Detail = ("body", NotJson) };
        }
    }

    private IEnumerable<SuiteCase> HeaderAbuse()
    {
        const string C = "header abuse";
        var big = new string('x', 20 * 1024);
        var patchBody = Encoding.UTF8.GetBytes("""{"description":"header abuse"}""");
        yield return Get(C, "/v1/webhooks", null, Unauthorized) with { Authorization = [Bearer(_keyA), Bearer(_keyA)], Raw = true };
        yield return V1Patch(C, _a1, patchBody, Unauthorized) with { Authorization = [Bearer(_keyA), "Bearer junk"], Raw = true };
        yield return ClientGet(C, null, Unauthorized) with { Authorization = [_c1.Authorization, _c1.Authorization], Raw = true };
        yield return ClientPatch(C, _c1, ClientsApi.UrlBody("https://hooks.example.com/dup"), Unauthorized) with { Authorization = [_c1.Authorization, _c2.Authorization], Raw = true };
        yield return Get(C, $"/v1/webhooks/{_a1}", _keyA, Ok) with { Headers = [("X-Junk", big)] };
        yield return V1Patch(C, _a1, patchBody, Ok) with { Headers = [("X-Junk", big)] };
        yield return ClientPatch(C, _c2, ClientsApi.UrlBody("https://hooks.example.com/junk-header"), Ok) with { Headers = [("X-Junk", big)] };
        yield return Get(C, "/v1/webhooks", _keyA, Ok) with { Headers = Enumerable.Range(0, 500).Select(i => ($"X-Many-{i}", new string('v', 100))).ToArray() };
        foreach (var contentType in new[] { string.Empty, "application/json, text/plain", "application/json; charset=utf-16", "text/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-8; charset=latin1" })
        {
            int[]? expect = contentType.Length == 0 || contentType.StartsWith("application/json; charset=utf-16", StringComparison.Ordinal) || !contentType.StartsWith("application/json", StringComparison.Ordinal) ? Unsupported : null;
            yield return V1Patch(C, _a1, patchBody, expect) with { ContentType = contentType, Raw = true };
            yield return V1Post(C, PostWith("description", "\"content type\""), expect) with { ContentType = contentType, Raw = true };
            yield return ClientPatch(C, _c1, ClientsApi.UrlBody("https://hooks.example.com/ct"), expect) with { ContentType = contentType, Raw = true };
        }

        yield return V1Patch(C, _a1, patchBody, Unsupported) with { ContentType = null };
        yield return ClientPatch(C, _c1, ClientsApi.UrlBody("https://hooks.example.com/no-ct"), Unsupported) with { ContentType = null };
        yield return V1Patch(C, _a1, """{"description":"quoted charset"}""", Ok) with { ContentType = "application/json; charset=\"utf-8\"" };
        yield return V1Patch(C, _a1, patchBody, Precondition) with { Headers = [("If-Match", "\"junk\"")] };
        yield return V1Patch(C, _a1, patchBody, Precondition) with { Headers = [("If-Match", "\"" + big + "\"")] };
        yield return V1Patch(C, _a1, patchBody, Precondition) with { Headers = [("If-Match", "W/\"x\", \"y\", ,,,")] };
        yield return V1Patch(C, _a3, """{"description":"if-match star"}""", Ok) with { Headers = [("If-Match", "*")] };
        yield return ClientPatch(C, _c1, ClientsApi.UrlBody("https://hooks.example.com/if-match"), Ok) with { Headers = [("If-Match", "\"junk\"")] };
        foreach (var key in new[] { new string('k', 300), "ключ", "a b", "x\u0001", "key\u007f" })
        {
            yield return V1Post(C, PostWith("description", "\"idempotency\""), Invalid) with
            {
                Headers = [("Idempotency-Key", key)], Raw = true, Detail = ("Idempotency-Key", IdempotencyKey.InvalidMessage),
            };
        }

        // An empty (or blank, which a server trims to empty) key means no key (docs/contract-notes.md).
        foreach (var key in new[] { string.Empty, "\t", " " })
        {
            yield return V1Post(C, PostWith("description", "\"blank idempotency key\""), Created) with { Headers = [("Idempotency-Key", key)], Raw = true };
        }

        yield return V1Patch(C, _a1, patchBody, Unauthorized) with { Authorization = ["Bearer " + _keyA + "\r\nX-Injected: 1"], Raw = true };
        yield return Get(C, "/v1/webhooks", null, Unauthorized) with { Authorization = ["Bearer " + new string('k', 100_000)], Raw = true };
        yield return ClientGet(C, "Basic " + new string('A', 100_000), Unauthorized);
        yield return Get(C, $"/v1/webhooks/{_a2}", _keyA, Ok) with { Headers = [("X-HTTP-Method-Override", "DELETE"), ("X-Method-Override", "DELETE")] };
        yield return Get(C, "/v1/webhooks", _keyA, Ok) with { Headers = [("X-Forwarded-For", "127.0.0.1"), ("X-Forwarded-Host", "evil.example"), ("X-Original-URL", "/clients/webhook-url")] };
        yield return Get(C, "/v1/webhooks", _keyA, Ok) with { Headers = [("X-Request-Id", "spoofed-request-id")] };
        yield return Get(C, "/v1/webhooks", _keyA, Ok) with { Headers = [("Accept", "application/xml")] };
        yield return ClientGet(C, _c1.Authorization, Ok) with { Headers = [("X-Üñí", "välüé"), ("X-Empty", string.Empty)], Raw = true };
        yield return Get(C, "/v1/webhooks", _keyA, Ok) with { Headers = [("Content-Type", "text/plain")], Raw = true };
    }

    private IEnumerable<SuiteCase> PathTricks()
    {
        const string C = "path tricks";
        var ids = new[]
        {
            "a b", "ü𝄞", "' OR '1'='1", "1; DROP TABLE webhook_endpoints;--", new string('9', 10_000), _a1.Replace("-", "", StringComparison.Ordinal),
            "{" + _a1 + "}", "(" + _a1 + ")", _a1 + " ", " " + _a1, "00000000-0000-0000-0000-000000000000", _a1 + "x", "%", "%zz", "..", "%00", "null", "-1",
        };
        var validPatch = """{"description":"path trick"}""";
        foreach (var id in ids)
        {
            yield return Get(C, "/v1/webhooks/" + Uri.EscapeDataString(id), _keyA, NotFound);
            yield return V1PatchTo(C, "/v1/webhooks/" + Uri.EscapeDataString(id), validPatch, NotFound);
        }

        yield return Get(C, $"/v1/webhooks/{_a1.ToUpperInvariant()}", _keyA, Ok);
        yield return V1Patch(C, _a1, """{"description":"upper-case id"}""", Ok) with { Path = $"/v1/webhooks/{_a1.ToUpperInvariant()}" };
        yield return Get(C, $"/v1/webhooks/{_a1}/", _keyA, null);
        yield return Get(C, $"/V1/WEBHOOKS/{_a1}", _keyA, null);
        yield return Get(C, "/v1/webhooks/../clients/webhook-url", _keyA, NotFound);
        yield return Get(C, "/v1/webhooks/%2e%2e/clients/webhook-url", _keyA, NotFound);
        yield return Get(C, "/v1/webhooks/..%2Fclients%2Fwebhook-url", _keyA, NotFound);
        yield return Get(C, "//v1//webhooks", _keyA, null);
        yield return Get(C, $"/v1/webhooks/{_a1}%2Fsecret%2Frotate", _keyA, NotFound);
        yield return Get(C, "/v1/webhooks/../../clients/webhook-url", _keyA, Unauthorized);
        yield return ClientGet(C, _c1.Authorization, NotFound) with { Path = "/clients/webhook-url/extra" };
        yield return ClientGet(C, _c1.Authorization, NotFound) with { Path = "/clients" };
        yield return ClientGet(C, _c1.Authorization, null) with { Path = "/clients/webhook-url/" };
        yield return ClientGet(C, _c1.Authorization, null) with { Path = "/CLIENTS/WEBHOOK-URL" };
        yield return ClientGet(C, _c1.Authorization, Unauthorized) with { Path = "/clients/../v1/webhooks" };
        yield return ClientGet(C, _c1.Authorization, null) with { Path = "/%63lients/webhook-url" };

        // As written, without the dot-segment removal and decoding a real server does first.
        foreach (var path in new[] { "/v1/webhooks/../clients/webhook-url", "/v1/webhooks/%2e%2e/clients", "/v1/webhooks/./" + _a1, "/v1//webhooks", "/v1/webhooks/" + _a1 + "/../" + _b1, "/v1/webhooks/\0", "/v1/webhooks/%zz" })
        {
            yield return Get(C, path, _keyA, null) with { Raw = true };
        }

        foreach (var path in new[] { "/clients/../v1/webhooks", "/clients/webhook-url/..", "/clients/./webhook-url", "/clients//webhook-url" })
        {
            yield return ClientGet(C, _c1.Authorization, null) with { Path = path, Raw = true };
        }

        yield return new SuiteCase(C, HttpMethod.Put, $"/v1/webhooks/{_a1}") { Authorization = [Bearer(_keyA)], Body = Encoding.UTF8.GetBytes(validPatch), ContentType = Json, Expect = NotAllowed };
        yield return new SuiteCase(C, HttpMethod.Patch, "/v1/webhooks") { Authorization = [Bearer(_keyA)], Body = Encoding.UTF8.GetBytes(validPatch), ContentType = Json, Expect = NotAllowed };
        yield return new SuiteCase(C, HttpMethod.Delete, "/v1/event-types") { Authorization = [Bearer(_keyA)], Expect = NotAllowed };
        yield return new SuiteCase(C, HttpMethod.Delete, ClientsApi.Path) { Authorization = [_c1.Authorization], Expect = NotAllowed };
        yield return new SuiteCase(C, HttpMethod.Post, ClientsApi.Path) { Authorization = [_c1.Authorization], Body = Encoding.UTF8.GetBytes(ClientsApi.UrlBody("https://hooks.example.com/post")), ContentType = Json, Expect = NotAllowed };
        yield return new SuiteCase(C, HttpMethod.Put, ClientsApi.Path) { Authorization = [_c1.Authorization], Body = Encoding.UTF8.GetBytes(ClientsApi.UrlBody("https://hooks.example.com/put")), ContentType = Json, Expect = NotAllowed };
        yield return new SuiteCase(C, new HttpMethod("FOO"), "/v1/webhooks") { Authorization = [Bearer(_keyA)], Expect = NotAllowed };
        yield return Get(C, "/v2/webhooks", _keyA, NotFound);
        yield return Get(C, "/v1", _keyA, NotFound);
        yield return Get(C, "/", _keyA, NotFound);
    }
}
