using Webhooks.Api.Tests.Clients;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Api.Tests.Http;

/// <summary>
/// The server-side-request-forgery part of the HTTPS rule, through every surface that takes a webhook
/// URL: <c>POST /v1/webhooks</c>, <c>PATCH /v1/webhooks/{id}</c> and <c>PATCH /clients/webhook-url</c>.
/// Each refusal is a 400 in the surface's format naming the field, and nothing is stored.
/// </summary>
[TestFixture]
public sealed class SsrfHttpTests
{
    private const string StoredUrl = "https://hooks.example.com/hardening";
    private const string ClientUrl = "https://hooks.example.com/client";

    private ApiFactory _factory = null!;
    private TestOrganization _org = null!;
    private HttpClient _v1 = null!;
    private HttpClient _http = null!;
    private string _endpointId = null!;
    private JsonElement _endpoint;
    private IssuedClient _client = null!;

    /// <summary>The three surfaces that take a webhook URL.</summary>
    public enum Surface
    {
        Post,
        Patch,
        ClientsPatch,
    }

    /// <summary>Hosts the rule refuses, and the message it gives, on each surface.</summary>
    private static IEnumerable<TestCaseData> RefusedHosts()
    {
        foreach (var surface in Enum.GetValues<Surface>())
        {
            foreach (var host in new[] { "localhost", "localhost.", "a.localhost" })
            {
                yield return new TestCaseData(surface, host, UrlPolicy.LocalhostMessage).SetArgDisplayNames(surface.ToString(), host);
            }

            foreach (var host in new[]
            {
                "127.0.0.1", "2130706433", "0x7f.1", "0177.0.0.1", "10.0.0.1", "100.64.0.1", "169.254.169.254", "169.254.169.254.",
                "[::1]", "[::ffff:10.0.0.1]", "[64:ff9b::a00:1]", "[2002:a00:1::1]", "[fe80::1]", "[fd00::1]", "[ff02::1]", "0.0.0.0",
            })
            {
                yield return new TestCaseData(surface, host, UrlPolicy.NonPublicAddressMessage).SetArgDisplayNames(surface.ToString(), host);
            }

            // Hosts that are no valid name: IDNA conversion fails (System.Uri's IdnHost threw: a 500), or
            // the host ends in a number without being an IPv4 address (stored as a name before).
            foreach (var (host, display) in new[]
            {
                ("a\u200d.com", "a<ZWJ>.com"), ("a\u200c.com", "a<ZWNJ>.com"), ("xn--a.com", "xn--a.com"), ("-hooks.example.com", "-hooks.example.com"),
                ("127.0.0.09", "127.0.0.09"), ("10.0.0.08", "10.0.0.08"), ("1.2.3.4.5", "1.2.3.4.5"), ("hooks.example.0x1f", "hooks.example.0x1f"),
            })
            {
                yield return new TestCaseData(surface, host, UrlPolicy.InvalidHostMessage).SetArgDisplayNames(surface.ToString(), display);
            }
        }
    }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _factory = new ApiFactory();
        _org = await _factory.CreateOrganizationAsync();
        _v1 = _factory.CreateClient(_org.Key);
        _http = ClientsApi.CreateHttpClient(_factory);
        _endpointId = await ApiHelpers.CreateEndpointAsync(_v1);
        _endpoint = await ApiHelpers.GetEndpointAsync(_v1, _endpointId);
        _client = await ClientsApi.CreateClientAsync(_factory, "cust-ssrf");
        using var set = await ClientsApi.PatchAsync(_http, _client, ClientsApi.UrlBody(ClientUrl));
        await ClientsAssert.ClientAsync(set, _client, ClientUrl);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _v1?.Dispose();
        _http?.Dispose();
        await ApiHelpers.DisposeAsync(_factory);
    }

    [TestCaseSource(nameof(RefusedHosts))]
    public async Task A_non_public_host_is_refused_in_the_surfaces_format_and_nothing_is_written(Surface surface, string host, string message)
    {
        var url = $"https://{host}/hook";
        var before = await StoredData.EndpointsAsync(_factory.Services);
        switch (surface)
        {
            case Surface.Post:
                using (var response = await _v1.PostJsonAsync("/v1/webhooks", JsonSerializer.Serialize(new { url, events = new[] { "wallet.balance_low" } })))
                {
                    await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["url"] = message });
                }

                break;
            case Surface.Patch:
                using (var response = await _v1.PatchAsync($"/v1/webhooks/{_endpointId}", JsonSerializer.Serialize(new { url })))
                {
                    await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["url"] = message });
                }

                break;
            default:
                using (var response = await ClientsApi.PatchAsync(_http, _client, ClientsApi.UrlBody(url)))
                {
                    await ClientsAssert.ValidationAsync(response, "webhook_url", message);
                }

                break;
        }

        Assert.That(await StoredData.EndpointsAsync(_factory.Services), Is.EqualTo(before), "no endpoint was created");
        var stored = await ApiHelpers.GetEndpointAsync(_v1, _endpointId);
        Assert.That(JsonElement.DeepEquals(stored, _endpoint), Is.True, $"unchanged: {stored.GetRawText()}");
        Assert.That(stored.GetProperty("url").GetString(), Is.EqualTo(StoredUrl));
        await ClientsAssert.WebhookUrlAsync(_http, _client, ClientUrl);
        Assert.That(await ClientsApi.StoredWebhookUrlAsync(_factory, _client.ClientId), Is.EqualTo(ClientUrl));
    }

    [Test]
    public async Task A_public_address_literal_is_still_accepted_on_every_surface()
    {
        // The hardening must not refuse the public internet: a public IPv4 and IPv6 literal pass.
        var id = await ApiHelpers.CreateEndpointAsync(_v1, """{"url":"https://93.184.215.14/hook","events":["wallet.balance_low"]}""");
        using var patch = await _v1.PatchAsync($"/v1/webhooks/{id}", """{"url":"https://[2606:4700::1111]/hook"}""");
        Assert.That(patch.StatusCode, Is.EqualTo(HttpStatusCode.OK), await patch.Content.ReadAsStringAsync());
        Assert.That((await Json.ReadAsync(patch)).GetProperty("url").GetString(), Is.EqualTo("https://[2606:4700::1111]/hook"));

        var client = await ClientsApi.CreateClientAsync(_factory, "cust-public");
        using var set = await ClientsApi.PatchAsync(_http, client, ClientsApi.UrlBody("https://93.184.215.14/hook"));
        await ClientsAssert.ClientAsync(set, client, "https://93.184.215.14/hook");
    }
}

