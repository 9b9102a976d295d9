using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Webhooks.Api.Tests.Clients;
using Webhooks.Api.Tests.Helpers;
using Webhooks.Api.Tests.Support;

namespace Webhooks.Api.Tests.Hardening;

/// <summary>The three operations that take a body, one per row of the tests below.</summary>
public enum BodyTarget
{
    /// <summary><c>POST /v1/webhooks</c> (envelope).</summary>
    V1Post,

    /// <summary><c>PATCH /v1/webhooks/{id}</c> (envelope).</summary>
    V1Patch,

    /// <summary><c>PATCH /clients/webhook-url</c> (problem details).</summary>
    ClientsPatch,
}

/// <summary>
/// The input limits of issue 6 on both surfaces, each error in the surface's format: body size
/// (64 KiB, with and without <c>Content-Length</c>), media type, JSON depth (32), duplicate property
/// names, undecodable text (lone surrogate escapes, invalid UTF-8) and header abuse. Every refused
/// request is checked to have stored nothing.
/// </summary>
[TestFixture]
public sealed class LimitsTests
{
    private const int MaxBytes = 64 * 1024;
    private const string ClientUrl = "https://hooks.example.com/limits-client";

    private ApiFactory _factory = null!;
    private HttpClient _v1 = null!;
    private HttpClient _http = null!;
    private HttpClient _anonymous = null!;

