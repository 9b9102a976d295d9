using Webhooks.Api.Http;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Api.Tests.Clients;

/// <summary>
/// Refused <c>PATCH /clients/webhook-url</c> bodies: each a problem with exactly the expected
/// <c>errors</c>, and afterwards the client's previous URL is unchanged (nothing half-written).
/// </summary>
public sealed class PatchValidationTests : ClientsFixture
{
    private const string TooLong = HttpsUrl.TooLongMessage;
    private const string NotAString = JsonObjectReader.MustBeStringMessage;
    private const string Unknown = JsonObjectReader.UnknownFieldMessage;
    private const string ReadOnly = JsonObjectReader.ReadOnlyMessage;
    private const string Required = Client.WebhookUrlRequiredMessage;

    private static readonly string LongUrl = "https://hooks.example.com/" + new string('a', HttpsUrl.MaxLength + 1 - "https://hooks.example.com/".Length);

    /// <summary>The body (<c>null</c>: none at all) and exactly the <c>errors</c> it must get.</summary>
    public static IEnumerable<TestCaseData> Refused()
    {
        TestCaseData Url(string name, string url, string message) => Refuse(name, ClientsApi.UrlBody(url), "webhook_url", message);
        yield return Url("http scheme", "http://hooks.example.com/x", HttpsUrl.NotHttpsMessage);
        yield return Url("upper-case http scheme", "HTTP://hooks.example.com/x", HttpsUrl.NotHttpsMessage);
        yield return Url("ftp scheme", "ftp://hooks.example.com/x", HttpsUrl.NotHttpsMessage);
        yield return Url("wss scheme", "wss://hooks.example.com/x", HttpsUrl.NotHttpsMessage);
        yield return Url("relative, no scheme", "hooks.example.com/x", HttpsUrl.NotAbsoluteMessage);
        yield return Url("relative path", "/relative/path", HttpsUrl.NotAbsoluteMessage);
        yield return Url("scheme-relative", "//hooks.example.com/x", HttpsUrl.NotAbsoluteMessage);
        yield return Url("no host", "https://", HttpsUrl.NotAbsoluteMessage);
        yield return Url("user and password", "https://user:pw@hooks.example.com/x", HttpsUrl.UserInfoMessage);
        yield return Url("user name only", "https://user@hooks.example.com/x", HttpsUrl.UserInfoMessage);
        yield return Url("fragment", "https://hooks.example.com/x#frag", HttpsUrl.FragmentMessage);
        yield return Url("empty fragment", "https://hooks.example.com/x#", HttpsUrl.FragmentMessage);
        yield return Url("2049 characters", LongUrl, TooLong);
        yield return Url("space inside", "https://hooks.example.com/a b", HttpsUrl.WhiteSpaceMessage);
        yield return Url("backslash", "https://hooks.example.com\\x", HttpsUrl.WhiteSpaceMessage);

        yield return Refuse("absent", "{}", "webhook_url", Required);
        yield return Refuse("null", """{"webhook_url":null}""", "webhook_url", Required);

        foreach (var (kind, value) in new[]
        {
            ("integer", "42"), ("fraction", "0.5"), ("true", "true"), ("false", "false"), ("empty array", "[]"),
            ("array of a URL", """["https://hooks.example.com/x"]"""), ("empty object", "{}"), ("object with a URL", """{"url":"https://hooks.example.com/x"}"""),
        })
        {
            yield return Refuse($"webhook_url as {kind} must be a string", $$"""{"webhook_url":{{value}}}""", "webhook_url", NotAString);
        }

        yield return Refuse("unknown field next to a valid URL", """{"webhook_url":"https://new.example.com/x","url":"https://new.example.com/x"}""", "url", Unknown);
        yield return Refuse("secret is unknown here", """{"webhook_url":"https://new.example.com/x","secret":"s"}""", "secret", Unknown);
        yield return Refuse("field names are case-sensitive", """{"webhook_url":"https://new.example.com/x","Webhook_Url":"x"}""", "Webhook_Url", Unknown);
        yield return Refuse("only an unknown field reports it and the missing URL together", """{"url":"https://new.example.com/x"}""", "url", Unknown, "webhook_url", Required);
        foreach (var field in new[] { "client_id", "customer_id" })
        {
            yield return Refuse($"{field} is read-only", $$"""{"webhook_url":"https://new.example.com/x","{{field}}":"other"}""", field, ReadOnly);
        }

        yield return Refuse(
            "every problem is reported at once",
            """{"webhook_url":7,"client_id":"x","customer_id":"y","extra":1}""",
            "webhook_url", NotAString, "client_id", ReadOnly, "customer_id", ReadOnly, "extra", Unknown);
        yield return Refuse(
            "repeated field",
            """{"webhook_url":"https://a.example.com/","webhook_url":"https://b.example.com/"}""",
            "webhook_url", JsonObjectReader.RepeatedMessage);

        foreach (var (name, body) in new[]
        {
            ("unterminated object", "{"), ("missing value", """{"webhook_url":}"""), ("trailing comma", """{"webhook_url":"https://new.example.com/x",}"""),
            ("single quotes", """{'webhook_url':'https://new.example.com/x'}"""), ("two documents", """{"webhook_url":"https://new.example.com/x"} {}"""),
            ("bad literal", "nul"), ("form encoding sent as JSON", "webhook_url=https://new.example.com/x"),
            ("JSON nested too deep", """{"webhook_url":"https://new.example.com/x","x":""" + new string('[', 40) + new string(']', 40) + "}"),
        })
        {
            yield return Refuse(name, body, "body", JsonBody.NotJsonMessage);
        }

        foreach (var (kind, body) in new[]
        {
            ("empty array", "[]"), ("array of an object", """[{"webhook_url":"https://new.example.com/x"}]"""), ("string", "\"https://new.example.com/x\""),
            ("number", "42"), ("true", "true"), ("null", "null"), ("empty", string.Empty),
        })
        {
            yield return Refuse($"body that is {kind} must be a JSON object", body, "body", JsonBody.NotObjectMessage);
        }

        yield return Refuse("no body at all", null, "body", JsonBody.NotObjectMessage);
    }

