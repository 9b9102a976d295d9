using Webhooks.Api.Http;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>The body as a whole: a JSON object, as JSON or merge-patch JSON, at most 64 KiB.</summary>
[TestFixture]
public sealed class PatchBodyTests : WebhooksFixture
{
    private const int MaxBytes = 64 * 1024;

    private static IEnumerable<TestCaseData> NotJson()
    {
        yield return new TestCaseData("{").SetName("body unclosed object is not valid JSON");
        yield return new TestCaseData("""{"active":}""").SetName("body missing value is not valid JSON");
        yield return new TestCaseData("{'active':false}").SetName("body single quotes are not valid JSON");
        yield return new TestCaseData("""{"active":false,}""").SetName("body trailing comma is not valid JSON");
        yield return new TestCaseData("""{"active":false /* off */}""").SetName("body comment is not valid JSON");
        yield return new TestCaseData("""{"active":false} {}""").SetName("body two documents are not valid JSON");
        yield return new TestCaseData("active=false").SetName("body form text is not valid JSON");
        yield return new TestCaseData("""{"description":"a""").SetName("body unterminated string is not valid JSON");
    }

    private static IEnumerable<TestCaseData> NotAnObject()
    {
        yield return new TestCaseData("[]").SetName("body empty array must be an object");
        yield return new TestCaseData("""[{"active":false}]""").SetName("body array of an object must be an object");
        yield return new TestCaseData("\"active\"").SetName("body string must be an object");
        yield return new TestCaseData("42").SetName("body number must be an object");
        yield return new TestCaseData("true").SetName("body boolean must be an object");
        yield return new TestCaseData("null").SetName("body null must be an object");
        yield return new TestCaseData("").SetName("body empty must be an object");
    }

    private static IEnumerable<TestCaseData> AcceptedContentTypes()
    {
        yield return new TestCaseData("application/json").SetName("content type application/json accepted");
        yield return new TestCaseData("application/json; charset=utf-8").SetName("content type application/json with charset utf-8 accepted");
        yield return new TestCaseData("application/json; charset=UTF-8").SetName("content type charset UTF-8 in capitals accepted");
        yield return new TestCaseData("Application/JSON").SetName("content type in capitals accepted");
        yield return new TestCaseData("application/merge-patch+json").SetName("content type application/merge-patch+json accepted");
        yield return new TestCaseData("application/merge-patch+json; charset=utf-8").SetName("content type merge-patch with charset accepted");
    }

    private static IEnumerable<TestCaseData> RefusedContentTypes()
    {
        yield return new TestCaseData("text/plain").SetName("content type text/plain refused");
        yield return new TestCaseData("text/json").SetName("content type text/json refused");
        yield return new TestCaseData("application/x-www-form-urlencoded").SetName("content type form refused");
        yield return new TestCaseData("application/xml").SetName("content type xml refused");
        yield return new TestCaseData("application/json-patch+json").SetName("content type JSON Patch refused");
        yield return new TestCaseData("application/json; charset=iso-8859-1").SetName("content type JSON in latin-1 refused");
        yield return new TestCaseData(null).SetName("content type missing refused");
    }

