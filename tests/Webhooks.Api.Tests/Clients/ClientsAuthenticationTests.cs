
namespace Webhooks.Api.Tests.Clients;

/// <summary>
/// <c>401</c> on the Clients API: problem details with the seed's required AuthenticationError
/// fields and <c>WWW-Authenticate: Basic realm="clients"</c>, for every way credentials can be
/// missing or wrong, on GET and PATCH, and before anything about the body is looked at.
/// </summary>
public sealed class ClientsAuthenticationTests : ClientsFixture
{
    private IssuedClient _client = null!;

    private IssuedClient _other = null!;

    private TestOrganization _organization = null!;

    /// <summary>What a bad <c>Authorization</c> header is made of.</summary>
    public sealed record Credentials(IssuedClient Client, IssuedClient Other, string ApiKey);

    [OneTimeSetUp]
    public async Task CreateClientsAsync()
    {
        _client = await NewClientWithUrlAsync();
        _other = await NewClientAsync("cust-other");
        _organization = await Factory.CreateOrganizationAsync("webhooks:read", "webhooks:write");
    }

    public static IEnumerable<TestCaseData> BadAuthorizations()
    {
        static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

        var cases = new (string Name, Func<Credentials, string?> Header)[]
        {
            ("no Authorization header", _ => null),
            ("empty header", _ => string.Empty),
            ("Basic with nothing", _ => "Basic"),
            ("Basic with a space only", _ => "Basic "),
            ("Bearer scheme with the client secret", c => "Bearer " + c.Client.ClientSecret),
            ("Bearer scheme with base64 credentials", c => "Bearer " + B64($"{c.Client.Id}:{c.Client.ClientSecret}")),
            ("an API key of the v1 surface as Bearer", c => "Bearer " + c.ApiKey),
            ("an API key of the v1 surface as Basic", c => "Basic " + B64(c.ApiKey)),
            ("Digest scheme", c => "Digest " + B64($"{c.Client.Id}:{c.Client.ClientSecret}")),
            ("malformed base64", _ => "Basic !!!not-base64!!!"),
            ("base64 cut short", c => "Basic " + B64($"{c.Client.Id}:{c.Client.ClientSecret}")[..^3]),
            ("credentials not base64-encoded", c => $"Basic {c.Client.Id}:{c.Client.ClientSecret}"),
            ("no colon", c => "Basic " + B64(c.Client.Id + c.Client.ClientSecret)),
            ("empty secret", c => "Basic " + B64(c.Client.Id + ":")),
            ("empty client id", c => "Basic " + B64(":" + c.Client.ClientSecret)),
            ("unknown client id (a valid UUID)", c => ClientsApi.Basic(Guid.CreateVersion7().ToString(), c.Client.ClientSecret)),
            ("client id that is not a UUID", c => ClientsApi.Basic("cust-1", c.Client.ClientSecret)),
            ("client id in braces", c => ClientsApi.Basic("{" + c.Client.Id + "}", c.Client.ClientSecret)),
            ("client id without hyphens", c => ClientsApi.Basic(c.Client.ClientId.ToString("N"), c.Client.ClientSecret)),
            ("wrong secret", c => ClientsApi.Basic(c.Client.Id, "cs_live_" + new string('x', 43))),
            ("secret with a trailing space", c => ClientsApi.Basic(c.Client.Id, c.Client.ClientSecret + " ")),
            ("secret in another case", c => ClientsApi.Basic(c.Client.Id, c.Client.ClientSecret.ToUpperInvariant())),
            ("another client's secret", c => ClientsApi.Basic(c.Client.Id, c.Other.ClientSecret)),
            ("this client's secret under another client's id", c => ClientsApi.Basic(c.Other.Id, c.Client.ClientSecret)),
            ("the secret's hash-free part only", c => ClientsApi.Basic(c.Client.Id, c.Client.ClientSecret["cs_live_".Length..])),
            ("a very long secret", c => ClientsApi.Basic(c.Client.Id, new string('s', 5000))),
        };

        foreach (var method in new[] { "GET", "PATCH" })
        {
            foreach (var (name, header) in cases)
            {
                yield return new TestCaseData(method, header).SetName($"{method} 401: {name}");
            }
        }
    }

