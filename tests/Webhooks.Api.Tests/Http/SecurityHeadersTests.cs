using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api.Http;
using Webhooks.Api.Tests.Clients;

namespace Webhooks.Api.Tests.Http;

/// <summary>
/// Headers on every response, through Kestrel on a real socket (the in-memory test server never
/// sends <c>Server</c>): <c>Cache-Control: no-store</c>, <c>X-Content-Type-Options: nosniff</c>,
/// <c>Vary: Origin</c>, and no <c>Server: Kestrel</c>; successes, secrets, errors of both surfaces,
/// CORS answers, health and the OpenAPI document alike.
/// </summary>
[TestFixture]
public sealed class SecurityHeadersTests
{
    private const string Origin = "http://127.0.0.1:5300";

    private ApiFactory _factory = null!;
    private HttpClient _v1 = null!;
    private HttpClient _anonymous = null!;
    private IssuedClient _client = null!;
    private string _endpointId = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _factory = new ApiFactory(new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = Origin });
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = new Uri(_factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        var org = await _factory.CreateOrganizationAsync();
        _v1 = _factory.CreateClient(org.Key);
        _v1.BaseAddress = address;
        _anonymous = _factory.CreateClient((string?)null);
        _anonymous.BaseAddress = address;
        _client = await ClientsApi.CreateClientAsync(_factory, "cust-headers");
        _endpointId = await ApiHelpers.CreateEndpointAsync(_v1);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _v1?.Dispose();
        _anonymous?.Dispose();
        await _factory.DisposeAsync();
    }

    [Test]
    public async Task The_server_listens_on_a_real_socket()
    {
        using var response = await _anonymous.GetAsync("/healthz/live");

        Assert.That(_factory.Services.GetRequiredService<IServer>().GetType().Name, Does.StartWith("Kestrel"), "Kestrel, not the in-memory server");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("POST /v1/webhooks (a secret)", HttpStatusCode.Created)]
    [TestCase("POST rotate (a secret)", HttpStatusCode.OK)]
    [TestCase("GET /v1/webhooks", HttpStatusCode.OK)]
    [TestCase("GET /v1/webhooks/{id}", HttpStatusCode.OK)]
    [TestCase("GET /v1/webhooks without a key", HttpStatusCode.Unauthorized)]
    [TestCase("PATCH /v1/webhooks/{id} with a bad URL", HttpStatusCode.BadRequest)]
    [TestCase("GET an unknown path", HttpStatusCode.NotFound)]
    [TestCase("PUT /v1/webhooks", HttpStatusCode.MethodNotAllowed)]
    [TestCase("GET /clients/webhook-url", HttpStatusCode.OK)]
    [TestCase("GET /clients/webhook-url without credentials", HttpStatusCode.Unauthorized)]
    [TestCase("GET /healthz/ready", HttpStatusCode.OK)]
    [TestCase("GET /openapi/v1.json", HttpStatusCode.OK)]
    [TestCase("CORS preflight", HttpStatusCode.NoContent)]
    [TestCase("CORS GET from the allowed origin", HttpStatusCode.OK)]
    [TestCase("CORS GET from another origin", HttpStatusCode.OK)]
    public async Task Every_response_is_not_stored_not_sniffed_varies_by_origin_and_names_no_server(string request, HttpStatusCode status)
    {
        using var response = await SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(status));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True, $"Cache-Control: {response.Headers.CacheControl}");
            Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { SecurityHeadersMiddleware.NoSniff }));
            Assert.That(response.Headers.Vary.Where(name => name.Equals("Origin", StringComparison.OrdinalIgnoreCase)), Has.Exactly(1).Items, string.Join(", ", response.Headers.Vary));
            Assert.That(response.Headers.Contains("Server"), Is.False, "no Server header: " + string.Join(", ", response.Headers.Server));
        });
    }

    private Task<HttpResponseMessage> SendAsync(string request) => request switch
    {
        "POST /v1/webhooks (a secret)" => _v1.PostAsync("/v1/webhooks", Json.Body("""{"url":"https://hooks.example.com/secret","events":["wallet.balance_low"]}""")),
        "POST rotate (a secret)" => _v1.PostAsync($"/v1/webhooks/{_endpointId}/secret/rotate", content: null),
        "GET /v1/webhooks" => _v1.GetAsync("/v1/webhooks"),
        "GET /v1/webhooks/{id}" => _v1.GetAsync($"/v1/webhooks/{_endpointId}"),
        "GET /v1/webhooks without a key" => _anonymous.GetAsync("/v1/webhooks"),
        "PATCH /v1/webhooks/{id} with a bad URL" => _v1.PatchAsync($"/v1/webhooks/{_endpointId}", Json.Body("""{"url":"https://a\u200d.com/"}""")),
        "GET an unknown path" => _v1.GetAsync("/v2/nothing"),
        "PUT /v1/webhooks" => _v1.PutAsync("/v1/webhooks", Json.Body("{}")),
        "GET /clients/webhook-url" => ClientsApi.SendAsync(_anonymous, HttpMethod.Get, _client.Authorization),
        "GET /clients/webhook-url without credentials" => ClientsApi.SendAsync(_anonymous, HttpMethod.Get, authorization: null),
        "GET /healthz/ready" => _anonymous.GetAsync("/healthz/ready"),
        "GET /openapi/v1.json" => _anonymous.GetAsync("/openapi/v1.json"),
        "CORS preflight" => _anonymous.SendAsync(WithOrigin(HttpMethod.Options, Origin, ("Access-Control-Request-Method", "PATCH"))),
        "CORS GET from the allowed origin" => _v1.SendAsync(WithOrigin(HttpMethod.Get, Origin)),
        "CORS GET from another origin" => _v1.SendAsync(WithOrigin(HttpMethod.Get, "http://127.0.0.1:5999")),
        _ => throw new ArgumentOutOfRangeException(nameof(request), request, "no such request"),
    };

    private static HttpRequestMessage WithOrigin(HttpMethod method, string origin, params (string Name, string Value)[] headers)
    {
        var message = new HttpRequestMessage(method, "/v1/webhooks");
        message.Headers.Add("Origin", origin);
        foreach (var (name, value) in headers)
        {
            message.Headers.Add(name, value);
        }

        return message;
    }
}
