using Microsoft.EntityFrameworkCore;
using Webhooks.Api.Errors;

namespace Webhooks.Api.Tests.Errors;

/// <summary>
/// Every failure under <c>/v1</c> is the <c>{"success":false,"error":{...}}</c> envelope: unknown
/// paths, wrong methods, unreadable bodies, transport limits, and unexpected errors.
/// </summary>
public sealed partial class ErrorEnvelopeTests
{
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

        await ApiAssert.Envelope(response, HttpStatusCode.MethodNotAllowed, ApiError.MethodNotAllowed.Code, ApiError.MethodNotAllowed.Message);
        Assert.That(response.Content.Headers.Allow, Is.EquivalentTo(allowed), "Allow lists exactly the methods of the path");
        Assert.That(response.Content.Headers.Allow, Does.Not.Contain(notAllowed));
        await AssertEndpointIntactAsync();
    }

    [Test]
    public async Task WrongMethod_WithoutAKey_IsStill405()
    {
        var response = await _factory.CreateClient((string?)null).PutAsync($"/v1/webhooks/{_endpointId}", Json.Body("{}"));

        await ApiAssert.Envelope(response, HttpStatusCode.MethodNotAllowed, ApiError.MethodNotAllowed.Code, ApiError.MethodNotAllowed.Message);
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

    /// <summary>
    /// An unexpected failure (here: the database lost a table, renamed away, under the running service) is a 500
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
        await factory.InDatabaseAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE webhook_endpoints RENAME TO webhook_endpoints_gone"));

        foreach (var response in new[] { await client.GetAsync(path), await client.PostJsonAsync("/v1/webhooks", WebhookResource.MinimalBody) })
        {
            await ApiAssert.Envelope(response, HttpStatusCode.InternalServerError, ApiError.Internal.Code, ApiError.Internal.Message);
            var text = await response.Content.ReadAsStringAsync();
            foreach (var secret in new[] { "webhook_endpoints", "SELECT", "INSERT", "sqlite", "postgres", "npgsql", "Exception", " at ", "Webhooks.", org.Key })
            {
                Assert.That(text, Does.Not.Contain(secret).IgnoreCase);
            }

            var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));
            Assert.That(headers, Does.Not.Contain("sqlite").IgnoreCase.And.Not.Contain("postgres").IgnoreCase.And.Not.Contain("exception").IgnoreCase);
        }
    }
}
