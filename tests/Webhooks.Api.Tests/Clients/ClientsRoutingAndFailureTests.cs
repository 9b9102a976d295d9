using Microsoft.AspNetCore.Mvc.Testing;

namespace Webhooks.Api.Tests.Clients;

/// <summary>
/// The other errors of the Clients API: a wrong method (405), an unknown path (404), a client that
/// no longer exists after authenticating (404), and an unexpected failure (500, revealing nothing).
/// </summary>
public sealed class ClientsRoutingAndFailureTests : ClientsFixture
{
    private static readonly string[] AllowedMethods = ["GET", "PATCH"];

    [TestCase("PUT", true)]
    [TestCase("DELETE", true)]
    [TestCase("POST", true)]
    [TestCase("PUT", false)]
    [TestCase("DELETE", false)]
    [TestCase("POST", false)]
    public async Task WrongMethod_Is405ProblemWithAllow(string method, bool authenticated)
    {
        var client = await NewClientWithUrlAsync();
        using var content = method == "DELETE" ? null : Json.Body(ClientsApi.UrlBody("https://new.example.com/x"));

        using var response = await ClientsApi.SendAsync(Http, new HttpMethod(method), authenticated ? client.Authorization : null, content);

        await ClientsAssert.ProblemAsync(response, ProblemKind.MethodNotAllowed);
        var allow = response.Content.Headers.Allow.Concat(response.Headers.TryGetValues("Allow", out var values) ? values : []);
        Assert.That(
            allow.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Distinct(),
            Is.EquivalentTo(AllowedMethods),
            "Allow names exactly the methods of /clients/webhook-url");
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [TestCase("GET", "/clients/nope")]
    [TestCase("GET", "/clients")]
    [TestCase("GET", "/clients/")]
    [TestCase("GET", "/clients/webhook_url")]
    [TestCase("GET", "/clients/webhook-url/extra")]
    [TestCase("PATCH", "/clients/nope")]
    [TestCase("DELETE", "/clients/webhook-url/1")]
    [TestCase("POST", "/clients")]
    public async Task UnknownPath_Is404Problem(string method, string path)
    {
        using var response = await ClientsApi.SendAsync(Http, new HttpMethod(method), null, path: path);

        var body = await ClientsAssert.ProblemAsync(response, ProblemKind.NotFound, instance: path);
        await SeedContract.AssertValidAsync("404", body);
    }

    [Test]
    public async Task UnknownPath_WithValidCredentials_Is404Problem()
    {
        var client = await NewClientAsync();

        using var response = await ClientsApi.SendAsync(Http, HttpMethod.Get, client.Authorization, path: "/clients/nope");

        await ClientsAssert.ProblemAsync(response, ProblemKind.NotFound, instance: "/clients/nope");
    }

    [Test]
    public async Task ClientThatNoLongerExists_Get_Is404Problem()
    {
        var client = await NewClientWithUrlAsync();
        await using var vanished = ClientsApi.WithClientRepository(Factory, DecoratedClientRepository.Vanished);
        using var http = ClientsApi.CreateHttpClient(vanished);

        using var response = await ClientsApi.GetAsync(http, client);

        var body = await ClientsAssert.ProblemAsync(response, ProblemKind.NotFound);
        Assert.That(body, Does.Not.Contain(client.Id).And.Not.Contain(ExampleUrl));
        await SeedContract.AssertValidAsync("404", body);
    }

    [Test]
    public async Task ClientThatNoLongerExists_Patch_Is404ProblemAndWritesNothing()
    {
        var client = await NewClientWithUrlAsync();
        await using var vanished = ClientsApi.WithClientRepository(Factory, DecoratedClientRepository.Vanished);
        using var http = ClientsApi.CreateHttpClient(vanished);

        using var response = await ClientsApi.PatchAsync(http, client, ClientsApi.UrlBody("https://new.example.com/x"));

        var body = await ClientsAssert.ProblemAsync(response, ProblemKind.NotFound);
        await SeedContract.AssertValidAsync("404", body);
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [Test]
    public async Task ClientThatNoLongerExists_StillGets401ForWrongCredentials()
    {
        var client = await NewClientAsync();
        await using var vanished = ClientsApi.WithClientRepository(Factory, DecoratedClientRepository.Vanished);
        using var http = ClientsApi.CreateHttpClient(vanished);

        using var response = await ClientsApi.SendAsync(http, HttpMethod.Get, ClientsApi.Basic(client.Id, "wrong"));

        await ClientsAssert.ProblemAsync(response, ProblemKind.Unauthorized);
    }

    [TestCase("GET")]
    [TestCase("PATCH")]
    public async Task UnexpectedFailure_Is500RevealingNothing(string method)
    {
        var client = await NewClientWithUrlAsync();
        await using var failing = ClientsApi.WithClientRepository(Factory, DecoratedClientRepository.Failing);
        using var http = ClientsApi.CreateHttpClient(failing);
        using var content = method == "PATCH" ? Json.Body(ClientsApi.UrlBody("https://new.example.com/x")) : null;

        using var response = await ClientsApi.SendAsync(http, new HttpMethod(method), client.Authorization, content);

        var body = await ClientsAssert.ProblemAsync(response, ProblemKind.Internal);
        foreach (var secret in new[] { "SQLite", "SELECT", "secret_hash", "cs_live_", "/srv/app", "InvalidOperationException", "Exception", " at ", ".cs", client.ClientSecret })
        {
            Assert.That(body, Does.Not.Contain(secret), $"the 500 body reveals '{secret}'");
        }

        await SeedContract.AssertValidAsync("500", body);
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [Test]
    public async Task TheDecoratedService_AuthenticatesThroughTheRealRepository()
    {
        // The 404 and 500 above are only meaningful if the decorated service still authenticates:
        // the same client against a service whose repository only delegates gets its resource.
        var client = await NewClientWithUrlAsync();
        await using WebApplicationFactory<Program> passThrough = ClientsApi.WithClientRepository(
            Factory, inner => new DecoratedClientRepository(inner, id => inner.GetAsync(id, CancellationToken.None)));
        using var http = ClientsApi.CreateHttpClient(passThrough);

        using var response = await ClientsApi.GetAsync(http, client);

        await ClientsAssert.ClientAsync(response, client, ExampleUrl);
    }
}
