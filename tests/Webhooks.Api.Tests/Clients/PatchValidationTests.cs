using System.Net;
using System.Text;

namespace Webhooks.Api.Tests.Clients;

/// <summary>
/// Refused <c>PATCH /clients/webhook-url</c> bodies: each a problem with exactly the expected
/// <c>errors</c>, and afterwards the client's previous URL is unchanged (nothing half-written).
/// </summary>
public sealed class PatchValidationTests : ClientsFixture
{
    private const string Https = "must use https";
    private const string Absolute = "must be an absolute https URL";
    private const string UserInfo = "must not contain a user name or password";
    private const string Fragment = "must not contain a fragment";
    private const string TooLong = "must be at most 2048 characters";
    private const string WhiteSpace = "must not contain white space, control characters or backslashes";
    private const string NotAString = "must be a string";
    private const string Unknown = "is not a known field";
    private const string ReadOnly = "is read-only";
    private const string NotJson = "is not valid JSON";
    private const string NotAnObject = "must be a JSON object";

    private static readonly string LongUrl = "https://hooks.example.com/" + new string('a', 2049 - "https://hooks.example.com/".Length);

    public static IEnumerable<TestCaseData> RefusedUrls()
    {
        yield return new TestCaseData("http://hooks.example.com/x", Https).SetName("http scheme");
        yield return new TestCaseData("HTTP://hooks.example.com/x", Https).SetName("upper-case http scheme");
        yield return new TestCaseData("ftp://hooks.example.com/x", Https).SetName("ftp scheme");
        yield return new TestCaseData("wss://hooks.example.com/x", Https).SetName("wss scheme");
        yield return new TestCaseData("hooks.example.com/x", Absolute).SetName("relative, no scheme");
        yield return new TestCaseData("/relative/path", Absolute).SetName("relative path");
        yield return new TestCaseData("//hooks.example.com/x", Absolute).SetName("scheme-relative");
        yield return new TestCaseData("https://", Absolute).SetName("no host");
        yield return new TestCaseData("https://user:pw@hooks.example.com/x", UserInfo).SetName("user and password");
        yield return new TestCaseData("https://user@hooks.example.com/x", UserInfo).SetName("user name only");
        yield return new TestCaseData("https://hooks.example.com/x#frag", Fragment).SetName("fragment");
        yield return new TestCaseData("https://hooks.example.com/x#", Fragment).SetName("empty fragment");
        yield return new TestCaseData(LongUrl, TooLong).SetName("2049 characters");
        yield return new TestCaseData("https://hooks.example.com/a b", WhiteSpace).SetName("space inside");
        yield return new TestCaseData("https://hooks.example.com\\x", WhiteSpace).SetName("backslash");
    }

    [TestCaseSource(nameof(RefusedUrls))]
    public async Task Patch_UrlBreakingTheHttpsRule_Is400AndChangesNothing(string url, string message)
    {
        var client = await NewClientWithUrlAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, ClientsApi.UrlBody(url));

        await ClientsAssert.ValidationAsync(response, "webhook_url", message);
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [TestCase("{}", TestName = "absent")]
    [TestCase("""{"webhook_url":null}""", TestName = "null")]
    public async Task Patch_AbsentOrNull_Is400SayingHowToClear(string body)
    {
        var client = await NewClientWithUrlAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, body);

        var text = await ClientsAssert.ValidationAsync(response, "webhook_url", ClientsApi.RequiredMessage);
        Assert.That(text, Does.Contain("empty string"));
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [TestCase("42")]
    [TestCase("0.5")]
    [TestCase("true")]
    [TestCase("false")]
    [TestCase("[]")]
    [TestCase("""["https://hooks.example.com/x"]""")]
    [TestCase("{}")]
    [TestCase("""{"url":"https://hooks.example.com/x"}""")]
    public async Task Patch_WrongType_Is400MustBeAString(string value)
    {
        var client = await NewClientWithUrlAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, $$"""{"webhook_url":{{value}}}""");

        await ClientsAssert.ValidationAsync(response, "webhook_url", NotAString);
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [TestCase("""{"webhook_url":"https://new.example.com/x","url":"https://new.example.com/x"}""", "url", TestName = "unknown field next to a valid URL")]
    [TestCase("""{"webhook_url":"https://new.example.com/x","secret":"s"}""", "secret", TestName = "secret is unknown here")]
    [TestCase("""{"webhook_url":"https://new.example.com/x","Webhook_Url":"x"}""", "Webhook_Url", TestName = "field names are case-sensitive")]
    public async Task Patch_UnknownField_Is400AndChangesNothing(string body, string field)
    {
        var client = await NewClientWithUrlAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, body);

        await ClientsAssert.ValidationAsync(response, field, Unknown);
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [Test]
    public async Task Patch_OnlyAnUnknownField_ReportsItAndTheMissingUrlTogether()
    {
        var client = await NewClientWithUrlAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, """{"url":"https://new.example.com/x"}""");

