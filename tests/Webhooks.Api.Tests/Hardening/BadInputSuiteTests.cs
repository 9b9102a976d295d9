using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Webhooks.Api.Tests.Clients;
using Webhooks.Api.Tests.Helpers;
using Webhooks.Api.Tests.Support;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Api.Tests.Hardening;

/// <summary>
/// The bad-input suite of issue 6: hundreds of generated requests against both surfaces (malformed
/// and truncated JSON, wrong types, huge and deeply nested values, odd Unicode, header abuse, path
/// tricks, wrong authentication, other organizations' ids, suspended clients), interleaved with
/// accepted ones. For every response: no 5xx, an <c>X-Request-Id</c>, the status the contract
/// allows, and an error body in the surface's format that reveals nothing. Afterwards the stored
/// data must equal what the accepted requests alone produce (<see cref="StoreModel"/>).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class BadInputSuiteTests
{
    private const string Json = "application/json";
    private const string Low = "wallet.balance_low";
    private const string Zero = "wallet.balance_zero";
    private const string PastDue = "subscription.past_due";
    private const string Canceled = "subscription.canceled";
    private const string NotJson = "is not valid JSON";
    private const string NotObject = "must be a JSON object";
    private const string MustBeString = "must be a string";
    private const string BadText = "must be valid Unicode text";
    private const string Control = "must not contain control characters";
    private const string UrlChars = "must not contain white space, control characters or backslashes";
    private const string TooLong200 = "must be at most 200 characters";
    private const string TooLong2048 = "must be at most 2048 characters";
    private const string InvalidHost = UrlPolicy.InvalidHostMessage;

    private static readonly int[] Ok = [200];
    private static readonly int[] Created = [201];
    private static readonly int[] Invalid = [400];
    private static readonly int[] Unauthorized = [401];
    private static readonly int[] Forbidden = [403];
    private static readonly int[] NotFound = [404];
    private static readonly int[] NotAllowed = [405];
    private static readonly int[] Precondition = [412];
    private static readonly int[] TooLarge = [413];
    private static readonly int[] Unsupported = [415];

    private static readonly Dictionary<string, string> EnvelopeMessages = new(StringComparer.Ordinal)
    {
        ["VALIDATION_FAILED"] = "validation failed",
        ["UNAUTHORIZED"] = "authentication failed",
        ["FORBIDDEN"] = "missing required scope",
        ["NOT_FOUND"] = "not found",
        ["METHOD_NOT_ALLOWED"] = "method not allowed",
        ["PRECONDITION_FAILED"] = "precondition failed",
        ["PAYLOAD_TOO_LARGE"] = "request body is too large",
        ["UNSUPPORTED_MEDIA_TYPE"] = "content type must be application/json",
        ["RATE_LIMITED"] = "too many requests",
        ["SERVICE_UNAVAILABLE"] = "service unavailable",
    };

    private static readonly Dictionary<int, string> CodeForStatus = new()
    {
        [400] = "VALIDATION_FAILED",
        [401] = "UNAUTHORIZED",
        [403] = "FORBIDDEN",
        [404] = "NOT_FOUND",
        [405] = "METHOD_NOT_ALLOWED",
        [412] = "PRECONDITION_FAILED",
        [413] = "PAYLOAD_TOO_LARGE",
        [415] = "UNSUPPORTED_MEDIA_TYPE",
        [429] = "RATE_LIMITED",
        [503] = "SERVICE_UNAVAILABLE",
    };

    private static readonly string[] EndpointKeys =
        ["id", "org_id", "url", "description", "events", "active", "api_version", "created_at", "updated_at", "deleted_at"];

    private readonly StoreModel _model = new();
    private readonly List<string> _violations = [];
    private readonly List<string> _secrets = [];

    private ApiFactory _factory = null!;
    private HttpClient _http = null!;
    private Guid _orgA;
    private Guid _orgB;
    private string _keyA = null!;
    private string _keyARead = null!;
    private string _revokedKeyA = null!;
    private string _keyB = null!;
    private string _a1 = null!;
    private string _a2 = null!;
    private string _a3 = null!;
    private string _a4 = null!;
    private string _aDeleted = null!;
    private string _b1 = null!;
    private string _b2 = null!;
    private IssuedClient _c1 = null!;
    private IssuedClient _c2 = null!;
    private IssuedClient _suspended = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // The suite sends hundreds of requests a second with a handful of credentials.
        _factory = HardeningApi.StartWithEnvironment(new Dictionary<string, string?> { ["RateLimiting:Enabled"] = "false" });
        _http = ClientsApi.CreateHttpClient(_factory);

        var orgA = await _factory.CreateOrganizationAsync("webhooks:read", "webhooks:write");
        var orgB = await _factory.CreateOrganizationAsync("webhooks:read", "webhooks:write");
        _orgA = orgA.OrgId;
        _orgB = orgB.OrgId;
        _revokedKeyA = orgA.Key;
        _keyA = await _factory.CreateKeyAsync(_orgA, "webhooks:read", "webhooks:write");
        _keyARead = await _factory.CreateKeyAsync(_orgA, "webhooks:read");
        _keyB = orgB.Key;
        await _factory.RevokeKeyAsync(orgA.KeyId);

        // The starting data is made through the API too, and applied to the model like any accepted request.
        _a1 = await SetUpCreateAsync(_keyA, _orgA, $$"""{"url":"https://hooks.example.com/a1","description":"A one","events":["{{Low}}","{{Zero}}"]}""");
        _a2 = await SetUpCreateAsync(_keyA, _orgA, $$"""{"url":"https://hooks.example.com/a2","events":["{{PastDue}}"],"active":false}""");
        _a3 = await SetUpCreateAsync(_keyA, _orgA, $$"""{"url":"https://hooks.example.com/a3","description":"  A three  ","events":["{{Canceled}}","{{Low}}","{{Canceled}}"]}""");
        _a4 = await SetUpCreateAsync(_keyA, _orgA, $$"""{"url":"https://hooks.example.com/a4","events":["{{Low}}"]}""");
        _aDeleted = await SetUpCreateAsync(_keyA, _orgA, $$"""{"url":"https://hooks.example.com/gone","events":["{{Low}}"]}""");
        _b1 = await SetUpCreateAsync(_keyB, _orgB, $$"""{"url":"https://hooks.example.com/b1","description":"B one","events":["{{Zero}}"]}""");
        _b2 = await SetUpCreateAsync(_keyB, _orgB, $$"""{"url":"https://hooks.example.com/b2","events":["{{Low}}"]}""");
        await SetUpAsync(new SuiteCase("setup", HttpMethod.Delete, $"/v1/webhooks/{_aDeleted}")
        {
            Authorization = [Bearer(_keyA)], Expect = Ok, Effect = new Effect(EffectKind.Delete, EndpointId: _aDeleted),
        });

        _c1 = await ClientsApi.CreateClientAsync(_factory, "cust-suite-1");
        _c2 = await ClientsApi.CreateClientAsync(_factory, "cust-suite-2");
        _suspended = await ClientsApi.CreateClientAsync(_factory, "cust-suite-suspended");
        foreach (var client in new[] { _c1, _c2, _suspended })
        {
            _model.ClientUrls[client.ClientId] = string.Empty;
        }

        await SetUpAsync(ClientPatch("setup", _c1, ClientsApi.UrlBody("https://hooks.example.com/c1"), Ok));
        await SetUpAsync(ClientPatch("setup", _suspended, ClientsApi.UrlBody("https://hooks.example.com/suspended"), Ok));
        await ClientsApi.SuspendAsync(_factory, _suspended.ClientId);

        _secrets.AddRange([_keyA, _keyARead, _revokedKeyA, _keyB, _c1.ClientSecret, _c2.ClientSecret, _suspended.ClientSecret]);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http?.Dispose();
        await HardeningApi.DisposeAsync(_factory);
    }

    [Test]
    public async Task Generated_bad_input_never_fails_the_service_and_leaves_only_accepted_changes()
    {
        var shuffled = Generate().ToList();
        var random = new Random(6);
        for (var i = shuffled.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
        }

        // Requests whose meaning depends on an earlier one run last, in order.
        var cases = shuffled.Concat(Sequential()).ToList();
        var byCategory = new SortedDictionary<string, SortedDictionary<int, int>>(StringComparer.Ordinal);
        var bySurface = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        foreach (var request in cases)
        {
            var reply = await SendAsync(request);
            Check(request, reply);
            var statuses = byCategory.TryGetValue(request.Category, out var found) ? found : byCategory[request.Category] = [];
            statuses[reply.Status] = statuses.GetValueOrDefault(reply.Status) + 1;
            var surface = IsClients(reply.ServerPath) ? "clients (problem details)" : "v1 (envelope)";
            bySurface[surface] = bySurface.GetValueOrDefault(surface) + 1;
        }

        watch.Stop();
        Report(cases.Count, byCategory, bySurface, watch.Elapsed);
        await CompareStoredDataAsync();

        Assert.That(cases, Has.Count.GreaterThanOrEqualTo(300), "at least 300 generated requests");
        Assert.That(bySurface, Has.Count.EqualTo(2), "both surfaces were exercised");
        Assert.That(_violations, Is.Empty, $"{_violations.Count} violation(s):{Environment.NewLine}" + string.Join(Environment.NewLine, _violations.Take(60)));
    }

    // ---- generation ---------------------------------------------------------------------------

    private IEnumerable<SuiteCase> Generate() =>
        Accepted().Concat(Truncated()).Concat(Malformed()).Concat(WrongTypes()).Concat(Huge()).Concat(Deep()).Concat(OddUnicode())
            .Concat(InvalidUtf8()).Concat(HeaderAbuse()).Concat(PathTricks()).Concat(QueryTricks()).Concat(WrongSchemes()).Concat(WrongKeys())
            .Concat(RevokedAndReadOnly()).Concat(OtherOrganization()).Concat(SuspendedClient()).Concat(WrongClientCredentials());

    /// <summary>Valid requests among the bad ones, so that the model has something to track.</summary>
    private IEnumerable<SuiteCase> Accepted()
    {
        const string C = "accepted";
        yield return V1Patch(C, _a1, """{"description":"Valid one"}""", Ok);
        yield return V1Patch(C, _a1, """{"api_version":"2026-04-01"}""", Ok);
        yield return V1Patch(C, _a2, $$"""{"events":["{{Canceled}}","{{Canceled}}","{{Low}}"],"active":true}""", Ok);
        yield return V1Patch(C, _a2, "{}", Ok);
        yield return V1Patch(C, _a3, """{"url":"HTTPS://Hooks.Example.COM:443/Valid?q=1","description":null}""", Ok);
        yield return V1Patch(C, _a3, """{"description":"   "}""", Ok);
        yield return V1Patch(C, _a1, """{"active":false}""", Ok) with { ContentType = "application/merge-patch+json" };
        yield return V1Patch(C, _b1, """{"description":"B changed"}""", Ok, _keyB);
        yield return V1Post(C, $$"""{"url":"https://hooks.example.com/new-1","events":["{{Low}}"]}""", Created);
        yield return V1Post(C, $$"""{"url":"https://hooks.example.com/new-2","events":["{{Zero}}","{{Zero}}"],"description":" New two ","active":false,"api_version":"2026-04-01"}""", Created);
        yield return V1Post(C, $$"""{"url":"https://hooks.example.com:8443/new-b","events":["{{PastDue}}"]}""", Created, _keyB, _orgB);
        yield return new SuiteCase(C, HttpMethod.Delete, $"/v1/webhooks/{_a4}") { Authorization = [Bearer(_keyA)], Expect = Ok, Effect = new Effect(EffectKind.Delete, EndpointId: _a4) };
        yield return new SuiteCase(C, HttpMethod.Post, $"/v1/webhooks/{_a1}/secret/rotate") { Authorization = [Bearer(_keyA)], Expect = Ok };
        yield return Get(C, $"/v1/webhooks/{_a1}", _keyA, Ok);
        yield return Get(C, "/v1/webhooks?limit=100", _keyA, Ok);
        yield return Get(C, "/v1/event-types", _keyARead, Ok);
        yield return ClientPatch(C, _c1, ClientsApi.UrlBody("  https://hooks.example.com/c1-spaced  "), Ok);
        yield return ClientPatch(C, _c2, ClientsApi.UrlBody("https://hooks.example.com/c2"), Ok);
        yield return ClientPatch(C, _c2, ClientsApi.UrlBody(string.Empty), Ok);
        yield return ClientGet(C, _c1.Authorization, Ok);
    }

    /// <summary>Valid bodies cut at every k-th byte: never valid JSON.</summary>
    private IEnumerable<SuiteCase> Truncated()
    {
        const string C = "truncated JSON";
        var post = $$"""{"url":"https://hooks.example.com/cut","description":"Cut — ✂ here","events":["{{Low}}","{{PastDue}}"],"active":true,"api_version":"2026-04-01"}""";
        var patch = $$"""{"url":"https://hooks.example.com/cut-patch","description":"Patched ✓","events":["{{Canceled}}","{{Zero}}"],"active":false}""";
        var client = """{"webhook_url":"https://hooks.example.com/cut-client"}""";
        foreach (var (body, step, make) in new (string, int, Func<byte[], (string, string?)?, SuiteCase>)[]
        {
            (post, 5, (b, d) => V1Post(C, b, Invalid) with { Detail = d }),
            (patch, 5, (b, d) => V1Patch(C, _a1, b, Invalid) with { Detail = d }),
            (client, 3, (b, d) => ClientPatch(C, _c1, b, Invalid) with { Detail = d }),
        })
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            for (var cut = 0; cut < bytes.Length; cut += step)
            {
                yield return make(bytes[..cut], ("body", cut == 0 ? NotObject : NotJson));
            }
        }
    }

    private IEnumerable<SuiteCase> Malformed()
    {
        const string C = "malformed JSON";
        string[] notJson =
        [
            "{", "}", "{{}}", """{"url":}""", "{'url':'https://hooks.example.com/x'}", """{"active":tru}""", """{"active":false,}""",
            """{"active":false}{"active":true}""", "NaN", """{"active":01}""", $$"""{"events":["{{Low}}",]}""", """{"description":"unterminated}""",
            """{"description":"bad \x escape"}""", """{"description":"\u12"}""", """{"active":false /* c */}""", "{\"active\"\u00a0:false}",
            """{"url":"https://a""b"}""", "{\"description\":\"tab\there\"}", "{,}", """{"active":false}}""", "[", "\"", """{"a" 1}""",
            """{"active":False}""", "   ", """{"description":'single'}""",
        ];
        string[] notObject = ["[]", "1", "\"s\"", "null", "true", """[{"active":false}]""", ""];
        foreach (var text in notJson)
        {
            foreach (var request in BodyTargets(C, text, Invalid, ("body", NotJson)))
            {
                yield return request;
            }
        }

        foreach (var text in notObject)
        {
            foreach (var request in BodyTargets(C, text, Invalid, ("body", NotObject)))
            {
                yield return request;
            }
        }
    }

    private IEnumerable<SuiteCase> WrongTypes()
    {
        const string C = "wrong types";
        var stringFields = new[] { "url", "description", "api_version" };
        var notStrings = new[] { "1", "true", "[]", "{}", "1.5", """["https://hooks.example.com/x"]""", "-0", "1e400" };
        foreach (var field in stringFields)
        {
            foreach (var value in notStrings)
            {
                yield return V1Patch(C, _a1, $$"""{"{{field}}":{{value}}}""", Invalid) with { Detail = (field, MustBeString) };
                yield return V1Post(C, PostWith(field, value), Invalid) with { Detail = (field, MustBeString) };
            }
        }

        foreach (var value in new[] { "\"wallet.balance_low\"", "1", "{}", "true", "\"[]\"" })
        {
            yield return V1Patch(C, _a2, $$"""{"events":{{value}}}""", Invalid) with { Detail = ("events", "must be an array of strings") };
            yield return V1Post(C, PostWith("events", value), Invalid) with { Detail = ("events", "must be an array of strings") };
        }

        foreach (var value in new[] { "[1]", "[null]", $$"""[["{{Low}}"]]""", "[{}]", "[true]", "[1.0]" })
        {
            yield return V1Patch(C, _a2, $$"""{"events":{{value}}}""", Invalid) with { Detail = ("events[0]", MustBeString) };
            yield return V1Post(C, PostWith("events", value), Invalid) with { Detail = ("events[0]", MustBeString) };
        }

        foreach (var value in new[] { "\"true\"", "1", "0", "[]", "{}", "\"false\"", "null" })
        {
            yield return V1Patch(C, _a3, $$"""{"active":{{value}}}""", Invalid) with { Detail = ("active", "must be a boolean") };
            yield return V1Post(C, PostWith("active", value), Invalid) with { Detail = ("active", "must be a boolean") };
        }

        yield return V1Patch(C, _a1, """{"url":null}""", Invalid) with { Detail = ("url", "must not be null") };
        yield return V1Patch(C, _a1, """{"events":null}""", Invalid) with { Detail = ("events", "must be a non-empty array of event types") };
        yield return V1Patch(C, _a1, """{"events":[]}""", Invalid) with { Detail = ("events", "must contain at least one event type") };
        yield return V1Patch(C, _a1, """{"api_version":null}""", Invalid) with { Detail = ("api_version", "is immutable; create a new endpoint at the new version") };
        yield return V1Patch(C, _a1, """{"urll":"https://hooks.example.com/typo"}""", Invalid) with { Detail = ("urll", "is not a known field") };
        yield return V1Patch(C, _a1, """{"URL":"https://hooks.example.com/case"}""", Invalid) with { Detail = ("URL", "is not a known field") };
        foreach (var readOnly in new[] { "id", "org_id", "created_at", "updated_at", "deleted_at", "secret" })
        {
            yield return V1Patch(C, _a1, $$"""{"{{readOnly}}":"x"}""", Invalid) with { Detail = (readOnly, "is read-only") };
        }

        yield return V1Post(C, "{}", Invalid) with { Detail = ("url", "is required") };
        yield return V1Post(C, """{"url":"https://hooks.example.com/x"}""", Invalid) with { Detail = ("events", "is required") };
        yield return V1Post(C, PostWith("api_version", "\"2099-01-01\""), Invalid) with { Detail = ("api_version", "must be one of: 2026-04-01") };

        foreach (var value in new[] { "1", "true", "[]", "{}", "1.5", """["https://hooks.example.com/x"]""" })
        {
            yield return ClientPatch(C, _c1, $$"""{"webhook_url":{{value}}}""", Invalid) with { Detail = ("webhook_url", MustBeString) };
        }

        yield return ClientPatch(C, _c1, """{"webhook_url":null}""", Invalid) with { Detail = ("webhook_url", ClientsApi.RequiredMessage) };
        yield return ClientPatch(C, _c1, "{}", Invalid) with { Detail = ("webhook_url", ClientsApi.RequiredMessage) };
        yield return ClientPatch(C, _c1, """{"webhook_url":"","extra":1}""", Invalid) with { Detail = ("extra", "is not a known field") };
        yield return ClientPatch(C, _c1, """{"webhook_url":"","client_id":"x"}""", Invalid) with { Detail = ("client_id", "is read-only") };
        yield return ClientPatch(C, _c1, """{"Webhook_Url":"https://hooks.example.com/case"}""", Invalid) with { Detail = ("Webhook_Url", "is not a known field") };
        yield return ClientPatch(C, _c1, """{"webhook_url":"http://hooks.example.com/plain"}""", Invalid) with { Detail = ("webhook_url", "must use https") };
    }

    private IEnumerable<SuiteCase> Huge()
    {
        const string C = "huge values";
        var a60k = new string('a', 60_000);
        yield return V1Patch(C, _a1, $$"""{"description":"{{a60k}}"}""", Invalid) with { Detail = ("description", TooLong200) };
        yield return V1Patch(C, _a1, $$"""{"description":"{{new string('é', 30_000)}}"}""", Invalid) with { Detail = ("description", TooLong200) };
        yield return V1Patch(C, _a1, $$"""{"description":"{{string.Concat(Enumerable.Repeat("😀", 15_000))}}"}""", Invalid) with { Detail = ("description", TooLong200) };
        yield return V1Patch(C, _a1, $$"""{"url":"https://hooks.example.com/{{a60k}}"}""", Invalid) with { Detail = ("url", TooLong2048) };
        yield return V1Patch(C, _a1, $$"""{"events":["{{a60k}}"]}""", Invalid) with { Detail = ("events[0]", null) };
        yield return V1Patch(C, _a1, $$"""{"{{a60k}}":1}""", Invalid) with { Detail = (a60k, "is not a known field") };
        yield return V1Patch(C, _a1, "{" + string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"f{i}\":0")) + "}", Invalid) with { Detail = ("f4999", "is not a known field") };
        yield return V1Patch(C, _a1, $$"""{"active":{{new string('9', 60_000)}}}""", Invalid) with { Detail = ("active", "must be a boolean") };
        yield return V1Patch(C, _a1, $$"""{"description":"{{new string('a', 70_000)}}"}""", TooLarge);
        var manyEvents = "{\"events\":[" + string.Join(",", Enumerable.Repeat($"\"{Zero}\"", 2900)) + "]}";
        Assert.That(manyEvents.Length, Is.LessThanOrEqualTo(64 * 1024));
        yield return V1Patch(C, _a2, manyEvents, Ok);
        var tooManyEvents = "{\"events\":[" + string.Join(",", Enumerable.Repeat($"\"{Zero}\"", 3200)) + "]}";
        Assert.That(tooManyEvents.Length, Is.GreaterThan(64 * 1024));
        yield return V1Patch(C, _a2, tooManyEvents, TooLarge);
        yield return V1Patch(C, _a2, "{\"events\":[" + string.Join(",", Enumerable.Range(0, 20_000).Select(i => (i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]}", Invalid) with { Detail = ("events[19999]", MustBeString) };
        yield return V1Post(C, PostWith("description", $"\"{a60k}\""), Invalid) with { Detail = ("description", TooLong200) };
        yield return V1Post(C, PostWith("url", $"\"https://hooks.example.com/{a60k}\""), Invalid) with { Detail = ("url", TooLong2048) };
        yield return V1Post(C, PostWith("description", $"\"{new string('b', 70_000)}\""), TooLarge);
        yield return ClientPatch(C, _c1, ClientsApi.UrlBody("https://hooks.example.com/" + a60k), Invalid) with { Detail = ("webhook_url", TooLong2048) };
        yield return ClientPatch(C, _c1, ClientsApi.UrlBody("https://hooks.example.com/" + new string('c', 70_000)), TooLarge);
        var exactly2048 = "https://hooks.example.com/" + new string('d', 2048 - "https://hooks.example.com/".Length);
        yield return ClientPatch(C, _c2, ClientsApi.UrlBody(exactly2048), Ok);
        yield return ClientPatch(C, _c2, ClientsApi.UrlBody(exactly2048 + "d"), Invalid) with { Detail = ("webhook_url", TooLong2048) };
        yield return Get(C, "/v1/webhooks?cursor=" + a60k, _keyA, Invalid) with { Detail = ("cursor", "is not a valid cursor") };
        yield return Get(C, "/v1/webhooks?limit=" + new string('9', 5000), _keyA, Invalid) with { Detail = ("limit", "must be an integer from 1 to 100") };
    }

    private IEnumerable<SuiteCase> Deep()
    {
        const string C = "deep nesting";
        foreach (var levels in new[] { 31, 32, 33, 64, 1000, 30_000 })
        {
            var ok = levels <= 32;
            var arrays = new string('[', levels - 1) + new string(']', levels - 1);
            var objects = string.Concat(Enumerable.Repeat("{\"a\":", levels - 1)) + "1" + new string('}', levels - 1);

            // Nested arrays in the array field; nested objects in a string field; the whole body nested arrays.
            yield return V1Patch(C, _a1, $$"""{"events":{{arrays}}}""", Invalid) with { Detail = ok ? ("events[0]", MustBeString) : ("body", NotJson) };
            yield return V1Post(C, PostWith("events", arrays), Invalid) with { Detail = ok ? ("events[0]", MustBeString) : ("body", NotJson) };
            yield return ClientPatch(C, _c1, $$"""{"webhook_url":{{arrays}}}""", Invalid) with { Detail = ok ? ("webhook_url", MustBeString) : ("body", NotJson) };
            // Nested objects take more bytes than nested arrays: past 64 KiB they are refused for their size first.
            var objectsFit = objects.Length + 20 <= 64 * 1024;
            yield return V1Patch(C, _a1, $$"""{"description":{{objects}}}""", objectsFit ? Invalid : TooLarge) with { Detail = ok ? ("description", MustBeString) : ("body", NotJson) };
            yield return ClientPatch(C, _c1, $$"""{"webhook_url":{{objects}}}""", objectsFit ? Invalid : TooLarge) with { Detail = ok ? ("webhook_url", MustBeString) : ("body", NotJson) };
            var whole = new string('[', levels) + new string(']', levels);
            yield return V1Patch(C, _a1, whole, Invalid) with { Detail = ok ? ("body", NotObject) : ("body", NotJson) };
        }
    }

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
        yield return V1Patch(C, _a1, """{"descr\u200Diption":"x"}""", Invalid) with { Detail = ("descr\u200Diption", "is not a known field") };
        yield return V1Patch(C, _a1, """{"description\u0000":"x"}""", Invalid) with { Detail = ("description\0", "is not a known field") };
        yield return ClientPatch(C, _c1, """{"webhook_url\u200B":""}""", Invalid) with { Detail = ("webhook_url\u200B", "is not a known field") };
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
                Headers = [("Idempotency-Key", key)], Raw = true, Detail = ("Idempotency-Key", "must be 1 to 255 visible ASCII characters"),
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

    private IEnumerable<SuiteCase> QueryTricks()
    {
        const string C = "query tricks";
        foreach (var query in new[] { "limit=0", "limit=-1", "limit=101", "limit=abc", "limit=1e2", "limit=1.5", "limit=%00", "limit=%EF%BC%95" })
        {
            yield return Get(C, "/v1/webhooks?" + query, _keyA, Invalid) with { Detail = ("limit", "must be an integer from 1 to 100") };
        }

        foreach (var query in new[] { "cursor=garbage", "cursor=%00%ff", "cursor=" + new string('A', 5000), "cursor=../../etc/passwd" })
        {
            yield return Get(C, "/v1/webhooks?" + query, _keyA, Invalid) with { Detail = ("cursor", "is not a valid cursor") };
        }

        // An empty value: the service takes it as absent (the first page, the default size).
        yield return Get(C, "/v1/webhooks?limit=", _keyA, [200, 400]) with { Detail = ("limit", "must be an integer from 1 to 100") };
        yield return Get(C, "/v1/webhooks?cursor=", _keyA, [200, 400]) with { Detail = ("cursor", "is not a valid cursor") };
        yield return Get(C, "/v1/webhooks?limit=1&limit=2", _keyA, null);
        yield return Get(C, "/v1/webhooks?limit=100&unknown=1&%zz=1", _keyA, null);
        yield return Get(C, "/v1/webhooks?limit=0&cursor=bad", _keyA, Invalid) with { Detail = ("cursor", "is not a valid cursor") };
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
        yield return V1Patch(C, _a1, """{"org_id":"x"}""", Invalid, _keyB) with { Detail = ("org_id", "is read-only") };
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

    // ---- checks -------------------------------------------------------------------------------

    private static bool IsClients(string serverPath) => new PathString(serverPath).StartsWithSegments("/clients", StringComparison.OrdinalIgnoreCase);

    private void Check(SuiteCase request, Reply reply)
    {
        var where = $"{request.Describe()} -> {reply.Status} {Shorten(reply.Body)}";
        if (reply.Status == 0)
        {
            return; // already recorded
        }

        if (reply.Status >= 500)
        {
            _violations.Add($"{where}: a {reply.Status}");
        }

        if (request.Expect is not null && !request.Expect.Contains(reply.Status))
        {
            _violations.Add($"{where}: expected {string.Join(" or ", request.Expect)}");
        }

        if (!reply.Headers.TryGetValue("X-Request-Id", out var ids) || ids.Length != 1 || !IsUlid(ids[0]))
        {
            _violations.Add($"{where}: no single ULID X-Request-Id ({string.Join(",", ids ?? [])})");
            ids = [string.Empty];
        }

        foreach (var secret in _secrets)
        {
            if (reply.Body.Contains(secret, StringComparison.Ordinal))
            {
                _violations.Add($"{where}: the response repeats a credential");
            }
        }

        foreach (var leak in new[] { "Exception", "   at ", "SQLite", "SELECT ", "secret_hash", "key_hash", "StackTrace" })
        {
            if (reply.Body.Contains(leak, StringComparison.Ordinal))
            {
                _violations.Add($"{where}: the response reveals internals ('{leak}')");
            }
        }

        var clients = IsClients(reply.ServerPath);
        if (reply.Status >= 400)
        {
            var problems = clients ? CheckProblem(request, reply, ids[0]) : CheckEnvelope(request, reply, ids[0]);
            _violations.AddRange(problems.Select(p => $"{where}: {p}"));
            return;
        }

        if (reply.Status is >= 200 and < 300)
        {
            if (reply.ContentType is null || !reply.ContentType.StartsWith(Json, StringComparison.Ordinal))
            {
                _violations.Add($"{where}: a success that is not JSON ({reply.ContentType})");
                return;
            }

            if (request.Method != HttpMethod.Get && request.Effect.Kind == EffectKind.None && !request.Path.EndsWith("/secret/rotate", StringComparison.Ordinal))
            {
                _violations.Add($"{where}: a write the suite did not expect to be accepted");
                return;
            }

            if (request.Method == HttpMethod.Get)
            {
                return;
            }

            if (_model.Apply(request, reply.Body) is { } why)
            {
                _violations.Add($"{where}: {why}");
                return;
            }

            CheckSuccessAgainstModel(request, reply, where);
        }
    }

    /// <summary>An accepted write answers with what the model now holds.</summary>
    private void CheckSuccessAgainstModel(SuiteCase request, Reply reply, string where)
    {
        using var document = JsonDocument.Parse(reply.Body);
        var body = document.RootElement;
        switch (request.Effect.Kind)
        {
            case EffectKind.Create:
            case EffectKind.Patch:
            case EffectKind.Delete:
                var id = body.GetProperty("id").GetString()!;
                var differences = Compare(_model.Endpoints[id], body, id, request.Effect.Kind == EffectKind.Delete);
                _violations.AddRange(differences.Select(d => $"{where}: response differs from the model: {d}"));
                break;
            case EffectKind.ClientPatch:
                var expected = _model.ClientUrls[request.Effect.ClientId!.Value];
                if (body.GetProperty("webhook_url").GetString() != expected)
                {
                    _violations.Add($"{where}: webhook_url is '{body.GetProperty("webhook_url").GetString()}', the model says '{expected}'");
                }

                break;
        }
    }

    private static IEnumerable<string> CheckEnvelope(SuiteCase request, Reply reply, string requestId)
    {
        if (reply.ContentType is null || !reply.ContentType.StartsWith("application/json", StringComparison.Ordinal))
        {
            yield return $"envelope error with content type {reply.ContentType}";
            yield break;
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(reply.Body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            root = default;
        }

        if (root.ValueKind != JsonValueKind.Object || !root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).SequenceEqual(["error", "success"])
            || root.GetProperty("success").ValueKind != JsonValueKind.False || root.GetProperty("error").ValueKind != JsonValueKind.Object)
        {
            yield return "not the {success:false,error:{...}} envelope";
            yield break;
        }

        var error = root.GetProperty("error");
        var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
        var expectedKeys = code == "VALIDATION_FAILED" ? new[] { "code", "details", "message", "request_id" } : ["code", "message", "request_id"];
        if (!error.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).SequenceEqual(expectedKeys))
        {
            yield return $"error keys {string.Join(",", error.EnumerateObject().Select(p => p.Name))}";
        }

        if (code is null || !EnvelopeMessages.TryGetValue(code, out var message))
        {
            yield return $"code '{code}' is not in the contract's table";
            yield break;
        }

        if (!CodeForStatus.TryGetValue(reply.Status, out var expectedCode) || expectedCode != code)
        {
            yield return $"code {code} with status {reply.Status}";
        }

        if (error.GetProperty("message").GetString() != message)
        {
            yield return $"message '{error.GetProperty("message").GetString()}' for {code}";
        }

        if (error.GetProperty("request_id").GetString() != requestId)
        {
            yield return "request_id differs from X-Request-Id";
        }

        if (reply.Status == 401 && !(reply.Headers.TryGetValue("WWW-Authenticate", out var challenge) && challenge.SequenceEqual(["Bearer"])))
        {
            yield return "401 without WWW-Authenticate: Bearer";
        }

        if (reply.Status == 405 && !reply.Headers.ContainsKey("Allow"))
        {
            yield return "405 without Allow";
        }

        Dictionary<string, string?> details = [];
        if (code == "VALIDATION_FAILED")
        {
            var element = error.GetProperty("details");
            if (element.ValueKind != JsonValueKind.Object || !element.EnumerateObject().Any() || element.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
            {
                yield return "details is not a non-empty object of messages";
                yield break;
            }

            details = element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.Ordinal);
        }

        foreach (var problem in CheckDetail(request, reply, details))
        {
            yield return problem;
        }
    }

    private static IEnumerable<string> CheckProblem(SuiteCase request, Reply reply, string requestId)
    {
        if (reply.ContentType is null || !reply.ContentType.StartsWith("application/problem+json", StringComparison.Ordinal))
        {
            yield return $"problem details with content type {reply.ContentType}";
            yield break;
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(reply.Body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            root = default;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            yield return "not a JSON object";
            yield break;
        }

        var keys = root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        string[] expectedKeys = reply.Status == 400 ? ["detail", "errors", "instance", "request_id", "status", "title", "type"] : ["detail", "instance", "request_id", "status", "title", "type"];
        if (!keys.SequenceEqual(expectedKeys))
        {
            yield return $"problem keys {string.Join(",", keys)}";
            yield break;
        }

        if (!CodeForStatus.TryGetValue(reply.Status, out var code))
        {
            yield return $"status {reply.Status} has no kind of error";
            yield break;
        }

        var type = "urn:webhooks:problem:" + code.ToLowerInvariant().Replace('_', '-');
        if (root.GetProperty("type").GetString() != type)
        {
            yield return $"type {root.GetProperty("type").GetString()}, expected {type}";
        }

        if (root.GetProperty("status").ValueKind != JsonValueKind.Number || root.GetProperty("status").GetInt32() != reply.Status)
        {
            yield return "status field differs from the HTTP status";
        }

        if (string.IsNullOrEmpty(root.GetProperty("title").GetString()) || string.IsNullOrEmpty(root.GetProperty("detail").GetString()))
        {
            yield return "empty title or detail";
        }

        if (root.GetProperty("instance").GetString() != reply.ServerPath)
        {
            yield return $"instance '{root.GetProperty("instance").GetString()}' is not the request path '{reply.ServerPath}'";
        }

        if (root.GetProperty("request_id").GetString() != requestId)
        {
            yield return "request_id differs from X-Request-Id";
        }

        if (reply.Status == 401 && !(reply.Headers.TryGetValue("WWW-Authenticate", out var challenge) && challenge.SequenceEqual(["Basic realm=\"clients\""])))
        {
            yield return "401 without WWW-Authenticate: Basic realm=\"clients\"";
        }

        if (reply.Status == 405 && !reply.Headers.ContainsKey("Allow"))
        {
            yield return "405 without Allow";
        }

        Dictionary<string, string?> details = [];
        if (reply.Status == 400)
        {
            var errors = root.GetProperty("errors");
            if (errors.ValueKind != JsonValueKind.Object || !errors.EnumerateObject().Any()
                || errors.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.Array || p.Value.GetArrayLength() == 0 || p.Value.EnumerateArray().Any(m => m.ValueKind != JsonValueKind.String)))
            {
                yield return "errors is not a non-empty object of message arrays";
                yield break;
            }

            details = errors.EnumerateObject().ToDictionary(p => p.Name, p => p.Value[0].GetString(), StringComparer.Ordinal);
        }

        foreach (var problem in CheckDetail(request, reply, details))
        {
            yield return problem;
        }
    }

    private static IEnumerable<string> CheckDetail(SuiteCase request, Reply reply, Dictionary<string, string?> details)
    {
        if (request.Detail is not { } expected || reply.Status != 400)
        {
            yield break;
        }

        if (!details.TryGetValue(expected.Field, out var message))
        {
            yield return $"the error does not name '{Shorten(expected.Field)}' (it names {string.Join(", ", details.Keys.Select(Shorten))})";
        }
        else if (expected.Message is not null && message != expected.Message)
        {
            yield return $"'{Shorten(expected.Field)}': '{Shorten(message ?? "")}', expected '{expected.Message}'";
        }
    }

    private static bool IsUlid(string id) =>
        id.Length == 26 && id[0] <= '7' && id.All(c => "0123456789ABCDEFGHJKMNPQRSTVWXYZ".Contains(c, StringComparison.Ordinal));

    private static string Shorten(string text) => text.Length > 160 ? text[..160] + $"...({text.Length} chars)" : text;

    // ---- the stored data ----------------------------------------------------------------------

    private async Task CompareStoredDataAsync()
    {
        foreach (var (org, key) in new[] { (_orgA, _keyA), (_orgB, _keyB) })
        {
            using var client = _factory.CreateClient(key);
            using var list = await client.GetAsync("/v1/webhooks?limit=100");
            var listBody = await list.Content.ReadAsStringAsync();
            Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK), listBody);
            using var document = JsonDocument.Parse(listBody);
            var listed = document.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var expected = _model.Endpoints.Where(p => p.Value.OrgId == org && !p.Value.Deleted).Select(p => p.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (!listed.SetEquals(expected))
            {
                _violations.Add($"stored data: organization {org} lists [{string.Join(", ", listed.Order())}], the model has [{string.Join(", ", expected.Order())}]");
            }

            foreach (var (id, endpoint) in _model.Endpoints.Where(p => p.Value.OrgId == org))
            {
                using var response = await client.GetAsync($"/v1/webhooks/{id}");
                var text = await response.Content.ReadAsStringAsync();
                if (endpoint.Deleted)
                {
                    if (response.StatusCode != HttpStatusCode.NotFound)
                    {
                        _violations.Add($"stored data: deleted endpoint {id} answers {(int)response.StatusCode}");
                    }

                    continue;
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    _violations.Add($"stored data: endpoint {id} answers {(int)response.StatusCode} {text}");
                    continue;
                }

                using var resource = JsonDocument.Parse(text);
                _violations.AddRange(Compare(endpoint, resource.RootElement, id, deleted: false).Select(d => $"stored data: {d}"));
            }
        }

        var stored = await StoredData.EndpointsAsync(_factory.Services);
        if (stored != _model.Endpoints.Count)
        {
            _violations.Add($"stored data: {stored} endpoint rows, the model has {_model.Endpoints.Count}");
        }

        foreach (var client in new[] { _c1, _c2 })
        {
            using var response = await ClientsApi.GetAsync(_http, client);
            var text = await response.Content.ReadAsStringAsync();
            using var document = JsonDocument.Parse(text);
            var url = response.StatusCode == HttpStatusCode.OK ? document.RootElement.GetProperty("webhook_url").GetString() : $"<{(int)response.StatusCode}>";
            if (url != _model.ClientUrls[client.ClientId])
            {
                _violations.Add($"stored data: client {client.CustomerId} has webhook_url '{Shorten(url ?? "")}', the model has '{Shorten(_model.ClientUrls[client.ClientId])}'");
            }
        }

        var suspendedUrl = await ClientsApi.StoredWebhookUrlAsync(_factory, _suspended.ClientId) ?? string.Empty;
        if (suspendedUrl != _model.ClientUrls[_suspended.ClientId])
        {
            _violations.Add($"stored data: the suspended client has '{suspendedUrl}', the model has '{_model.ClientUrls[_suspended.ClientId]}'");
        }
    }

    private static IEnumerable<string> Compare(EndpointModel expected, JsonElement actual, string id, bool deleted)
    {
        if (!actual.EnumerateObject().Select(p => p.Name).Where(n => n != "secret").Order(StringComparer.Ordinal).SequenceEqual(EndpointKeys.Order(StringComparer.Ordinal)))
        {
            yield return $"{id}: keys {string.Join(",", actual.EnumerateObject().Select(p => p.Name))}";
            yield break;
        }

        var description = actual.GetProperty("description");
        var events = actual.GetProperty("events").EnumerateArray().Select(e => e.GetString()!).ToList();
        if (actual.GetProperty("org_id").GetString() != expected.OrgId.ToString())
        {
            yield return $"{id}: org_id {actual.GetProperty("org_id").GetString()}, expected {expected.OrgId}";
        }

        if (actual.GetProperty("url").GetString() != expected.Url)
        {
            yield return $"{id}: url '{Shorten(actual.GetProperty("url").GetString()!)}', expected '{Shorten(expected.Url)}'";
        }

        if ((description.ValueKind == JsonValueKind.Null ? null : description.GetString()) != expected.Description)
        {
            yield return $"{id}: description {Shorten(description.GetRawText())}, expected '{expected.Description}'";
        }

        if (!events.SequenceEqual(expected.Events))
        {
            yield return $"{id}: events [{string.Join(",", events)}], expected [{string.Join(",", expected.Events)}]";
        }

        if (actual.GetProperty("active").GetBoolean() != expected.Active)
        {
            yield return $"{id}: active {actual.GetProperty("active").GetBoolean()}, expected {expected.Active}";
        }

        if (actual.GetProperty("api_version").GetString() != expected.ApiVersion)
        {
            yield return $"{id}: api_version {actual.GetProperty("api_version").GetString()}";
        }

        if ((actual.GetProperty("deleted_at").ValueKind != JsonValueKind.Null) != deleted)
        {
            yield return $"{id}: deleted_at {actual.GetProperty("deleted_at").GetRawText()}";
        }
    }

    // ---- set-up and report --------------------------------------------------------------------

    private async Task<string> SetUpCreateAsync(string key, Guid org, string body)
    {
        var reply = await SetUpAsync(V1Post("setup", body, Created, key, org));
        using var document = JsonDocument.Parse(reply.Body);
        return document.RootElement.GetProperty("id").GetString()!;
    }

    private async Task<Reply> SetUpAsync(SuiteCase request)
    {
        var reply = await SendAsync(request);
        Assert.That(request.Expect, Does.Contain(reply.Status), $"{request.Describe()}: {reply.Body}");
        Check(request, reply);
        Assert.That(_violations, Is.Empty, string.Join(Environment.NewLine, _violations));
        return reply;
    }

    private static void Report(int total, SortedDictionary<string, SortedDictionary<int, int>> byCategory, SortedDictionary<string, int> bySurface, TimeSpan elapsed)
    {
        var output = TestContext.Out;
        output.WriteLine($"Bad-input suite: {total} requests in {elapsed.TotalSeconds:F1} s");
        output.WriteLine("By surface (the path the service saw): " + string.Join("; ", bySurface.Select(p => $"{p.Key}: {p.Value}")));
        var totals = new SortedDictionary<int, int>();
        output.WriteLine($"{"category",-30} {"requests",8}  statuses");
        foreach (var (category, statuses) in byCategory)
        {
            output.WriteLine($"{category,-30} {statuses.Values.Sum(),8}  {string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}"))}");
            foreach (var (status, count) in statuses)
            {
                totals[status] = totals.GetValueOrDefault(status) + count;
            }
        }

        output.WriteLine($"{"all",-30} {total,8}  {string.Join(", ", totals.Select(s => $"{s.Key}: {s.Value}"))}");
    }
}
