using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using Webhooks.Api.Tests.Helpers;
using Webhooks.Api.Tests.Support;

namespace Webhooks.Api.Tests;

/// <summary>
/// Every failure under <c>/v1</c> is the <c>{"success":false,"error":{...}}</c> envelope: unknown
/// paths, wrong methods, unreadable bodies, transport limits, and unexpected errors.
/// </summary>
public sealed class ErrorEnvelopeTests
{
    private const int MaxBodyBytes = 64 * 1024;
    private const string UnsupportedMediaTypeMessage = "content type must be application/json";
    private const string PayloadTooLargeMessage = "request body is too large";

    private ApiFactory _factory = null!;
    private TestOrganization _org = null!;
    private string _endpointId = null!;

    [OneTimeSetUp]
    public async Task StartService()
    {
        _factory = new ApiFactory();
        _org = await _factory.CreateOrganizationAsync();
        var endpoint = await WebhookResource.CreateAsync(_factory.CreateClient(_org.Key));
        _endpointId = endpoint.GetProperty("id").GetString()!;
    }

    [OneTimeTearDown]
    public void StopService() => _factory.Dispose();

    [TestCase("GET", "/v1/nothing")]
    [TestCase("POST", "/v1/nothing")]
    [TestCase("GET", "/v1")]
    [TestCase("GET", "/v1/")]
    [TestCase("GET", "/v1/webhooks/x/y")]
    [TestCase("GET", "/v1/webhooks/{id}/secret")]
    [TestCase("PATCH", "/v1/webhooks/x/y")]
    [TestCase("GET", "/v2/webhooks/{id}")]
    public async Task UnknownPath_Is404Envelope_WithAndWithoutAKey(string method, string path)
    {
        path = path.Replace("{id}", _endpointId, StringComparison.Ordinal);
        foreach (var key in new[] { _org.Key, null })
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method != "GET")
            {
                request.Content = Json.Body("{}");
            }

            var response = await _factory.CreateClient(key).SendAsync(request);

