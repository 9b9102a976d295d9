using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Webhooks.Api.Http;
using Webhooks.Api.Tests.Helpers;
using Webhooks.Api.Tests.Support;

namespace Webhooks.Api.Tests.Http;

/// <summary>The JSON limits: depth, repeated names and undecodable text.</summary>
public sealed partial class LimitsTests
{
    // ---- JSON depth ------------------------------------------------------------------------

    [Test]
    public async Task Json_nested_32_deep_is_read_and_its_field_refused_by_type([ValueSource(nameof(Targets))] BodyTarget target)
    {
        var state = await ArrangeAsync(target);

        // The object is level 1; 31 arrays make 32 levels: the deepest the service reads.
        using var response = await state.SendAsync(this, Json.Body(state.NestedBody(31)));

        var field = target == BodyTarget.ClientsPatch ? "webhook_url" : "events[0]";
        await AssertValidationAsync(target, response, field, JsonObjectReader.MustBeStringMessage);
        await state.AssertUnchangedAsync(this);
    }

    [Test]
    public async Task Json_nested_deeper_than_32_is_not_valid_json([ValueSource(nameof(Targets))] BodyTarget target, [Values(33, 64, 10_000)] int levels)
    {
        var state = await ArrangeAsync(target);

        using var arrays = await state.SendAsync(this, Json.Body(state.NestedBody(levels - 1)));
        await AssertValidationAsync(target, arrays, "body", JsonBody.NotJsonMessage);

        var objects = new StringBuilder();
        for (var i = 0; i < levels; i++)
        {
            objects.Append("{\"a\":");
        }

        objects.Append('1').Append('}', levels);
        using var nestedObjects = await state.SendAsync(this, Json.Body(objects.ToString()));
        await AssertValidationAsync(target, nestedObjects, "body", JsonBody.NotJsonMessage);
        await state.AssertUnchangedAsync(this);
    }

    // ---- duplicate names -------------------------------------------------------------------

    [Test]
    public async Task A_property_given_twice_is_refused([ValueSource(nameof(Targets))] BodyTarget target)
    {
        var state = await ArrangeAsync(target);
        var (body, field) = target switch
        {
            BodyTarget.V1Post => ("""{"url":"https://hooks.example.com/a","events":["wallet.balance_low"],"url":"https://hooks.example.com/b"}""", "url"),
            BodyTarget.V1Patch => ("""{"active":false,"active":false}""", "active"),
            _ => ("""{"webhook_url":"https://hooks.example.com/a","webhook_url":"https://hooks.example.com/a"}""", "webhook_url"),
        };

        using var response = await state.SendAsync(this, Json.Body(body));

        await AssertValidationAsync(target, response, field, JsonObjectReader.RepeatedMessage);
        await state.AssertUnchangedAsync(this);
    }

    [Test]
    public async Task A_property_given_twice_with_an_escaped_name_is_refused()
    {
        // "\u0061ctive" is "active": the names are compared after decoding.
        var state = await ArrangeAsync(BodyTarget.V1Patch);

        using var response = await state.SendAsync(this, Json.Body("""{"active":false,"\u0061ctive":false}"""));

        await AssertValidationAsync(BodyTarget.V1Patch, response, "active", JsonObjectReader.RepeatedMessage);
        await state.AssertUnchangedAsync(this);
    }

    // ---- undecodable text ------------------------------------------------------------------

    private static IEnumerable<TestCaseData> LoneSurrogates()
    {
        foreach (var target in Enum.GetValues<BodyTarget>())
        {
            yield return new TestCaseData(target, "\\ud800").SetArgDisplayNames(target.ToString(), "a high surrogate alone");
            yield return new TestCaseData(target, "\\udfff").SetArgDisplayNames(target.ToString(), "a low surrogate alone");
            yield return new TestCaseData(target, "a\\ud83d\\u0041").SetArgDisplayNames(target.ToString(), "a high surrogate before a letter");
            yield return new TestCaseData(target, "\\ude80\\ud83d").SetArgDisplayNames(target.ToString(), "a pair in the wrong order");
        }
    }

    [TestCaseSource(nameof(LoneSurrogates))]
    public async Task A_string_with_a_lone_surrogate_escape_is_refused(BodyTarget target, string escaped)
    {
        var state = await ArrangeAsync(target);
        var (body, field) = target switch
        {
            BodyTarget.V1Post => ($$"""{"url":"https://hooks.example.com/x","events":["wallet.balance_low"],"description":"{{escaped}}"}""", "description"),
            BodyTarget.V1Patch => ($$"""{"description":"{{escaped}}"}""", "description"),
            _ => ($$"""{"webhook_url":"https://hooks.example.com/{{escaped}}"}""", "webhook_url"),
        };

        using var response = await state.SendAsync(this, Json.Body(body));

        await AssertValidationAsync(target, response, field, JsonObjectReader.MustBeTextMessage);
        await state.AssertUnchangedAsync(this);
    }

    [Test]
    public async Task An_event_type_with_a_lone_surrogate_escape_is_refused_as_text()
    {
        var state = await ArrangeAsync(BodyTarget.V1Patch);

        using var response = await state.SendAsync(this, Json.Body("""{"events":["wallet.balance_low","\ud800"]}"""));

        await AssertValidationAsync(BodyTarget.V1Patch, response, "events[1]", JsonObjectReader.MustBeTextMessage);
        await state.AssertUnchangedAsync(this);
    }

    [Test]
    public async Task A_property_name_with_a_lone_surrogate_escape_is_not_valid_json([ValueSource(nameof(Targets))] BodyTarget target)
    {
        var state = await ArrangeAsync(target);

        using var response = await state.SendAsync(this, Json.Body("""{"\ud800":1}"""));

        await AssertValidationAsync(target, response, "body", JsonBody.NotJsonMessage);
        await state.AssertUnchangedAsync(this);
    }

    [Test]
    public async Task A_surrogate_pair_escape_is_text()
    {
        var state = await ArrangeAsync(BodyTarget.V1Patch);

        using var response = await state.SendAsync(this, Json.Body("""{"description":"\ud83d\ude80 launch"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using var client = _factory.CreateClient(state.Key);
        var stored = await HardeningApi.GetEndpointAsync(client, state.EndpointId!);
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
}
