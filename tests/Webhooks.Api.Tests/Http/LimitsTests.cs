using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Webhooks.Api.Errors;
using Webhooks.Api.Http;
using Webhooks.Api.Tests.Clients;

namespace Webhooks.Api.Tests.Http;

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
public sealed partial class LimitsTests
{
    private const int MaxBytes = JsonBody.MaxBytes;
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
        await ApiHelpers.DisposeAsync(_factory);
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

        await AssertErrorAsync(target, response, ApiError.PayloadTooLarge, ProblemKind.PayloadTooLarge);
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

        await AssertErrorAsync(target, response, ApiError.PayloadTooLarge, ProblemKind.PayloadTooLarge);
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

        await AssertErrorAsync(target, response, ApiError.Forbidden, ProblemKind.Forbidden);
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

        await AssertErrorAsync(target, response, ApiError.UnsupportedMediaType, ProblemKind.UnsupportedMediaType);
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
}
