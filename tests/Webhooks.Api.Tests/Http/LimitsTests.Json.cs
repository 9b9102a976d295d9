using System.Net.Http.Headers;
using Webhooks.Api.Http;

namespace Webhooks.Api.Tests.Http;

/// <summary>The JSON limits: depth, repeated names and undecodable text.</summary>
public sealed partial class LimitsTests
{
    /// <summary>
    /// Bodies refused for their JSON, one case each: (target, body, the field the error names, its message).
    /// Depth: the object is level 1, so 31 nested arrays make 32 levels, the deepest the service reads;
    /// deeper is not JSON, in arrays or in objects. A property twice, also with an escaped name
    /// (<c>\u0061ctive</c> is <c>active</c>: names are compared after decoding). A lone surrogate escape in a
    /// string is undecodable text; in a property name the body is not JSON.
    /// </summary>
    private static IEnumerable<TestCaseData> RefusedJson()
    {
        foreach (var target in Enum.GetValues<BodyTarget>())
        {
            var text = target == BodyTarget.ClientsPatch ? "webhook_url" : "description";
            TestCaseData Case(string name, string body, string field, string message) =>
                new TestCaseData(target, body, field, message).SetArgDisplayNames(target.ToString(), name);

            yield return Case("nested 32 deep, refused by type", NestedBody(target, 31), target == BodyTarget.ClientsPatch ? "webhook_url" : "events[0]", JsonObjectReader.MustBeStringMessage);
            foreach (var levels in new[] { 33, 64, 10_000 })
            {
                yield return Case($"arrays nested {levels} deep", NestedBody(target, levels - 1), "body", JsonBody.NotJsonMessage);
                yield return Case($"objects nested {levels} deep", string.Concat(Enumerable.Repeat("{\"a\":", levels)) + "1" + new string('}', levels), "body", JsonBody.NotJsonMessage);
            }

            yield return target switch
            {
                BodyTarget.V1Post => Case("a property twice", """{"url":"https://hooks.example.com/a","events":["wallet.balance_low"],"url":"https://hooks.example.com/b"}""", "url", JsonObjectReader.RepeatedMessage),
                BodyTarget.V1Patch => Case("a property twice", """{"active":false,"active":false}""", "active", JsonObjectReader.RepeatedMessage),
                _ => Case("a property twice", """{"webhook_url":"https://hooks.example.com/a","webhook_url":"https://hooks.example.com/a"}""", "webhook_url", JsonObjectReader.RepeatedMessage),
            };
            foreach (var (escaped, name) in new[]
            {
                ("\\ud800", "a high surrogate alone"), ("\\udfff", "a low surrogate alone"), ("a\\ud83d\\u0041", "a high surrogate before a letter"), ("\\ude80\\ud83d", "a pair in the wrong order"),
            })
            {
                var body = target switch
                {
                    BodyTarget.V1Post => $$"""{"url":"https://hooks.example.com/x","events":["wallet.balance_low"],"description":"{{escaped}}"}""",
                    BodyTarget.V1Patch => $$"""{"description":"{{escaped}}"}""",
                    _ => $$"""{"webhook_url":"https://hooks.example.com/{{escaped}}"}""",
                };
                yield return Case("lone surrogate: " + name, body, text, JsonObjectReader.MustBeTextMessage);
            }

            yield return Case("a property name with a lone surrogate", """{"\ud800":1}""", "body", JsonBody.NotJsonMessage);
        }

        yield return new TestCaseData(BodyTarget.V1Patch, """{"active":false,"\u0061ctive":false}""", "active", JsonObjectReader.RepeatedMessage)
            .SetArgDisplayNames(nameof(BodyTarget.V1Patch), "a property twice, once with an escaped name");
        yield return new TestCaseData(BodyTarget.V1Patch, """{"events":["wallet.balance_low","\ud800"]}""", "events[1]", JsonObjectReader.MustBeTextMessage)
            .SetArgDisplayNames(nameof(BodyTarget.V1Patch), "an event type with a lone surrogate");
    }

    [TestCaseSource(nameof(RefusedJson))]
    public async Task A_body_refused_for_its_json_names_the_field_and_stores_nothing(BodyTarget target, string body, string field, string message)
    {
        var state = await ArrangeAsync(target);

        using var response = await state.SendAsync(this, Json.Body(body));

        await AssertValidationAsync(target, response, field, message);
        await state.AssertUnchangedAsync(this);
    }

    [Test]
    public async Task A_surrogate_pair_escape_is_text()
    {
        var state = await ArrangeAsync(BodyTarget.V1Patch);

        using var response = await state.SendAsync(this, Json.Body("""{"description":"\ud83d\ude80 launch"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using var client = _factory.CreateClient(state.Key);
        var stored = await ApiHelpers.GetEndpointAsync(client, state.EndpointId!);
        Assert.That(stored.GetProperty("description").GetString(), Is.EqualTo("\U0001F680 launch"));
    }

    private static IEnumerable<TestCaseData> InvalidUtf8()
    {
        foreach (var target in Enum.GetValues<BodyTarget>())
        {
            yield return new TestCaseData(target, new byte[] { 0xFF }).SetArgDisplayNames(target.ToString(), "byte FF");
            yield return new TestCaseData(target, new byte[] { 0xC3, 0x28 }).SetArgDisplayNames(target.ToString(), "bad continuation");
            yield return new TestCaseData(target, new byte[] { 0xC0, 0xAF }).SetArgDisplayNames(target.ToString(), "overlong slash");
            yield return new TestCaseData(target, new byte[] { 0xED, 0xA0, 0x80 }).SetArgDisplayNames(target.ToString(), "encoded surrogate");
            yield return new TestCaseData(target, new byte[] { 0xE2, 0x82 }).SetArgDisplayNames(target.ToString(), "truncated sequence");
            yield return new TestCaseData(target, new byte[] { 0xF4, 0x90, 0x80, 0x80 }).SetArgDisplayNames(target.ToString(), "beyond U+10FFFF");
        }
    }

    [TestCaseSource(nameof(InvalidUtf8))]
    public async Task A_body_that_is_not_valid_utf8_is_not_valid_json(BodyTarget target, byte[] bad)
    {
        var state = await ArrangeAsync(target);
        var (prefix, suffix) = target switch
        {
            BodyTarget.V1Post => ("""{"url":"https://hooks.example.com/x","events":["wallet.balance_low"],"description":" """, "\"}"),
            BodyTarget.V1Patch => ("{\"description\":\"", "\"}"),
            _ => ("{\"webhook_url\":\"https://hooks.example.com/", "\"}"),
        };
        var bytes = Encoding.UTF8.GetBytes(prefix).Concat(bad).Concat(Encoding.UTF8.GetBytes(suffix)).ToArray();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");

        using var response = await state.SendAsync(this, content);

        await AssertValidationAsync(target, response, "body", JsonBody.NotJsonMessage);
        await state.AssertUnchangedAsync(this);
    }

    /// <summary>The target's body with its string field replaced by <paramref name="arrays"/> nested arrays.</summary>
    private static string NestedBody(BodyTarget target, int arrays)
    {
        var nested = new string('[', arrays) + new string(']', arrays);
        return target switch
        {
            BodyTarget.V1Post => $$"""{"url":"{{TargetState.NewUrl}}","events":{{nested}}}""",
            BodyTarget.V1Patch => $$"""{"events":{{nested}}}""",
            _ => $$"""{"webhook_url":{{nested}}}""",
        };
    }
}
