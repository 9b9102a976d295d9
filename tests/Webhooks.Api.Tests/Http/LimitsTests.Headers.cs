using Webhooks.Api.Http;
using Webhooks.Api.Tests.Clients;

namespace Webhooks.Api.Tests.Http;

/// <summary>Header abuse on both surfaces.</summary>
public sealed partial class LimitsTests
{
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
        await ApiAssert.ValidationFailed(bad, new Dictionary<string, string> { ["body"] = JsonBody.NotJsonMessage });

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
        await ClientsAssert.ValidationAsync(clientPatch, "webhook_url", JsonObjectReader.MustBeStringMessage);
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
}