    [TestCaseSource(nameof(BadAuthorizations))]
    public async Task BadCredentials_Are401ProblemWithBasicChallenge(string method, Func<Credentials, string?> header)
    {
        var authorization = header(new Credentials(_client, _other, _organization.Key));
        using var content = method == "PATCH" ? Json.Body(ClientsApi.UrlBody("https://attacker.example.com/")) : null;

        using var response = await ClientsApi.SendAsync(Http, new HttpMethod(method), authorization, content);

        var body = await ClientsAssert.ProblemAsync(response, ProblemKind.Unauthorized);
        Assert.That(body, Does.Not.Contain(_client.ClientSecret).And.Not.Contain(_client.Id), "nothing presented is echoed");
        await SeedContract.AssertValidAsync("401", body);
        await ClientsAssert.WebhookUrlAsync(Http, _client, ExampleUrl);
    }

    [Test]
    public async Task TwoAuthorizationHeaders_Are401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ClientsApi.Path);
        request.Headers.TryAddWithoutValidation("Authorization", new[] { _client.Authorization, _client.Authorization });

        using var response = await Http.SendAsync(request);

        await ClientsAssert.ProblemAsync(response, ProblemKind.Unauthorized);
    }

    [TestCase("{", TestName = "401 before malformed JSON")]
    [TestCase("""{"webhook_url":"http://insecure.example.com/"}""", TestName = "401 before an invalid URL")]
    [TestCase("""{"webhook_url":42,"client_id":"x"}""", TestName = "401 before wrong types and read-only fields")]
    [TestCase("[]", TestName = "401 before a body that is not an object")]
    public async Task BadCredentialsAndBadBody_Is401(string body)
    {
        using var response = await ClientsApi.SendAsync(
            Http, HttpMethod.Patch, ClientsApi.Basic(_client.Id, "wrong"), Json.Body(body));

        await ClientsAssert.ProblemAsync(response, ProblemKind.Unauthorized);
    }

    [Test]
    public async Task NoCredentialsAndBadBody_Is401()
    {
        using var response = await ClientsApi.SendAsync(Http, HttpMethod.Patch, null, Json.Body("{"));

        await ClientsAssert.ProblemAsync(response, ProblemKind.Unauthorized);
    }

    [Test]
    public async Task BadCredentialsAndNonJsonMediaType_Is401()
    {
        using var response = await ClientsApi.SendAsync(
            Http, HttpMethod.Patch, null, RawRequests.Bytes(ClientsApi.UrlBody(ExampleUrl), "text/plain"));

        await ClientsAssert.ProblemAsync(response, ProblemKind.Unauthorized);
    }

    [Test]
    public async Task BadCredentialsAndOversizedBody_Is401()
    {
        var body = ClientsApi.UrlBody("https://hooks.example.com/" + new string('a', 70 * 1024));

        using var response = await ClientsApi.SendAsync(Http, HttpMethod.Patch, ClientsApi.Basic(_client.Id, "wrong"), Json.Body(body));

        await ClientsAssert.ProblemAsync(response, ProblemKind.Unauthorized);
    }

    [Test]
    public async Task EveryUnauthorizedResponse_IsTheSame_SoItRevealsNothing()
    {
        using var unknown = await ClientsApi.SendAsync(Http, HttpMethod.Get, ClientsApi.Basic(Guid.CreateVersion7().ToString(), "cs_live_x"));
        using var wrongSecret = await ClientsApi.SendAsync(Http, HttpMethod.Get, ClientsApi.Basic(_client.Id, "cs_live_x"));
        using var missing = await ClientsApi.SendAsync(Http, HttpMethod.Get, null);

        var bodies = new List<string>();
        foreach (var response in new[] { unknown, wrongSecret, missing })
        {
            var text = await ClientsAssert.ProblemAsync(response, ProblemKind.Unauthorized);
            bodies.Add(text.Replace(ApiAssert.RequestId(response), "ID", StringComparison.Ordinal));
        }

        Assert.That(bodies.Distinct().ToList(), Has.Count.EqualTo(1), string.Join("\n", bodies));
    }

    [Test]
    public async Task ClientCredentials_DoNotAuthenticateOnTheV1Surface()
    {
        using var response = await ClientsApi.SendAsync(Http, HttpMethod.Get, _client.Authorization, path: $"/v1/webhooks/{Guid.CreateVersion7()}");

        await ApiAssert.Unauthorized(response);
    }
}