    private static IEnumerable<BodyTarget> Targets => Enum.GetValues<BodyTarget>();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _factory = new ApiFactory();
        var org = await _factory.CreateOrganizationAsync();
        _v1 = _factory.CreateClient(org.Key);
        _http = ClientsApi.CreateHttpClient(_factory);
        _anonymous = _factory.CreateClient((string?)null);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _v1?.Dispose();
        _http?.Dispose();
        _anonymous?.Dispose();
        await HardeningApi.DisposeAsync(_factory);
    }

    // ---- body size -------------------------------------------------------------------------

    [Test]
    public async Task Body_of_exactly_64_KiB_is_read([ValueSource(nameof(Targets))] BodyTarget target, [Values] bool withContentLength)
    {
        var state = await ArrangeAsync(target);
        var json = Pad(state.ValidBody, MaxBytes);

        using var response = await state.SendAsync(this, Content(json, "application/json", withContentLength), chunked: !withContentLength);

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(target == BodyTarget.V1Post ? HttpStatusCode.Created : HttpStatusCode.OK), text);
        ApiAssert.RequestId(response);
        await state.AssertAppliedAsync(this);
    }

    [Test]
    public async Task Body_of_64_KiB_plus_1_is_413([ValueSource(nameof(Targets))] BodyTarget target, [Values] bool withContentLength)
    {
        var state = await ArrangeAsync(target);
        var json = Pad(state.ValidBody, MaxBytes + 1);

        using var response = await state.SendAsync(this, Content(json, "application/json", withContentLength), chunked: !withContentLength);

        await AssertErrorAsync(target, response, HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE", "request body is too large", ProblemKind.PayloadTooLarge);
        await state.AssertUnchangedAsync(this);
    }

    [Test]
    public async Task Body_of_1_MiB_without_length_is_413_without_being_read_whole([ValueSource(nameof(Targets))] BodyTarget target)
    {
        var state = await ArrangeAsync(target);
        var stream = new CountingStream(Encoding.UTF8.GetBytes(Pad(state.ValidBody, 1024 * 1024)));
        var content = new StreamContent(stream);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");

        using var response = await state.SendAsync(this, content, chunked: true);

        await AssertErrorAsync(target, response, HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE", "request body is too large", ProblemKind.PayloadTooLarge);
        await state.AssertUnchangedAsync(this);
        TestContext.Out.WriteLine($"{target}: the client had written {stream.BytesRead} of {1024 * 1024} bytes when the 413 arrived");
        Assert.That(stream.BytesRead, Is.LessThan(512 * 1024), "the service stopped reading soon after the limit");
    }

    /// <summary>
    /// The contract's order is authentication, scope, then the body: a caller without the scope (a
    /// read-only key, a suspended client) gets 403 whatever the body is, before it is read.
    /// </summary>
    [Test]
    public async Task Body_over_the_limit_or_not_json_from_a_caller_without_the_scope_is_403(
        [ValueSource(nameof(Targets))] BodyTarget target,
        [Values("too large", "not json")] string body,
        [Values] bool withContentLength)
    {
        var state = await ArrangeWithoutScopeAsync(target);
        var content = body == "too large"
            ? Content(Pad(state.ValidBody, MaxBytes + 1), "application/json", withContentLength)
            : Content(state.ValidBody, "text/plain", withContentLength);

        using var response = await state.SendAsync(this, content, chunked: !withContentLength);

        await AssertErrorAsync(target, response, HttpStatusCode.Forbidden, "FORBIDDEN", "missing required scope", ProblemKind.Forbidden);
        await state.AssertUnchangedAsync(this);
    }

    // ---- media type ------------------------------------------------------------------------

    [Test]
    public async Task Body_that_is_not_json_is_415(
        [ValueSource(nameof(Targets))] BodyTarget target,
        [Values("text/plain", "application/xml", "application/json; charset=latin1")] string contentType,
        [Values] bool withContentLength)
    {
        var state = await ArrangeAsync(target);

        using var response = await state.SendAsync(this, Content(state.ValidBody, contentType, withContentLength), chunked: !withContentLength);

        await AssertErrorAsync(target, response, HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "content type must be application/json", ProblemKind.UnsupportedMediaType);
        await state.AssertUnchangedAsync(this);
    }

    /// <summary>
    /// A body without <c>Content-Length</c> and without <c>Transfer-Encoding</c>: how HTTP/2 and HTTP/3
    /// carry a body of unknown length (they have no chunked encoding). It is still a body, and must
    /// still be JSON. (HttpClient through TestServer always adds <c>Transfer-Encoding: chunked</c>,
    /// so this request is built on the server's side.)
    /// </summary>
    [Test]
    public async Task Http2_body_that_is_not_json_is_415_also_without_length_or_transfer_encoding(
        [ValueSource(nameof(Targets))] BodyTarget target,
        [Values("text/plain", "application/xml")] string contentType)
    {
        var state = await ArrangeAsync(target);

        var context = await _factory.Server.SendAsync(c =>
        {
            c.Request.Protocol = "HTTP/2";
            c.Request.Method = target == BodyTarget.V1Post ? "POST" : "PATCH";
            c.Request.Path = state.Path;
            c.Request.Headers.Authorization = state.Authorization;
            c.Request.ContentType = contentType;
            c.Request.Body = new CountingStream(Encoding.UTF8.GetBytes(state.ValidBody));
        });

        var status = context.Response.StatusCode;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Multiple(() =>
        {
            Assert.That(context.Request.ContentLength, Is.Null, "no Content-Length was sent");
            Assert.That(context.Request.Headers.TransferEncoding.Count, Is.Zero, "no Transfer-Encoding was sent");
            Assert.That(status, Is.EqualTo(StatusCodes.Status415UnsupportedMediaType), text);
            Assert.That(
                context.Response.ContentType,
                Does.StartWith(target == BodyTarget.ClientsPatch ? "application/problem+json" : "application/json"),
                text);
        });
        await state.AssertUnchangedAsync(this);
    }

    // ---- JSON depth ------------------------------------------------------------------------

    [Test]
    public async Task Json_nested_32_deep_is_read_and_its_field_refused_by_type([ValueSource(nameof(Targets))] BodyTarget target)
    {
        var state = await ArrangeAsync(target);

        // The object is level 1; 31 arrays make 32 levels: the deepest the service reads.
        using var response = await state.SendAsync(this, Json.Body(state.NestedBody(31)));

        var field = target == BodyTarget.ClientsPatch ? "webhook_url" : "events[0]";
        await AssertValidationAsync(target, response, field, "must be a string");
        await state.AssertUnchangedAsync(this);
    }

    [TestCase(33)]
    [TestCase(64)]
    [TestCase(10_000)]
    public async Task Json_nested_deeper_than_32_is_not_valid_json(int levels)
    {
        foreach (var target in Targets)
        {
            var state = await ArrangeAsync(target);

            using var arrays = await state.SendAsync(this, Json.Body(state.NestedBody(levels - 1)));
            await AssertValidationAsync(target, arrays, "body", "is not valid JSON");

            var objects = new StringBuilder();
            for (var i = 0; i < levels; i++)
            {
                objects.Append("{\"a\":");
            }

            objects.Append('1').Append('}', levels);
            using var nestedObjects = await state.SendAsync(this, Json.Body(objects.ToString()));
            await AssertValidationAsync(target, nestedObjects, "body", "is not valid JSON");
            await state.AssertUnchangedAsync(this);
        }
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

        await AssertValidationAsync(target, response, field, "must appear only once");
        await state.AssertUnchangedAsync(this);
    }

    [Test]
    public async Task A_property_given_twice_with_an_escaped_name_is_refused()
    {
        // "\u0061ctive" is "active": the names are compared after decoding.
        var state = await ArrangeAsync(BodyTarget.V1Patch);

        using var response = await state.SendAsync(this, Json.Body("""{"active":false,"\u0061ctive":false}"""));

        await AssertValidationAsync(BodyTarget.V1Patch, response, "active", "must appear only once");
        await state.AssertUnchangedAsync(this);
    }

    // ---- undecodable text ------------------------------------------------------------------

    [TestCase("\\ud800", TestName = "Lone surrogate: a high surrogate alone")]
    [TestCase("\\udfff", TestName = "Lone surrogate: a low surrogate alone")]
    [TestCase("a\\ud83d\\u0041", TestName = "Lone surrogate: a high surrogate before a letter")]
    [TestCase("\\ude80\\ud83d", TestName = "Lone surrogate: a pair in the wrong order")]
    public async Task A_string_with_a_lone_surrogate_escape_is_refused(string escaped)
    {
        foreach (var target in Targets)
        {
            var state = await ArrangeAsync(target);
            var (body, field) = target switch
            {
                BodyTarget.V1Post => ($$"""{"url":"https://hooks.example.com/x","events":["wallet.balance_low"],"description":"{{escaped}}"}""", "description"),
                BodyTarget.V1Patch => ($$"""{"description":"{{escaped}}"}""", "description"),
                _ => ($$"""{"webhook_url":"https://hooks.example.com/{{escaped}}"}""", "webhook_url"),
            };

            using var response = await state.SendAsync(this, Json.Body(body));

            await AssertValidationAsync(target, response, field, "must be valid Unicode text");
            await state.AssertUnchangedAsync(this);
        }
    }

    [Test]
    public async Task An_event_type_with_a_lone_surrogate_escape_is_refused_as_text()
    {
        var state = await ArrangeAsync(BodyTarget.V1Patch);

        using var response = await state.SendAsync(this, Json.Body("""{"events":["wallet.balance_low","\ud800"]}"""));

        await AssertValidationAsync(BodyTarget.V1Patch, response, "events[1]", "must be valid Unicode text");
        await state.AssertUnchangedAsync(this);
    }

    [Test]
    public async Task A_property_name_with_a_lone_surrogate_escape_is_not_valid_json([ValueSource(nameof(Targets))] BodyTarget target)
    {
        var state = await ArrangeAsync(target);

        using var response = await state.SendAsync(this, Json.Body("""{"\ud800":1}"""));

        await AssertValidationAsync(target, response, "body", "is not valid JSON");
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

    [TestCase(new byte[] { 0xFF }, TestName = "Invalid UTF-8: byte FF")]
    [TestCase(new byte[] { 0xC3, 0x28 }, TestName = "Invalid UTF-8: bad continuation")]
    [TestCase(new byte[] { 0xC0, 0xAF }, TestName = "Invalid UTF-8: overlong slash")]
    [TestCase(new byte[] { 0xED, 0xA0, 0x80 }, TestName = "Invalid UTF-8: encoded surrogate")]
    [TestCase(new byte[] { 0xE2, 0x82 }, TestName = "Invalid UTF-8: truncated sequence")]
    [TestCase(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, TestName = "Invalid UTF-8: beyond U+10FFFF")]
    public async Task A_body_that_is_not_valid_utf8_is_not_valid_json(byte[] bad)
    {
        foreach (var target in Targets)
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

            await AssertValidationAsync(target, response, "body", "is not valid JSON");
            await state.AssertUnchangedAsync(this);
        }
    }

    // ---- header abuse ----------------------------------------------------------------------
    // TestServer applies no header limits: these requests reach the application, which must answer
    // them in the surface's format. Behind Kestrel, the defaults (32 KB of headers in all, 100
    // headers) would answer a larger request with a bare 431 before the application sees it.

    [Test]
    public async Task A_20_KB_custom_header_gets_a_proper_answer_on_both_surfaces()
    {
        var padding = new string('x', 20 * 1024);
        var state = await ArrangeAsync(BodyTarget.V1Patch);
        var client = await ClientsApi.CreateClientAsync(_factory, "cust-header");

        using var get = await Send(HttpMethod.Get, $"/v1/webhooks/{state.EndpointId}", Bearer(state), headers: [("X-Padding", padding)]);
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK), await get.Content.ReadAsStringAsync());
        ApiAssert.RequestId(get);

        using var bad = await Send(HttpMethod.Patch, $"/v1/webhooks/{state.EndpointId}", Bearer(state), Json.Body("{"), [("X-Padding", padding)]);
        await ApiAssert.ValidationFailed(bad, new Dictionary<string, string> { ["body"] = "is not valid JSON" });

        using var clientGet = await Send(HttpMethod.Get, ClientsApi.Path, client.Authorization, headers: [("X-Padding", padding)]);
        await ClientsAssert.ClientAsync(clientGet, client, string.Empty);

        using var anonymous = await Send(HttpMethod.Patch, ClientsApi.Path, null, Json.Body(ClientsApi.UrlBody(ClientUrl)), [("X-Padding", padding)]);
        await ClientsAssert.ProblemAsync(anonymous, ProblemKind.Unauthorized);
        await state.AssertUnchangedAsync(this);
    }

    [Test]
    public async Task A_20_KB_authorization_header_is_401_in_the_surface_format()
    {
        using var bearer = await Send(HttpMethod.Get, "/v1/webhooks", "Bearer am_live_" + new string('a', 20 * 1024));
        await ApiAssert.Unauthorized(bearer);

        using var basic = await Send(HttpMethod.Get, ClientsApi.Path, "Basic " + Convert.ToBase64String(new byte[15 * 1024]));
        await ClientsAssert.ProblemAsync(basic, ProblemKind.Unauthorized);
    }

    [Test]
    public async Task Three_hundred_headers_get_a_proper_answer_on_both_surfaces()
    {
        var headers = Enumerable.Range(0, 300).Select(i => ($"X-Many-{i}", new string('v', 100))).ToArray();
        var state = await ArrangeAsync(BodyTarget.V1Patch);
        var client = await ClientsApi.CreateClientAsync(_factory, "cust-many");

        using var patch = await Send(HttpMethod.Patch, $"/v1/webhooks/{state.EndpointId}", Bearer(state), Json.Body("""{"active":false}"""), headers);
        Assert.That(patch.StatusCode, Is.EqualTo(HttpStatusCode.OK), await patch.Content.ReadAsStringAsync());
        ApiAssert.RequestId(patch);

        using var notFound = await Send(HttpMethod.Get, "/v1/nothing-here", Bearer(state), headers: headers);
        await ApiAssert.NotFound(notFound);

        using var clientPatch = await Send(HttpMethod.Patch, ClientsApi.Path, client.Authorization, Json.Body("""{"webhook_url":1}"""), headers);
        await ClientsAssert.ValidationAsync(clientPatch, "webhook_url", "must be a string");
        Assert.That(await ClientsApi.StoredWebhookUrlAsync(_factory, client.ClientId), Is.Null);
    }

    [Test]
    public async Task A_header_value_with_control_and_non_ascii_characters_gets_a_proper_answer()
    {
        using var v1 = await Send(HttpMethod.Get, "/v1/webhooks", "Bearer am_live_\u00e9\u0001\u202e" + new string('a', 40));
        await ApiAssert.Unauthorized(v1);

        using var clients = await Send(HttpMethod.Get, ClientsApi.Path, "Basic \u00e9\u0001\u202e");
        await ClientsAssert.ProblemAsync(clients, ProblemKind.Unauthorized);
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static string Bearer(TargetState state) => "Bearer " + state.Key;

    /// <summary><paramref name="json"/> padded with insignificant white space (before the last brace) to exactly <paramref name="size"/> bytes.</summary>
    private static string Pad(string json, int size)
    {
        var length = Encoding.UTF8.GetByteCount(json);
        Assert.That(length, Is.LessThan(size));
        var padded = json[..^1] + new string(' ', size - length) + "}";
        Assert.That(Encoding.UTF8.GetByteCount(padded), Is.EqualTo(size));
        return padded;
    }

    /// <summary>With a <c>Content-Length</c>, or streamed from a non-seekable stream without one.</summary>
    private static HttpContent Content(string text, string contentType, bool withContentLength)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        HttpContent content = withContentLength ? new ByteArrayContent(bytes) : new StreamContent(new CountingStream(bytes));
        Assert.That(content.Headers.TryAddWithoutValidation("Content-Type", contentType), Is.True);
        Assert.That(withContentLength ? content.Headers.ContentLength : null, Is.EqualTo(withContentLength ? bytes.Length : null));
        return content;
    }

    private async Task<HttpResponseMessage> Send(
        HttpMethod method, string path, string? authorization, HttpContent? content = null, (string Name, string Value)[]? headers = null, bool chunked = false)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (authorization is not null)
        {
            Assert.That(request.Headers.TryAddWithoutValidation("Authorization", authorization), Is.True);
        }

        foreach (var (name, value) in headers ?? [])
        {
            Assert.That(request.Headers.TryAddWithoutValidation(name, value), Is.True);
        }

        if (chunked)
        {
            // What a real client sends with a body of unknown length.
            request.Headers.TransferEncodingChunked = true;
        }

        return await _anonymous.SendAsync(request);
    }

    private static async Task AssertErrorAsync(BodyTarget target, HttpResponseMessage response, HttpStatusCode status, string code, string message, ProblemKind problem)
    {
        if (target == BodyTarget.ClientsPatch)
        {
            await ClientsAssert.ProblemAsync(response, problem);
        }
        else
        {
            await ApiAssert.Envelope(response, status, code, message);
        }
    }

    private static async Task AssertValidationAsync(BodyTarget target, HttpResponseMessage response, string field, string message)
    {
        if (target == BodyTarget.ClientsPatch)
        {
            await ClientsAssert.ValidationAsync(response, field, message);
        }
        else
        {
            await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { [field] = message });
        }
    }

    private async Task<TargetState> ArrangeAsync(BodyTarget target)
    {
        var org = await _factory.CreateOrganizationAsync();
        switch (target)
        {
            case BodyTarget.V1Post:
                return new TargetState(target, org.OrgId, org.Key, null, null, await StoredData.EndpointsAsync(_factory.Services), default);
            case BodyTarget.V1Patch:
                using (var client = _factory.CreateClient(org.Key))
                {
                    var id = await HardeningApi.CreateEndpointAsync(client);
                    return new TargetState(target, org.OrgId, org.Key, id, null, await StoredData.EndpointsAsync(_factory.Services), await HardeningApi.GetEndpointAsync(client, id));
                }

            default:
                var issued = await ClientsApi.CreateClientAsync(_factory, "cust-limits");
                using (var set = await ClientsApi.PatchAsync(_http, issued, ClientsApi.UrlBody(ClientUrl)))
                {
                    await ClientsAssert.ClientAsync(set, issued, ClientUrl);
                }

                return new TargetState(target, org.OrgId, org.Key, null, issued, await StoredData.EndpointsAsync(_factory.Services), default);
        }
    }

    /// <summary>As <see cref="ArrangeAsync"/>, with a caller that lacks the target's scope: a read-only key, or the client suspended.</summary>
    private async Task<TargetState> ArrangeWithoutScopeAsync(BodyTarget target)
    {
        var state = await ArrangeAsync(target);
        if (target == BodyTarget.ClientsPatch)
        {
            await ClientsApi.SuspendAsync(_factory, state.Client!.ClientId);
            return state;
        }

        return state with { Key = await _factory.CreateKeyAsync(state.OrgId, "webhooks:read") };
    }

    /// <summary>One target, arranged: the credentials, the endpoint or client it changes, and what was stored before.</summary>
    private sealed record TargetState(BodyTarget Target, Guid OrgId, string Key, string? EndpointId, IssuedClient? Client, int EndpointCount, JsonElement Endpoint)
    {
        public const string NewUrl = "https://hooks.example.com/limits-new";

        /// <summary>A body the target accepts: it creates an endpoint, turns <c>active</c> off, or sets the client's URL.</summary>
        public string ValidBody => Target switch
        {
            BodyTarget.V1Post => $$"""{"url":"{{NewUrl}}","events":["wallet.balance_low"]}""",
            BodyTarget.V1Patch => """{"active":false}""",
            _ => ClientsApi.UrlBody(NewUrl),
        };

        public string Path => Target switch
        {
            BodyTarget.V1Post => "/v1/webhooks",
            BodyTarget.V1Patch => $"/v1/webhooks/{EndpointId}",
            _ => ClientsApi.Path,
        };

        public string Authorization => Target == BodyTarget.ClientsPatch ? Client!.Authorization : "Bearer " + Key;

        /// <summary>The target's body with its string field replaced by <paramref name="arrays"/> nested arrays.</summary>
        public string NestedBody(int arrays)
        {
            var nested = new string('[', arrays) + new string(']', arrays);
            return Target switch
            {
                BodyTarget.V1Post => $$"""{"url":"{{NewUrl}}","events":{{nested}}}""",
                BodyTarget.V1Patch => $$"""{"events":{{nested}}}""",
                _ => $$"""{"webhook_url":{{nested}}}""",
            };
        }

        public Task<HttpResponseMessage> SendAsync(LimitsTests tests, HttpContent content, bool chunked = false) =>
            tests.Send(Target == BodyTarget.V1Post ? HttpMethod.Post : HttpMethod.Patch, Path, Authorization, content, chunked: chunked);

        /// <summary>The refused request changed nothing.</summary>
        public async Task AssertUnchangedAsync(LimitsTests tests)
        {
            Assert.That(await StoredData.EndpointsAsync(tests._factory.Services), Is.EqualTo(EndpointCount), "no endpoint was created");
            if (Target == BodyTarget.V1Patch)
            {
                using var client = tests._factory.CreateClient(Key);
                var stored = await HardeningApi.GetEndpointAsync(client, EndpointId!);
                Assert.That(JsonElement.DeepEquals(stored, Endpoint), Is.True, $"the endpoint is unchanged: {stored.GetRawText()}");
            }

            if (Target == BodyTarget.ClientsPatch)
            {
                Assert.That(await ClientsApi.StoredWebhookUrlAsync(tests._factory, Client!.ClientId), Is.EqualTo(ClientUrl), "the client's URL is unchanged");
            }
        }

        /// <summary>The accepted request did what <see cref="ValidBody"/> says.</summary>
        public async Task AssertAppliedAsync(LimitsTests tests)
        {
            switch (Target)
            {
                case BodyTarget.V1Post:
                    Assert.That(await StoredData.EndpointsAsync(tests._factory.Services), Is.EqualTo(EndpointCount + 1));
                    break;
                case BodyTarget.V1Patch:
                    using (var client = tests._factory.CreateClient(Key))
                    {
                        Assert.That((await HardeningApi.GetEndpointAsync(client, EndpointId!)).GetProperty("active").GetBoolean(), Is.False);
                    }

                    break;
                default:
                    Assert.That(await ClientsApi.StoredWebhookUrlAsync(tests._factory, Client!.ClientId), Is.EqualTo(NewUrl));
                    break;
            }
        }
    }

    /// <summary>A non-seekable stream over bytes that counts what was read from it.</summary>
    private sealed class CountingStream(byte[] bytes) : Stream
    {
        private int _position;

        public int BytesRead => _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(buffer.Length, 4096), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