    [TestCaseSource(nameof(NotJson))]
    public async Task Patch_malformed_json_is_refused(string body)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), body);

        await ApiAssert.ValidationFailed(response, Details("body", JsonBody.NotJsonMessage));
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Patch_json_nested_too_deep_is_refused_as_not_valid_json()
    {
        var before = await CreateEndpointAsync();
        var body = "{\"x\":" + new string('[', 64) + new string(']', 64) + "}";

        using var response = await PatchAsync(IdOf(before), body);

        await ApiAssert.ValidationFailed(response, Details("body", JsonBody.NotJsonMessage));
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Patch_body_that_is_not_utf8_is_refused_not_a_server_error()
    {
        var before = await CreateEndpointAsync();
        var bytes = Encoding.UTF8.GetBytes("""{"description":"caf_"}""");
        bytes[Array.IndexOf(bytes, (byte)'_')] = 0xE9; // "café" in Latin-1: not UTF-8.

        using var response = await PatchAsync(IdOf(before), RawBody(bytes, "application/json"));

        await ApiAssert.ValidationFailed(response, Details("body", JsonBody.NotJsonMessage));
        await AssertUnchangedAsync(before);
    }

    [TestCase(new byte[] { 0xC3 }, TestName = "body with a truncated UTF-8 sequence is not valid JSON")]
    [TestCase(new byte[] { 0xC0, 0xAF }, TestName = "body with an overlong UTF-8 encoding is not valid JSON")]
    [TestCase(new byte[] { 0xED, 0xA0, 0xBD }, TestName = "body with a UTF-8 encoded surrogate is not valid JSON")]
    [TestCase(new byte[] { 0xFF }, TestName = "body with a byte that never occurs in UTF-8 is not valid JSON")]
    public async Task Patch_body_with_invalid_utf8_in_a_value_is_refused_as_not_valid_json(byte[] invalid)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), RawBody(Utf8With("""{"description":"x_y","active":null}""", invalid), "application/json"));

        await ApiAssert.ValidationFailed(response, Details("body", JsonBody.NotJsonMessage));
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Patch_body_with_invalid_utf8_in_a_field_name_is_refused_as_not_valid_json()
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), RawBody(Utf8With("""{"active":false,"_":1}""", [0xE9]), "application/json"));

        await ApiAssert.ValidationFailed(response, Details("body", JsonBody.NotJsonMessage));
        await AssertUnchangedAsync(before);
    }

    [TestCaseSource(nameof(NotAnObject))]
    public async Task Patch_body_that_is_not_an_object_is_refused(string body)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), body);

        await ApiAssert.ValidationFailed(response, Details("body", JsonBody.NotObjectMessage));
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Patch_without_a_body_is_refused()
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), content: null);

        await ApiAssert.ValidationFailed(response, Details("body", JsonBody.NotObjectMessage));
        await AssertUnchangedAsync(before);
    }

    [TestCaseSource(nameof(AcceptedContentTypes))]
    public async Task Patch_json_content_types_are_accepted(string contentType)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), RawBody("""{"active":false}""", contentType));

        var after = await AssertPatchedAsync(response);
        AssertPatchedFrom(before, after, DefaultState with { Active = false });
    }

    [TestCaseSource(nameof(RefusedContentTypes))]
    public async Task Patch_other_content_types_are_refused(string? contentType)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), RawBody("""{"active":false}""", contentType));

        await ApiAssert.Envelope(response, HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "content type must be application/json");
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Patch_body_over_64_KiB_is_refused()
    {
        var before = await CreateEndpointAsync();
        var body = PaddedBody(MaxBytes + 1);

        using var response = await PatchAsync(IdOf(before), RawBody(body, "application/json"));

        await ApiAssert.Envelope(response, HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE", "request body is too large");
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Patch_body_over_64_KiB_without_a_content_length_is_refused()
    {
        var before = await CreateEndpointAsync();
        var content = new StreamContent(new UnknownLengthStream(PaddedBody(MaxBytes * 2)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await PatchAsync(IdOf(before), content);

        await ApiAssert.Envelope(response, HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE", "request body is too large");
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Patch_body_of_exactly_64_KiB_is_read()
    {
        var before = await CreateEndpointAsync();
        var body = PaddedBody(MaxBytes);
        Assert.That(body, Has.Length.EqualTo(MaxBytes));

        using var response = await PatchAsync(IdOf(before), RawBody(body, "application/json"));

        var after = await AssertPatchedAsync(response);
        AssertPatchedFrom(before, after, DefaultState with { Description = "padded" });
    }

    /// <summary>The UTF-8 bytes of <paramref name="text"/> with its one <c>_</c> replaced by <paramref name="invalid"/>.</summary>
    private static byte[] Utf8With(string text, byte[] invalid)
    {
        var at = text.IndexOf('_', StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(text[..at]), .. invalid, .. Encoding.UTF8.GetBytes(text[(at + 1)..])];
    }

    /// <summary><c>{"description":"padded"}</c> with white space inside the object, this many bytes long.</summary>
    private static byte[] PaddedBody(int length)
    {
        const string Head = "{\"description\":\"padded\"";
        var text = Head + new string(' ', length - Head.Length - 1) + "}";
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>A stream that does not tell its length, so the body is sent without <c>Content-Length</c>.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