            await ApiAssert.NotFound(response);
        }
    }

    [TestCase("PUT", "/v1/webhooks/{id}", new[] { "GET", "PATCH", "DELETE" }, "PUT")]
    [TestCase("POST", "/v1/webhooks/{id}", new[] { "GET", "PATCH", "DELETE" }, "POST")]
    [TestCase("DELETE", "/v1/webhooks", new[] { "GET", "POST" }, "DELETE")]
    [TestCase("PUT", "/v1/webhooks", new[] { "GET", "POST" }, "PUT")]
    [TestCase("PATCH", "/v1/webhooks", new[] { "GET", "POST" }, "PATCH")]
    [TestCase("GET", "/v1/webhooks/{id}/secret/rotate", new[] { "POST" }, "GET")]
    [TestCase("DELETE", "/v1/webhooks/{id}/secret/rotate", new[] { "POST" }, "DELETE")]
    [TestCase("POST", "/v1/event-types", new[] { "GET" }, "POST")]
    [TestCase("DELETE", "/v1/event-types", new[] { "GET" }, "DELETE")]
    public async Task WrongMethod_Is405Envelope_WithAnAllowHeader(string method, string path, string[] allowed, string notAllowed)
    {
        path = path.Replace("{id}", _endpointId, StringComparison.Ordinal);
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET")
        {
            request.Content = Json.Body("{}");
        }

        var response = await _factory.CreateClient(_org.Key).SendAsync(request);

        await ApiAssert.Envelope(response, HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED", "method not allowed");
        Assert.That(response.Content.Headers.Allow, Is.EquivalentTo(allowed), "Allow lists exactly the methods of the path");
        Assert.That(response.Content.Headers.Allow, Does.Not.Contain(notAllowed));
        await AssertEndpointIntactAsync();
    }

    [Test]
    public async Task WrongMethod_WithoutAKey_IsStill405()
    {
        var response = await _factory.CreateClient((string?)null).PutAsync($"/v1/webhooks/{_endpointId}", Json.Body("{}"));

        await ApiAssert.Envelope(response, HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED", "method not allowed");
        Assert.That(response.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET", "PATCH", "DELETE" }));
    }

    [Test]
    public async Task Delete_WithoutAKey_Is401_NotA405_AndDeletesNothing()
    {
        // DELETE /v1/webhooks/{id} is an operation now: it authenticates like the others.
        var response = await _factory.CreateClient((string?)null).DeleteAsync($"/v1/webhooks/{_endpointId}");

        await ApiAssert.Unauthorized(response);
        await AssertEndpointIntactAsync();
    }

    /// <summary>The fixture's endpoint still exists (a refused request deleted nothing).</summary>
    private async Task AssertEndpointIntactAsync()
    {
        var response = await _factory.CreateClient(_org.Key).GetAsync($"/v1/webhooks/{_endpointId}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [TestCase("{")]
    [TestCase("{\"url\":\"https://hooks.example.com/x\",\"events\":[\"wallet.balance_low\"],}")]
    [TestCase("{'url':'https://hooks.example.com/x'}")]
    [TestCase("nul")]
    [TestCase("{} {}")]
    [TestCase("{\"url\":\"https://hooks.example.com/x\" // comment\n}")]
    public async Task Post_MalformedJson_Is400WithOnlyTheBodyProblem(string body)
    {
        var response = await _factory.CreateClient(_org.Key).PostJsonAsync("/v1/webhooks", body);

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["body"] = "is not valid JSON" });
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

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["body"] = "is not valid JSON" });
        Assert.That(await StoredData.EndpointsAsync(_factory.Services), Is.EqualTo(before));
    }

    [Test]
    public async Task Post_FieldNameWithALoneSurrogate_Is400WithOnlyTheBodyProblem()
    {
        var response = await _factory.CreateClient(_org.Key).PostJsonAsync("/v1/webhooks", """{"url":"http://x","\ud83d":1}""");

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["body"] = "is not valid JSON" });
    }

    [Test]
    public async Task Post_JsonNestedDeeperThanTheLimit_Is400NotValidJson()
    {
        var body = "{\"url\":" + new string('[', 40) + new string(']', 40) + "}";

        var response = await _factory.CreateClient(_org.Key).PostJsonAsync("/v1/webhooks", body);

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["body"] = "is not valid JSON" });
    }

    [TestCase("[]")]
    [TestCase("[{\"url\":\"https://hooks.example.com/x\",\"events\":[\"wallet.balance_low\"]}]")]
    [TestCase("\"https://hooks.example.com/x\"")]
    [TestCase("42")]
    [TestCase("null")]
    [TestCase("")]
    public async Task Post_BodyThatIsNotAJsonObject_Is400WithOnlyTheBodyProblem(string body)
    {
        var response = await _factory.CreateClient(_org.Key).PostJsonAsync("/v1/webhooks", body);

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["body"] = "must be a JSON object" });
    }

    [Test]
    public async Task Post_WithoutAnyBody_Is400MustBeAJsonObject()
    {
        var response = await _factory.CreateClient(_org.Key).PostAsync("/v1/webhooks", content: null);

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["body"] = "must be a JSON object" });
    }

    [Test]
    public async Task Post_EveryWrongJsonTypeAtOnce_Is400NamingEachField()
    {
        var body = """{"url":5,"events":"wallet.balance_low","description":true,"active":"true","api_version":20260401}""";

        var response = await _factory.CreateClient(_org.Key).PostJsonAsync("/v1/webhooks", body);

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string>
        {
            ["url"] = "must be a string",
            ["events"] = "must be an array of strings",
            ["description"] = "must be a string",
            ["active"] = "must be a boolean",
            ["api_version"] = "must be a string",
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

        await ApiAssert.Envelope(response, HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", UnsupportedMediaTypeMessage);
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

        await ApiAssert.Envelope(response, HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE", PayloadTooLargeMessage);
        Assert.That(await StoredData.EndpointsAsync(_factory.Services), Is.EqualTo(before));
    }

    [Test]
    public async Task Post_BodyOfExactlyTheLimit_IsReadAndValidated()
    {
        var body = BodyOfSize(MaxBodyBytes);
        Assert.That(Encoding.UTF8.GetByteCount(body), Is.EqualTo(MaxBodyBytes));

        var response = await _factory.CreateClient(_org.Key).PostAsync("/v1/webhooks", Json.Body(body));

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["padding"] = "is not a known field" });
    }

    [Test]
    public async Task Post_BodyOverTheLimitWithoutContentLength_Is413()
    {
        var content = new UnknownLengthContent(BodyOfSize(MaxBodyBytes * 4), "application/json");

        var response = await _factory.CreateClient(_org.Key).PostAsync("/v1/webhooks", content);

        await ApiAssert.Envelope(response, HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE", PayloadTooLargeMessage);
    }

    [Test]
    public async Task Post_HugeBodyThatIsNotJson_Is413()
    {
        var content = RawRequests.Bytes(new string('a', MaxBodyBytes * 2), "text/plain");

        var response = await _factory.CreateClient(_org.Key).PostAsync("/v1/webhooks", content);

        await ApiAssert.Envelope(response, HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE", PayloadTooLargeMessage);
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
            "PAYLOAD_TOO_LARGE",
            PayloadTooLargeMessage);
        await ApiAssert.Envelope(
            await client.PatchAsync(path, RawRequests.Bytes("""{"description":"x"}""", "text/plain")),
            HttpStatusCode.UnsupportedMediaType,
            "UNSUPPORTED_MEDIA_TYPE",
            UnsupportedMediaTypeMessage);
    }

    /// <summary>
    /// An unexpected failure (here: the database lost a table under the running service) is a 500
    /// that says nothing about internals: no SQL, no table, no provider, no stack trace.
    /// </summary>
    [Test]
    public async Task UnexpectedError_Is500ThatRevealsNothing()
    {
        using var factory = new ApiFactory();
        var org = await factory.CreateOrganizationAsync();
        var client = factory.CreateClient(org.Key);
        var endpoint = await WebhookResource.CreateAsync(client);
        var path = $"/v1/webhooks/{endpoint.GetProperty("id").GetString()}";
        await using (var connection = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE webhook_endpoints";
            await command.ExecuteNonQueryAsync();
        }

        foreach (var response in new[] { await client.GetAsync(path), await client.PostJsonAsync("/v1/webhooks", WebhookResource.MinimalBody) })
        {
            await ApiAssert.Envelope(response, HttpStatusCode.InternalServerError, "INTERNAL_ERROR", "internal error");
            var text = await response.Content.ReadAsStringAsync();
            foreach (var secret in new[] { "webhook_endpoints", "SELECT", "INSERT", "sqlite", "Exception", " at ", "Webhooks.", org.Key })
            {
                Assert.That(text, Does.Not.Contain(secret).IgnoreCase);
            }

            var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));
            Assert.That(headers, Does.Not.Contain("sqlite").IgnoreCase.And.Not.Contain("exception").IgnoreCase);
        }
    }

    /// <summary>A JSON object of exactly <paramref name="bytes"/> UTF-8 bytes, valid but for an unknown <c>padding</c> field.</summary>
    private static string BodyOfSize(int bytes)
    {
        const string Start = "{\"url\":\"https://hooks.example.com/x\",\"events\":[\"wallet.balance_low\"],\"padding\":\"";
        const string End = "\"}";
        return Start + new string('a', bytes - Start.Length - End.Length) + End;
    }
}
