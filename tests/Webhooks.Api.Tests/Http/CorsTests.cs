
namespace Webhooks.Api.Tests.Http;

/// <summary>Browser front ends on other origins: only those listed in <c>Cors:AllowedOrigins</c>, none by default.</summary>
[TestFixture]
public sealed class CorsTests
{
    private const string Origin = "http://127.0.0.1:5300";

    [Test]
    public async Task Preflight_WhenNoOriginIsConfigured_AllowsNothing()
    {
        using var factory = new ApiFactory();
        using var client = factory.CreateClient(key: null);
        using var response = await client.SendAsync(Preflight("PATCH"));
        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task Preflight_FromAConfiguredOrigin_AllowsTheApiMethodsAndHeaders()
    {
        using var factory = Configured();
        using var client = factory.CreateClient(key: null);
        using var response = await client.SendAsync(Preflight("PATCH", "authorization,content-type,if-match"));
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { Origin }));
            Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), Does.Contain("PATCH"));
            Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToUpperInvariant(), Does.Contain("IF-MATCH"));
        });
    }

    [Test]
    public async Task Preflight_FromAnotherOrigin_IsNotAllowed()
    {
        using var factory = Configured();
        using var client = factory.CreateClient(key: null);
        using var request = Preflight("GET");
        request.Headers.Remove("Origin");
        request.Headers.Add("Origin", "http://127.0.0.1:5999");
        using var response = await client.SendAsync(request);
        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task ErrorResponse_ToAConfiguredOrigin_CarriesTheCorsHeaders_SoThePageCanReadTheEnvelope()
    {
        using var factory = Configured();
        var organization = await factory.CreateOrganizationAsync();
        using var client = factory.CreateClient(organization.Key);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks") { Content = Json.Body("""{"url":"http://example.com/hook","events":["wallet.balance_low"]}""") };
        request.Headers.Add("Origin", Origin);
        using var response = await client.SendAsync(request);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { Origin }));
            Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")), Does.Contain("ETag").And.Contain("X-Request-Id"));
        });
    }

    [Test]
    public async Task UnauthenticatedResponse_ToAConfiguredOrigin_CarriesTheCorsHeaders()
    {
        using var factory = Configured();
        using var client = factory.CreateClient("am_live_wrongwrongwrongwrongwrongwrongwrong");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/webhooks");
        request.Headers.Add("Origin", Origin);
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { Origin }));
    }

    private static ApiFactory Configured() => new(new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = Origin });

    private static HttpRequestMessage Preflight(string method, string? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/v1/webhooks");
        request.Headers.Add("Origin", Origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        if (headers is not null)
        {
            request.Headers.Add("Access-Control-Request-Headers", headers);
        }

        return request;
    }
}
