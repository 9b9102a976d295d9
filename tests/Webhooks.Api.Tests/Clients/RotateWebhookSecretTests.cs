namespace Webhooks.Api.Tests.Clients;

/// <summary>
/// <c>POST /clients/webhook-secret/rotate</c>: a new signing secret, shown only in the answer and
/// stored protected; the Clients API's errors (RFC 7807) exactly as on <c>PATCH /clients/webhook-url</c>.
/// </summary>
[TestFixture]
public sealed class RotateWebhookSecretTests : ClientsFixture
{
    private const string RotatePath = "/clients/webhook-secret/rotate";

    [Test]
    public async Task Rotate_ReturnsOnlyANewSecret_AndStoresIt()
    {
        var client = await NewClientAsync("cust-rotate");
        Assert.That(await ClientsApi.StoredWebhookSecretAsync(Factory, client.ClientId), Is.EqualTo(client.WebhookSecret), "the secret clients create printed");

        using var response = await RotateAsync(client.Authorization);

        var secret = await AssertSecretAsync(response);
        Assert.That(secret, Is.Not.EqualTo(client.WebhookSecret));
        Assert.That(await ClientsApi.StoredWebhookSecretAsync(Factory, client.ClientId), Is.EqualTo(secret));
    }

    [Test]
    public async Task Rotate_Twice_IssuesTwoDifferentSecrets_AndKeepsTheLast()
    {
        var client = await NewClientAsync("cust-rotate-twice");

        using var first = await RotateAsync(client.Authorization);
        using var second = await RotateAsync(client.Authorization);

        var (a, b) = (await AssertSecretAsync(first), await AssertSecretAsync(second));
        Assert.That(b, Is.Not.EqualTo(a));
        Assert.That(await ClientsApi.StoredWebhookSecretAsync(Factory, client.ClientId), Is.EqualTo(b));
    }

    [Test]
    public async Task Rotate_LeavesTheWebhookUrlAlone()
    {
        var client = await NewClientWithUrlAsync(customerId: "cust-rotate-url");

        using var response = await RotateAsync(client.Authorization);

        await AssertSecretAsync(response);
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [Test]
    public async Task Rotate_WithoutOrWithWrongCredentials_Is401WithTheBasicChallenge()
    {
        var client = await NewClientAsync("cust-rotate-401");

        using var none = await RotateAsync(null);
        using var wrong = await RotateAsync(ClientsApi.Basic(client.Id, client.ClientSecret + "x"));

        await ClientsAssert.ProblemAsync(none, ProblemKind.Unauthorized, RotatePath);
        await ClientsAssert.ProblemAsync(wrong, ProblemKind.Unauthorized, RotatePath);
        Assert.That(await ClientsApi.StoredWebhookSecretAsync(Factory, client.ClientId), Is.EqualTo(client.WebhookSecret));
    }

    [Test]
    public async Task Rotate_ByASuspendedClient_Is403_AndKeepsTheSecret()
    {
        var client = await NewClientAsync("cust-rotate-403");
        await ClientsApi.SuspendAsync(Factory, client.ClientId);

        using var response = await RotateAsync(client.Authorization);

        await ClientsAssert.ProblemAsync(response, ProblemKind.Forbidden, RotatePath);
        Assert.That(await ClientsApi.StoredWebhookSecretAsync(Factory, client.ClientId), Is.EqualTo(client.WebhookSecret));
    }

    [Test]
    public async Task Rotate_ByAClientThatNoLongerExists_Is404()
    {
        var client = await NewClientAsync("cust-rotate-404");
        using var vanished = ClientsApi.WithClientRepository(Factory, DecoratedClientRepository.Vanished);
        using var http = ClientsApi.CreateHttpClient(vanished);

        using var response = await ClientsApi.SendAsync(http, HttpMethod.Post, client.Authorization, path: RotatePath);

        await ClientsAssert.ProblemAsync(response, ProblemKind.NotFound, RotatePath);
    }

    [Test]
    public async Task Rotate_WithAnApiKey_Is401_ItIsNotTheClientsCredential()
    {
        var org = await Factory.CreateOrganizationAsync("webhooks:write", "clients:events:write");

        using var response = await RotateAsync("Bearer " + org.Key);

        await ClientsAssert.ProblemAsync(response, ProblemKind.Unauthorized, RotatePath);
    }

    private Task<HttpResponseMessage> RotateAsync(string? authorization) =>
        ClientsApi.SendAsync(Http, HttpMethod.Post, authorization, path: RotatePath);

    /// <summary>200 with exactly <c>{"webhook_secret": "whsec_..."}</c>; returns the secret.</summary>
    private static async Task<string> AssertSecretAsync(HttpResponseMessage response)
    {
        var body = await ApiAssert.JsonSuccess(response);
        Assert.That(body.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "webhook_secret" }));
        return WebhookResource.AssertSecret(body.GetProperty("webhook_secret").GetString());
    }
}
