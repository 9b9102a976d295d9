using Webhooks.Api.Errors;
using Webhooks.Api.Http;

namespace Webhooks.Api.Tests.Errors;

/// <summary>The envelope for bodies the service cannot read: not JSON, not an object, wrong types, wrong media type, over the size limit.</summary>
public sealed partial class ErrorEnvelopeTests
{
    private const int MaxBodyBytes = JsonBody.MaxBytes;

    /// <summary>Bodies the service cannot read as a JSON object: only the body's problem is reported (no "is required").</summary>
    private static IEnumerable<TestCaseData> UnreadableBodies()
    {
        foreach (var body in new[]
        {
            "{", "{\"url\":\"https://hooks.example.com/x\",\"events\":[\"wallet.balance_low\"],}", "{'url':'https://hooks.example.com/x'}", "nul", "{} {}",
            "{\"url\":\"https://hooks.example.com/x\" // comment\n}",
        })
        {
            yield return new TestCaseData(body, JsonBody.NotJsonMessage).SetArgDisplayNames("malformed JSON", body);
        }

        yield return new TestCaseData("""{"url":"http://x","\ud83d":1}""", JsonBody.NotJsonMessage).SetArgDisplayNames("a field name with a lone surrogate");
        yield return new TestCaseData("{\"url\":" + new string('[', 40) + new string(']', 40) + "}", JsonBody.NotJsonMessage).SetArgDisplayNames("nested deeper than the limit");
        foreach (var body in new[] { "[]", "[{\"url\":\"https://hooks.example.com/x\",\"events\":[\"wallet.balance_low\"]}]", "\"https://hooks.example.com/x\"", "42", "null", "" })
        {
            yield return new TestCaseData(body, JsonBody.NotObjectMessage).SetArgDisplayNames("not an object", body);
        }

        yield return new TestCaseData(null, JsonBody.NotObjectMessage).SetArgDisplayNames("no body at all");
    }

