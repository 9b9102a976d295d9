
namespace Webhooks.Api.Tests.Errors;

/// <summary>Every response carries one <c>X-Request-Id</c>, a fresh ULID, repeated in an error body.</summary>
public sealed class RequestIdTests
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private ApiFactory _factory = null!;
    private TestOrganization _org = null!;
    private string _readKey = null!;
    private string _endpointId = null!;

    /// <summary>One request per kind of response, and the status it must have.</summary>
    public sealed record RequestCase(string Name, HttpStatusCode Status, bool IsError, Func<RequestIdTests, Task<HttpResponseMessage>> Send)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<RequestCase> Cases()
    {
        yield return new("200 GET", HttpStatusCode.OK, false, t => t.Client(t._org.Key).GetAsync(t.EndpointPath));
        yield return new("200 PATCH", HttpStatusCode.OK, false, t => t.Client(t._org.Key).PatchAsync(t.EndpointPath, """{"active":true}"""));
        yield return new("201 POST", HttpStatusCode.Created, false, t => t.Client(t._org.Key).PostJsonAsync("/v1/webhooks", WebhookResource.MinimalBody));
        yield return new("400 POST", HttpStatusCode.BadRequest, true, t => t.Client(t._org.Key).PostJsonAsync("/v1/webhooks", "{}"));
        yield return new("400 PATCH", HttpStatusCode.BadRequest, true, t => t.Client(t._org.Key).PatchAsync(t.EndpointPath, """{"url":"http://x"}"""));
        yield return new("401 GET", HttpStatusCode.Unauthorized, true, t => t.Client(null).GetAsync(t.EndpointPath));
        yield return new("401 POST", HttpStatusCode.Unauthorized, true, t => t.Client("am_live_" + new string('x', 43)).PostJsonAsync("/v1/webhooks", "{}"));
        yield return new("403 POST", HttpStatusCode.Forbidden, true, t => t.Client(t._readKey).PostJsonAsync("/v1/webhooks", WebhookResource.MinimalBody));
        yield return new("403 PATCH", HttpStatusCode.Forbidden, true, t => t.Client(t._readKey).PatchAsync(t.EndpointPath, "{}"));
        yield return new("404 unknown id", HttpStatusCode.NotFound, true, t => t.Client(t._org.Key).GetAsync($"/v1/webhooks/{Guid.CreateVersion7()}"));
        yield return new("404 unknown path", HttpStatusCode.NotFound, true, t => t.Client(t._org.Key).GetAsync("/v1/nothing"));
        yield return new("405", HttpStatusCode.MethodNotAllowed, true, t => t.Client(t._org.Key).PutAsync(t.EndpointPath, Json.Body("{}")));
        yield return new("413", HttpStatusCode.RequestEntityTooLarge, true, t => t.Client(t._org.Key).PostJsonAsync("/v1/webhooks", "\"" + new string('a', 70_000) + "\""));
        yield return new("415", HttpStatusCode.UnsupportedMediaType, true, t => t.Client(t._org.Key).PostAsync("/v1/webhooks", RawRequests.Bytes("{}", "text/plain")));
        yield return new("200 list", HttpStatusCode.OK, false, t => t.Client(t._org.Key).GetAsync("/v1/webhooks?limit=1"));
        yield return new("400 list", HttpStatusCode.BadRequest, true, t => t.Client(t._org.Key).GetAsync("/v1/webhooks?cursor=nope"));
        yield return new("200 event types", HttpStatusCode.OK, false, t => t.Client(t._readKey).GetAsync("/v1/event-types"));
        yield return new("200 rotate", HttpStatusCode.OK, false, t => t.Client(t._org.Key).PostAsync(t.EndpointPath + "/secret/rotate", content: null));
        yield return new("412 PATCH", HttpStatusCode.PreconditionFailed, true, t => t.Client(t._org.Key).SendAsync(
            new HttpRequestMessage(HttpMethod.Patch, t.EndpointPath) { Content = Json.Body("{}"), Headers = { { "If-Match", "\"stale\"" } } }));
        yield return new("404 DELETE", HttpStatusCode.NotFound, true, t => t.Client(t._org.Key).DeleteAsync($"/v1/webhooks/{Guid.CreateVersion7()}"));
        yield return new("health live", HttpStatusCode.OK, false, t => t.Client(null).GetAsync("/healthz/live"));
        yield return new("health ready", HttpStatusCode.OK, false, t => t.Client(null).GetAsync("/healthz/ready"));
    }

    [OneTimeSetUp]
    public async Task StartService()
    {
        _factory = new ApiFactory();
        _org = await _factory.CreateOrganizationAsync();
        _readKey = await _factory.CreateKeyAsync(_org.OrgId, "webhooks:read");
        var endpoint = await WebhookResource.CreateAsync(_factory.CreateClient(_org.Key));
        _endpointId = endpoint.GetProperty("id").GetString()!;
    }

    [OneTimeTearDown]
    public void StopService() => _factory.Dispose();

    private string EndpointPath => $"/v1/webhooks/{_endpointId}";

    [TestCaseSource(nameof(Cases))]
    public async Task Response_CarriesOneUlidRequestId_RepeatedInTheErrorBody(RequestCase request)
    {
        var before = DateTimeOffset.UtcNow;

        var response = await request.Send(this);

        var after = DateTimeOffset.UtcNow;
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(request.Status), body);
        var requestId = ApiAssert.RequestId(response);
        var time = UlidTime(requestId);
        Assert.That(time, Is.GreaterThanOrEqualTo(before.AddMilliseconds(-5)).And.LessThanOrEqualTo(after.AddMilliseconds(5)), "the ULID's time is the request's");
        if (request.IsError)
        {
            using var document = JsonDocument.Parse(body);
            Assert.That(document.RootElement.GetProperty("error").GetProperty("request_id").GetString(), Is.EqualTo(requestId));
        }
    }

    [Test]
    public async Task FiftyRequests_GetFiftyDifferentIds()
    {
        var ids = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            var response = (i % 5) switch
            {
                0 => await Client(_org.Key).GetAsync(EndpointPath),
                1 => await Client(null).GetAsync(EndpointPath),
                2 => await Client(_org.Key).GetAsync("/v1/nothing"),
                3 => await Client(null).GetAsync("/healthz/live"),
                _ => await Client(_org.Key).PostJsonAsync("/v1/webhooks", "{}"),
            };
            ids.Add(ApiAssert.RequestId(response));
        }

        Assert.That(ids, Is.Unique);
        Assert.That(ids, Has.Count.EqualTo(50));
    }

    [Test]
    public async Task ConcurrentRequests_GetDifferentIds()
    {
        var client = Client(_org.Key);
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.GetAsync(EndpointPath)));

        Assert.That(responses.Select(ApiAssert.RequestId), Is.Unique);
    }

    [TestCase("01JTBQH2FZ8K1RXC0WJ4Z9P3VM")]
    [TestCase("evil\u0020value")]
    public async Task RequestIdSentByTheClient_IsNotEchoed(string sent)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/nothing");
        request.Headers.TryAddWithoutValidation("X-Request-Id", sent);

        var response = await Client(_org.Key).SendAsync(request);

        await ApiAssert.NotFound(response);
        Assert.That(ApiAssert.RequestId(response), Is.Not.EqualTo(sent));
    }

    /// <summary>The time in a ULID's first 10 characters (48 bits of Unix milliseconds).</summary>
    private static DateTimeOffset UlidTime(string ulid)
    {
        long milliseconds = 0;
        foreach (var c in ulid[..10])
        {
            milliseconds = (milliseconds << 5) | (uint)Crockford.IndexOf(c, StringComparison.Ordinal);
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
    }

    private HttpClient Client(string? key) => _factory.CreateClient(key);
}