    [TestCaseSource(nameof(Refused))]
    public async Task Patch_Refused_Is400WithEveryErrorAndChangesNothing(string? body, Dictionary<string, string> errors)
    {
        var client = await NewClientWithUrlAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, body is null ? null : Json.Body(body));

        await ClientsAssert.ValidationAsync(response, errors);
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [TestCase("text/plain")]
    [TestCase("application/x-www-form-urlencoded")]
    [TestCase("application/xml")]
    [TestCase("application/json; charset=iso-8859-1")]
    [TestCase("application/jsonx")]
    [TestCase(null)]
    public async Task Patch_NotJsonMediaType_Is415(string? contentType)
    {
        var client = await NewClientWithUrlAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, RawRequests.Bytes(ClientsApi.UrlBody("https://new.example.com/x"), contentType));

        await ClientsAssert.ProblemAsync(response, ProblemKind.UnsupportedMediaType);
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [Test]
    public async Task Patch_BodyOver64KiB_WithContentLength_Is413()
    {
        var client = await NewClientWithUrlAsync();
        var body = PaddedBody(64 * 1024 + 1);

        using var response = await ClientsApi.PatchAsync(Http, client, RawRequests.Bytes(body, "application/json"));

        await ClientsAssert.ProblemAsync(response, ProblemKind.PayloadTooLarge);
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [Test]
    public async Task Patch_BodyOver64KiB_WithoutContentLength_Is413()
    {
        var client = await NewClientWithUrlAsync();
        var body = PaddedBody(200 * 1024);

        using var response = await ClientsApi.PatchAsync(Http, client, new UnknownLengthContent(body, "application/json"));

        await ClientsAssert.ProblemAsync(response, ProblemKind.PayloadTooLarge);
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [Test]
    public async Task Patch_BodyOfExactly64KiB_IsRead()
    {
        var client = await NewClientWithUrlAsync();
        var body = PaddedBody(64 * 1024);

        using var response = await ClientsApi.PatchAsync(Http, client, RawRequests.Bytes(body, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "read and validated, not refused as too large");
        await ClientsAssert.ValidationAsync(response, "webhook_url", TooLong);
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    /// <summary><c>{"webhook_url":"https://hooks.example.com/aaa..."}</c> of exactly this many bytes.</summary>
    private static string PaddedBody(int bytes)
    {
        const string Start = """{"webhook_url":"https://hooks.example.com/""";
        const string End = "\"}";
        var body = Start + new string('a', bytes - Start.Length - End.Length) + End;
        Assert.That(Encoding.UTF8.GetByteCount(body), Is.EqualTo(bytes));
        return body;
    }

    private static TestCaseData Refuse(string name, string? body, params string[] fieldsAndMessages)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < fieldsAndMessages.Length; i += 2)
        {
            errors.Add(fieldsAndMessages[i], fieldsAndMessages[i + 1]);
        }

        return new TestCaseData(body, errors).SetName(name);
    }
}