        await ClientsAssert.ValidationAsync(response, new Dictionary<string, string>
        {
            ["url"] = Unknown,
            ["webhook_url"] = ClientsApi.RequiredMessage,
        });
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [TestCase("client_id")]
    [TestCase("customer_id")]
    public async Task Patch_ReadOnlyField_Is400AndChangesNothing(string field)
    {
        var client = await NewClientWithUrlAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, $$"""{"webhook_url":"https://new.example.com/x","{{field}}":"other"}""");

        await ClientsAssert.ValidationAsync(response, field, ReadOnly);
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [Test]
    public async Task Patch_EveryProblemIsReportedAtOnce()
    {
        var client = await NewClientWithUrlAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, """{"webhook_url":7,"client_id":"x","customer_id":"y","extra":1}""");

        await ClientsAssert.ValidationAsync(response, new Dictionary<string, string>
        {
            ["webhook_url"] = NotAString,
            ["client_id"] = ReadOnly,
            ["customer_id"] = ReadOnly,
            ["extra"] = Unknown,
        });
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [Test]
    public async Task Patch_RepeatedField_Is400()
    {
        var client = await NewClientWithUrlAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, """{"webhook_url":"https://a.example.com/","webhook_url":"https://b.example.com/"}""");

        await ClientsAssert.ValidationAsync(response, "webhook_url", "must appear only once");
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [TestCase("{", TestName = "unterminated object")]
    [TestCase("""{"webhook_url":}""", TestName = "missing value")]
    [TestCase("""{"webhook_url":"https://new.example.com/x",}""", TestName = "trailing comma")]
    [TestCase("""{'webhook_url':'https://new.example.com/x'}""", TestName = "single quotes")]
    [TestCase("""{"webhook_url":"https://new.example.com/x"} {}""", TestName = "two documents")]
    [TestCase("nul", TestName = "bad literal")]
    [TestCase("webhook_url=https://new.example.com/x", TestName = "form encoding sent as JSON")]
    public async Task Patch_MalformedJson_Is400BodyIsNotValidJson(string body)
    {
        var client = await NewClientWithUrlAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, body);

        await ClientsAssert.ValidationAsync(response, "body", NotJson);
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [Test]
    public async Task Patch_JsonNestedTooDeep_IsMalformed()
    {
        var client = await NewClientWithUrlAsync();
        var body = """{"webhook_url":"https://new.example.com/x","x":""" + new string('[', 40) + new string(']', 40) + "}";

        using var response = await ClientsApi.PatchAsync(Http, client, body);

        await ClientsAssert.ValidationAsync(response, "body", NotJson);
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [TestCase("[]")]
    [TestCase("""[{"webhook_url":"https://new.example.com/x"}]""")]
    [TestCase("\"https://new.example.com/x\"")]
    [TestCase("42")]
    [TestCase("true")]
    [TestCase("null")]
    [TestCase("")]
    public async Task Patch_BodyThatIsNotAnObject_Is400MustBeAJsonObject(string body)
    {
        var client = await NewClientWithUrlAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, body);

        await ClientsAssert.ValidationAsync(response, "body", NotAnObject);
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [Test]
    public async Task Patch_WithNoBodyAtAll_Is400MustBeAJsonObject()
    {
        var client = await NewClientWithUrlAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, (HttpContent?)null);

        await ClientsAssert.ValidationAsync(response, "body", NotAnObject);
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

        using var response = await ClientsApi.PatchAsync(Http, client, ClientsApi.Bytes(ClientsApi.UrlBody("https://new.example.com/x"), contentType));

        await ClientsAssert.ProblemAsync(response, ProblemKind.UnsupportedMediaType);
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [Test]
    public async Task Patch_BodyOver64KiB_WithContentLength_Is413()
    {
        var client = await NewClientWithUrlAsync();
        var body = PaddedBody(64 * 1024 + 1);

        using var response = await ClientsApi.PatchAsync(Http, client, ClientsApi.Bytes(body, "application/json"));

        await ClientsAssert.ProblemAsync(response, ProblemKind.PayloadTooLarge);
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [Test]
    public async Task Patch_BodyOver64KiB_WithoutContentLength_Is413()
    {
        var client = await NewClientWithUrlAsync();
        var body = PaddedBody(200 * 1024);

        using var response = await ClientsApi.PatchAsync(Http, client, new StreamedContent(body, "application/json"));

        await ClientsAssert.ProblemAsync(response, ProblemKind.PayloadTooLarge);
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [Test]
    public async Task Patch_BodyOfExactly64KiB_IsRead()
    {
        var client = await NewClientWithUrlAsync();
        var body = PaddedBody(64 * 1024);

        using var response = await ClientsApi.PatchAsync(Http, client, ClientsApi.Bytes(body, "application/json"));

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

    /// <summary>A body sent in pieces, without <c>Content-Length</c>.</summary>
    private sealed class StreamedContent : HttpContent
    {
        private readonly byte[] _bytes;

        public StreamedContent(string text, string contentType)
        {
            _bytes = Encoding.UTF8.GetBytes(text);
            Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
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
}
