
namespace Webhooks.Api.Tests.Clients;

/// <summary><c>403</c> for a suspended client: on every operation, and before its body is looked at.</summary>
public sealed class SuspendedClientTests : ClientsFixture
{
    private async Task<IssuedClient> NewSuspendedClientAsync()
    {
        var client = await NewClientWithUrlAsync();
        await ClientsApi.SuspendAsync(Factory, client.ClientId);
        return client;
    }

    [Test]
    public async Task Get_SuspendedClient_Is403()
    {
        var client = await NewSuspendedClientAsync();

        using var response = await ClientsApi.GetAsync(Http, client);

        var body = await ClientsAssert.ProblemAsync(response, ProblemKind.Forbidden);
        Assert.That(body, Does.Not.Contain(ExampleUrl), "a suspended client sees nothing of its configuration");
    }

    [Test]
    public async Task Patch_SuspendedClient_Is403AndChangesNothing()
    {
        var client = await NewSuspendedClientAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, ClientsApi.UrlBody("https://new.example.com/x"));

        await ClientsAssert.ProblemAsync(response, ProblemKind.Forbidden);
        Assert.That(await ClientsApi.StoredWebhookUrlAsync(Factory, client.ClientId), Is.EqualTo(ExampleUrl));
    }

    [Test]
    public async Task Patch_SuspendedClient_CannotClearEither()
    {
        var client = await NewSuspendedClientAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, """{"webhook_url":""}""");

        await ClientsAssert.ProblemAsync(response, ProblemKind.Forbidden);
        Assert.That(await ClientsApi.StoredWebhookUrlAsync(Factory, client.ClientId), Is.EqualTo(ExampleUrl));
    }

    [TestCase("{", TestName = "403 before malformed JSON")]
    [TestCase("{}", TestName = "403 before a missing webhook_url")]
    [TestCase("""{"webhook_url":"http://insecure.example.com/"}""", TestName = "403 before an invalid URL")]
    [TestCase("""{"webhook_url":42,"client_id":"x","extra":1}""", TestName = "403 before wrong types, read-only and unknown fields")]
    [TestCase("[]", TestName = "403 before a body that is not an object")]
    public async Task Patch_SuspendedClientWithBadBody_Is403(string body)
    {
        var client = await NewSuspendedClientAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, body);

        await ClientsAssert.ProblemAsync(response, ProblemKind.Forbidden);
        Assert.That(await ClientsApi.StoredWebhookUrlAsync(Factory, client.ClientId), Is.EqualTo(ExampleUrl));
    }

    [Test]
    public async Task Suspended_WithAWrongSecret_Is401Not403()
    {
        var client = await NewSuspendedClientAsync();

        using var response = await ClientsApi.SendAsync(Http, HttpMethod.Get, ClientsApi.Basic(client.Id, client.ClientSecret + "x"));

        await ClientsAssert.ProblemAsync(response, ProblemKind.Unauthorized);
    }

    [Test]
    public async Task Suspending_OneClient_LeavesOthersWorking()
    {
        var suspended = await NewSuspendedClientAsync();
        var active = await NewClientAsync("cust-active");

        using var response = await ClientsApi.PatchAsync(Http, active, ClientsApi.UrlBody("https://active.example.com/"));

        await ClientsAssert.ClientAsync(response, active, "https://active.example.com/");
        using var stillForbidden = await ClientsApi.GetAsync(Http, suspended);
        await ClientsAssert.ProblemAsync(stillForbidden, ProblemKind.Forbidden);
    }

    [Test]
    public async Task Suspension_AppliesToAClientWithoutAUrl()
    {
        var client = await NewClientAsync();
        using var before = await ClientsApi.GetAsync(Http, client);
        await ClientsAssert.ClientAsync(before, client, string.Empty);

        await ClientsApi.SuspendAsync(Factory, client.ClientId);

        using var after = await ClientsApi.SendAsync(Http, HttpMethod.Patch, client.Authorization, Json.Body(ClientsApi.UrlBody(ExampleUrl)));
        await ClientsAssert.ProblemAsync(after, ProblemKind.Forbidden);
        Assert.That(await ClientsApi.StoredWebhookUrlAsync(Factory, client.ClientId), Is.Null);
    }
}