    [TestCaseSource(nameof(UnreadableBodies))]
    public async Task Post_UnreadableBody_Is400WithOnlyTheBodyProblem(string? body, string message)
    {
        var client = _factory.CreateClient(_org.Key);

        var response = body is null ? await client.PostAsync("/v1/webhooks", content: null) : await client.PostJsonAsync("/v1/webhooks", body);

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["body"] = message });
    }

    /// <summary>Bytes that are not UTF-8 make the body not valid JSON; nothing else is reported (no "is required").</summary>
    [TestCase(new byte[] { 0xE9 })]
    [TestCase(new byte[] { 0xC3 })]
    [TestCase(new byte[] { 0xC0, 0xAF })]
    [TestCase(new byte[] { 0xED, 0xA0, 0xBD })]
    [TestCase(new byte[] { 0xFF })]
    public async Task Post_BodyThatIsNotUtf8_Is400WithOnlyTheBodyProblem(byte[] invalid)
    {
        var before = await StoredData.EndpointsAsync(_factory.Services);
        byte[] bytes = [.. Encoding.UTF8.GetBytes("{\"description\":\""), .. invalid, .. Encoding.UTF8.GetBytes("\"}")];
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await _factory.CreateClient(_org.Key).PostAsync("/v1/webhooks", content);

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["body"] = JsonBody.NotJsonMessage });
        Assert.That(await StoredData.EndpointsAsync(_factory.Services), Is.EqualTo(before));
    }

    [Test]
    public async Task Post_EveryWrongJsonTypeAtOnce_Is400NamingEachField()
    {
        var body = """{"url":5,"events":"wallet.balance_low","description":true,"active":"true","api_version":20260401}""";

        var response = await _factory.CreateClient(_org.Key).PostJsonAsync("/v1/webhooks", body);

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string>
        {
            ["url"] = JsonObjectReader.MustBeStringMessage,
            ["events"] = JsonObjectReader.MustBeArrayOfStringsMessage,
            ["description"] = JsonObjectReader.MustBeStringMessage,
            ["active"] = JsonObjectReader.MustBeBooleanMessage,
            ["api_version"] = JsonObjectReader.MustBeStringMessage,
        });
    }

    [TestCase("text/plain")]
    [TestCase("text/json")]
    [TestCase("application/xml")]
    [TestCase("application/x-www-form-urlencoded")]
    [TestCase("multipart/form-data; boundary=x")]
    [TestCase("application/json; charset=utf-16")]
    [TestCase("application/json; charset=iso-8859-1")]
    [TestCase("application/jsonx")]
    [TestCase("not a media type")]
    [TestCase(null)]
    public async Task Post_BodyThatIsNotJsonContent_Is415AndCreatesNothing(string? contentType)
    {
        var before = await StoredData.EndpointsAsync(_factory.Services);
        var content = RawRequests.Bytes(WebhookResource.MinimalBody, contentType);

        var response = await _factory.CreateClient(_org.Key).PostAsync("/v1/webhooks", content);

        await ApiAssert.Envelope(response, HttpStatusCode.UnsupportedMediaType, ApiError.UnsupportedMediaType.Code, ApiError.UnsupportedMediaType.Message);
        Assert.That(await StoredData.EndpointsAsync(_factory.Services), Is.EqualTo(before));
    }

    [TestCase("application/json")]
    [TestCase("application/json; charset=utf-8")]
    [TestCase("Application/JSON; charset=\"UTF-8\"")]
    [TestCase("application/merge-patch+json")]
    public async Task Post_JsonContentTypes_AreAccepted(string contentType)
    {
        var response = await _factory.CreateClient(_org.Key).PostAsync("/v1/webhooks", RawRequests.Bytes(WebhookResource.MinimalBody, contentType));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Post_NotJsonWithoutAKey_Is401First()
    {
        var response = await _factory.CreateClient((string?)null).PostAsync("/v1/webhooks", RawRequests.Bytes("a=b", "application/x-www-form-urlencoded"));

        await ApiAssert.Unauthorized(response);
    }

    [Test]
    public async Task Post_BodyOverTheLimit_Is413AndCreatesNothing()
    {
        var before = await StoredData.EndpointsAsync(_factory.Services);

        var response = await _factory.CreateClient(_org.Key).PostAsync("/v1/webhooks", Json.Body(BodyOfSize(MaxBodyBytes + 1)));

        await ApiAssert.Envelope(response, HttpStatusCode.RequestEntityTooLarge, ApiError.PayloadTooLarge.Code, ApiError.PayloadTooLarge.Message);
        Assert.That(await StoredData.EndpointsAsync(_factory.Services), Is.EqualTo(before));
    }

    [Test]
    public async Task Post_BodyOfExactlyTheLimit_IsReadAndValidated()
    {
        var body = BodyOfSize(MaxBodyBytes);
        Assert.That(Encoding.UTF8.GetByteCount(body), Is.EqualTo(MaxBodyBytes));

        var response = await _factory.CreateClient(_org.Key).PostAsync("/v1/webhooks", Json.Body(body));

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["padding"] = JsonObjectReader.UnknownFieldMessage });
    }

    [Test]
    public async Task Post_BodyOverTheLimitWithoutContentLength_Is413()
    {
        var content = new UnknownLengthContent(BodyOfSize(MaxBodyBytes * 4), "application/json");

        var response = await _factory.CreateClient(_org.Key).PostAsync("/v1/webhooks", content);

        await ApiAssert.Envelope(response, HttpStatusCode.RequestEntityTooLarge, ApiError.PayloadTooLarge.Code, ApiError.PayloadTooLarge.Message);
    }

    [Test]
    public async Task Post_HugeBodyThatIsNotJson_Is413()
    {
        var content = RawRequests.Bytes(new string('a', MaxBodyBytes * 2), "text/plain");

        var response = await _factory.CreateClient(_org.Key).PostAsync("/v1/webhooks", content);

        await ApiAssert.Envelope(response, HttpStatusCode.RequestEntityTooLarge, ApiError.PayloadTooLarge.Code, ApiError.PayloadTooLarge.Message);
    }

    [Test]
    public async Task Post_BodyOverTheLimitWithoutAKey_Is401First()
    {
        var response = await _factory.CreateClient((string?)null).PostAsync("/v1/webhooks", Json.Body(BodyOfSize(MaxBodyBytes + 1)));

        await ApiAssert.Unauthorized(response);
    }

    [Test]
    public async Task Patch_BodyOverTheLimitOrNotJson_Is413Or415()
    {
        var client = _factory.CreateClient(_org.Key);
        var path = $"/v1/webhooks/{_endpointId}";

        await ApiAssert.Envelope(
            await client.PatchAsync(path, Json.Body(BodyOfSize(MaxBodyBytes + 1))),
            HttpStatusCode.RequestEntityTooLarge,
            ApiError.PayloadTooLarge.Code,
            ApiError.PayloadTooLarge.Message);
        await ApiAssert.Envelope(
            await client.PatchAsync(path, RawRequests.Bytes("""{"description":"x"}""", "text/plain")),
            HttpStatusCode.UnsupportedMediaType,
            ApiError.UnsupportedMediaType.Code,
            ApiError.UnsupportedMediaType.Message);
    }

    /// <summary>A JSON object of exactly <paramref name="bytes"/> UTF-8 bytes, valid but for an unknown <c>padding</c> field.</summary>
    private static string BodyOfSize(int bytes)
    {
        const string Start = "{\"url\":\"https://hooks.example.com/x\",\"events\":[\"wallet.balance_low\"],\"padding\":\"";
        const string End = "\"}";
        return Start + new string('a', bytes - Start.Length - End.Length) + End;
    }
}
