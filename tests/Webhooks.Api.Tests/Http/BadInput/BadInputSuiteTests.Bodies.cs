using Webhooks.Api.Http;
using Webhooks.Api.Tests.Clients;
using Webhooks.Application.Webhooks.ListWebhooks;

namespace Webhooks.Api.Tests.Http.BadInput;

/// <summary>The bad-input suite's accepted requests and its classes of bad JSON bodies.</summary>
public sealed partial class BadInputSuiteTests
{

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
            yield return V1Patch(C, _a2, $$"""{"events":{{value}}}""", Invalid) with { Detail = ("events", JsonObjectReader.MustBeArrayOfStringsMessage) };
            yield return V1Post(C, PostWith("events", value), Invalid) with { Detail = ("events", JsonObjectReader.MustBeArrayOfStringsMessage) };
        }

        foreach (var value in new[] { "[1]", "[null]", $$"""[["{{Low}}"]]""", "[{}]", "[true]", "[1.0]" })
        {
            yield return V1Patch(C, _a2, $$"""{"events":{{value}}}""", Invalid) with { Detail = ("events[0]", MustBeString) };
            yield return V1Post(C, PostWith("events", value), Invalid) with { Detail = ("events[0]", MustBeString) };
        }

        foreach (var value in new[] { "\"true\"", "1", "0", "[]", "{}", "\"false\"", "null" })
        {
            yield return V1Patch(C, _a3, $$"""{"active":{{value}}}""", Invalid) with { Detail = ("active", JsonObjectReader.MustBeBooleanMessage) };
            yield return V1Post(C, PostWith("active", value), Invalid) with { Detail = ("active", JsonObjectReader.MustBeBooleanMessage) };
        }

        yield return V1Patch(C, _a1, """{"url":null}""", Invalid) with { Detail = ("url", "must not be null") };
        yield return V1Patch(C, _a1, """{"events":null}""", Invalid) with { Detail = ("events", "must be a non-empty array of event types") };
        yield return V1Patch(C, _a1, """{"events":[]}""", Invalid) with { Detail = ("events", "must contain at least one event type") };
        yield return V1Patch(C, _a1, """{"api_version":null}""", Invalid) with { Detail = ("api_version", "is immutable; create a new endpoint at the new version") };
        yield return V1Patch(C, _a1, """{"urll":"https://hooks.example.com/typo"}""", Invalid) with { Detail = ("urll", JsonObjectReader.UnknownFieldMessage) };
        yield return V1Patch(C, _a1, """{"URL":"https://hooks.example.com/case"}""", Invalid) with { Detail = ("URL", JsonObjectReader.UnknownFieldMessage) };
        foreach (var readOnly in new[] { "id", "org_id", "created_at", "updated_at", "deleted_at", "secret" })
        {
            yield return V1Patch(C, _a1, $$"""{"{{readOnly}}":"x"}""", Invalid) with { Detail = (readOnly, JsonObjectReader.ReadOnlyMessage) };
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
        yield return ClientPatch(C, _c1, """{"webhook_url":"","extra":1}""", Invalid) with { Detail = ("extra", JsonObjectReader.UnknownFieldMessage) };
        yield return ClientPatch(C, _c1, """{"webhook_url":"","client_id":"x"}""", Invalid) with { Detail = ("client_id", JsonObjectReader.ReadOnlyMessage) };
        yield return ClientPatch(C, _c1, """{"Webhook_Url":"https://hooks.example.com/case"}""", Invalid) with { Detail = ("Webhook_Url", JsonObjectReader.UnknownFieldMessage) };
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
        yield return V1Patch(C, _a1, $$"""{"{{a60k}}":1}""", Invalid) with { Detail = (a60k, JsonObjectReader.UnknownFieldMessage) };
        yield return V1Patch(C, _a1, "{" + string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"f{i}\":0")) + "}", Invalid) with { Detail = ("f4999", JsonObjectReader.UnknownFieldMessage) };
        yield return V1Patch(C, _a1, $$"""{"active":{{new string('9', 60_000)}}}""", Invalid) with { Detail = ("active", JsonObjectReader.MustBeBooleanMessage) };
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
        yield return Get(C, "/v1/webhooks?cursor=" + a60k, _keyA, Invalid) with { Detail = ("cursor", ListWebhooksQuery.InvalidCursorMessage) };
        yield return Get(C, "/v1/webhooks?limit=" + new string('9', 5000), _keyA, Invalid) with { Detail = ("limit", ListWebhooksQuery.InvalidLimitMessage) };
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
}
