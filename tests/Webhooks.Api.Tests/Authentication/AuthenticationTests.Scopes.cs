
namespace Webhooks.Api.Tests.Authentication;

/// <summary>Scopes: a read-only key reads and is refused every write with 403, before the body and before existence; a write key reads too.</summary>
public sealed partial class AuthenticationTests
{
    [Test]
    public async Task ReadOnlyKey_CanGet()
    {
        var readKey = await _factory.CreateKeyAsync(_org.OrgId, "webhooks:read");

        var response = await _factory.CreateClient(readKey).GetAsync($"/v1/webhooks/{_endpointId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        ApiAssert.RequestId(response);
        Assert.That(JsonElement.DeepEquals(await Json.ReadAsync(response), _endpoint), Is.True);
    }

    [Test]
    public async Task ReadOnlyKey_Post_Is403AndCreatesNothing()
    {
        var readKey = await _factory.CreateKeyAsync(_org.OrgId, "webhooks:read");
        var before = await StoredData.EndpointsAsync(_factory.Services);

        var response = await _factory.CreateClient(readKey).PostJsonAsync("/v1/webhooks", WebhookResource.MinimalBody);

        await ApiAssert.Forbidden(response);
        Assert.That(response.Headers.WwwAuthenticate, Is.Empty);
        Assert.That(response.Headers.Location, Is.Null);
        Assert.That(await StoredData.EndpointsAsync(_factory.Services), Is.EqualTo(before));
    }

    [TestCase("PATCH", "", PatchBody, TestName = "ReadOnlyKey_Patch_Is403AndChangesNothing")]
    [TestCase("DELETE", "", null, TestName = "ReadOnlyKey_Delete_Is403AndChangesNothing")]
    [TestCase("POST", "/secret/rotate", null, TestName = "ReadOnlyKey_Rotate_Is403AndChangesNothing")]
    public async Task ReadOnlyKey_WriteToTheEndpoint_Is403AndChangesNothing(string method, string suffix, string? body)
    {
        var readKey = await _factory.CreateKeyAsync(_org.OrgId, "webhooks:read");
        var request = new HttpRequestMessage(new HttpMethod(method), $"/v1/webhooks/{_endpointId}{suffix}") { Content = body is null ? null : Json.Body(body) };

        var response = await _factory.CreateClient(readKey).SendAsync(request);

        await ApiAssert.Forbidden(response);
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("whsec_"));
        await AssertEndpointUnchanged();
    }

    /// <summary>Order of checks: scope before the shape of the body and before existence.</summary>
    [TestCase("POST", "/v1/webhooks", "{not json")]
    [TestCase("POST", "/v1/webhooks", "[]")]
    [TestCase("POST", "/v1/webhooks", """{"url":5,"id":"x"}""")]
    [TestCase("PATCH", "/v1/webhooks/{id}", "{not json")]
    [TestCase("PATCH", "/v1/webhooks/{id}", """{"url":5,"org_id":"x"}""")]
    [TestCase("PATCH", "/v1/webhooks/00000000-0000-7000-8000-000000000000", PatchBody)]
    [TestCase("PATCH", "/v1/webhooks/not-a-uuid", PatchBody)]
    [TestCase("DELETE", "/v1/webhooks/00000000-0000-7000-8000-000000000000", null)]
    [TestCase("DELETE", "/v1/webhooks/not-a-uuid", null)]
    [TestCase("POST", "/v1/webhooks/00000000-0000-7000-8000-000000000000/secret/rotate", null)]
    [TestCase("POST", "/v1/webhooks/not-a-uuid/secret/rotate", null)]
    public async Task ReadOnlyKey_WriteWithABadBodyOrUnknownId_Is403(string method, string path, string? body)
    {
        var readKey = await _factory.CreateKeyAsync(_org.OrgId, "webhooks:read");
        var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", _endpointId, StringComparison.Ordinal))
        {
            Content = body is null ? null : Json.Body(body),
        };

        var response = await _factory.CreateClient(readKey).SendAsync(request);

        await ApiAssert.Forbidden(response);
    }

    [Test]
    public async Task WriteOnlyKey_CanGetPostAndPatch()
    {
        var writeKey = await _factory.CreateKeyAsync(_org.OrgId, "webhooks:write");
        var client = _factory.CreateClient(writeKey);

        var created = await WebhookResource.CreateAsync(client);
        var path = $"/v1/webhooks/{created.GetProperty("id").GetString()}";
        var read = await client.GetAsync(path);
        var patched = await client.PatchAsync(path, PatchBody);

        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), "webhooks:write implies webhooks:read");
        Assert.That(JsonElement.DeepEquals(await Json.ReadAsync(read), created), Is.True);
        Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.OK), await patched.Content.ReadAsStringAsync());
    }
}