/// <summary>
/// <c>Webhooks:AllowedPrivateNetworks</c>: an operator allows <c>10.20.0.0/16</c> for on-premises
/// receivers. Addresses in it are accepted on both surfaces; other private addresses and
/// <c>localhost</c> are still refused.
/// </summary>
[TestFixture]
public sealed class SsrfAllowedNetworksHttpTests
{
    private const string Allowed = "https://10.20.1.2/hook";

    private ApiFactory _factory = null!;
    private HttpClient _v1 = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _factory = new ApiFactory(new Dictionary<string, string?> { ["Webhooks:AllowedPrivateNetworks:0"] = "10.20.0.0/16" });
        var org = await _factory.CreateOrganizationAsync();
        _v1 = _factory.CreateClient(org.Key);
        _http = ClientsApi.CreateHttpClient(_factory);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _v1?.Dispose();
        _http?.Dispose();
        await ApiHelpers.DisposeAsync(_factory);
    }

    [Test]
    public async Task Post_and_patch_accept_an_address_in_the_allowed_network()
    {
        var id = await ApiHelpers.CreateEndpointAsync(_v1, $$"""{"url":"{{Allowed}}","events":["wallet.balance_low"]}""");
        Assert.That((await ApiHelpers.GetEndpointAsync(_v1, id)).GetProperty("url").GetString(), Is.EqualTo(Allowed));

        var other = await ApiHelpers.CreateEndpointAsync(_v1);
        using var patched = await _v1.PatchAsync($"/v1/webhooks/{other}", """{"url":"https://10.20.255.254:8443/in"}""");
        Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.OK), await patched.Content.ReadAsStringAsync());
        Assert.That((await ApiHelpers.GetEndpointAsync(_v1, other)).GetProperty("url").GetString(), Is.EqualTo("https://10.20.255.254:8443/in"));
    }

    [Test]
    public async Task Clients_patch_accepts_an_address_in_the_allowed_network()
    {
        var client = await ClientsApi.CreateClientAsync(_factory, "cust-onprem");

        using var response = await ClientsApi.PatchAsync(_http, client, ClientsApi.UrlBody(Allowed));

        await ClientsAssert.ClientAsync(response, client, Allowed);
        Assert.That(await ClientsApi.StoredWebhookUrlAsync(_factory, client.ClientId), Is.EqualTo(Allowed));
    }

    [TestCase("https://10.21.0.1/hook", UrlPolicy.NonPublicAddressMessage, TestName = "Allowed network: 10.21.0.1 still refused")]
    [TestCase("https://10.19.255.255/hook", UrlPolicy.NonPublicAddressMessage, TestName = "Allowed network: 10.19.255.255 still refused")]
    [TestCase("https://127.0.0.1/hook", UrlPolicy.NonPublicAddressMessage, TestName = "Allowed network: loopback still refused")]
    [TestCase("https://localhost/hook", UrlPolicy.LocalhostMessage, TestName = "Allowed network: localhost still refused")]
    public async Task Addresses_outside_the_allowed_network_are_still_refused_on_every_surface(string url, string message)
    {
        var before = await StoredData.EndpointsAsync(_factory.Services);
        using var post = await _v1.PostJsonAsync("/v1/webhooks", JsonSerializer.Serialize(new { url, events = new[] { "wallet.balance_low" } }));
        await ApiAssert.ValidationFailed(post, new Dictionary<string, string> { ["url"] = message });
        Assert.That(await StoredData.EndpointsAsync(_factory.Services), Is.EqualTo(before));

        var id = await ApiHelpers.CreateEndpointAsync(_v1);
        var endpoint = await ApiHelpers.GetEndpointAsync(_v1, id);
        using var patch = await _v1.PatchAsync($"/v1/webhooks/{id}", JsonSerializer.Serialize(new { url }));
        await ApiAssert.ValidationFailed(patch, new Dictionary<string, string> { ["url"] = message });
        Assert.That(JsonElement.DeepEquals(await ApiHelpers.GetEndpointAsync(_v1, id), endpoint), Is.True, "PATCH wrote nothing");

        var client = await ClientsApi.CreateClientAsync(_factory, "cust-refused");
        using var clientPatch = await ClientsApi.PatchAsync(_http, client, ClientsApi.UrlBody(url));
        await ClientsAssert.ValidationAsync(clientPatch, "webhook_url", message);
        Assert.That(await ClientsApi.StoredWebhookUrlAsync(_factory, client.ClientId), Is.Null);
    }
}
