using System.Net.Http.Headers;

namespace Webhooks.Api.Tests.Clients;

/// <summary><c>GET</c> and successful <c>PATCH /clients/webhook-url</c>: the ClientResponse, field by field.</summary>
public sealed class WebhookUrlTests : ClientsFixture
{
    private const string Prefix = "https://hooks.example.com/";

    [Test]
    public async Task Get_NewClient_ReturnsItsIdsAndAnEmptyWebhookUrl()
    {
        var client = await NewClientAsync("cust-get");

        using var response = await ClientsApi.GetAsync(Http, client);

        await ClientsAssert.ClientAsync(response, client, string.Empty);
        Assert.That(client.ClientId.Version, Is.EqualTo(7), "new client ids are version-7 UUIDs");
    }

    [Test]
    public async Task Get_AfterPatch_ReturnsTheUrl()
    {
        var client = await NewClientAsync();

        using var patched = await ClientsApi.PatchAsync(Http, client, ClientsApi.UrlBody(ExampleUrl));
        var patchedBody = await ClientsAssert.ClientAsync(patched, client, ExampleUrl);

        using var read = await ClientsApi.GetAsync(Http, client);
        var readBody = await ClientsAssert.ClientAsync(read, client, ExampleUrl);
        Assert.That(readBody, Is.EqualTo(patchedBody), "GET returns the same object as PATCH");
        Assert.That(await ClientsApi.StoredWebhookUrlAsync(Factory, client.ClientId), Is.EqualTo(ExampleUrl));
    }

    [TestCase("https://hooks.example.com/x", "https://hooks.example.com/x", TestName = "stored as sent when already normal")]
    [TestCase("  https://hooks.example.com/x  ", "https://hooks.example.com/x", TestName = "surrounding spaces trimmed")]
    [TestCase("\t\r\nhttps://hooks.example.com/x\n ", "https://hooks.example.com/x", TestName = "surrounding tabs and newlines trimmed")]
    [TestCase("HTTPS://HOOKS.Example.COM/Path/To?Q=AbC", "https://hooks.example.com/Path/To?Q=AbC", TestName = "scheme and host lower-cased, path and query kept")]
    [TestCase("Https://hooks.example.com:443/x", "https://hooks.example.com/x", TestName = "default port dropped")]
    [TestCase("https://hooks.example.com:8443/x", "https://hooks.example.com:8443/x", TestName = "other port kept")]
    [TestCase("https://bücher.example/hook", "https://xn--bcher-kva.example/hook", TestName = "IDN host stored as punycode")]
    [TestCase("https://hooks.example.com", "https://hooks.example.com", TestName = "no path added")]
    [TestCase("https://hooks.example.com/a/%7Euser/../b?x=%2F", "https://hooks.example.com/a/%7Euser/../b?x=%2F", TestName = "path and query not re-escaped or resolved")]
    public async Task Patch_HttpsUrl_IsStoredNormalized(string sent, string stored)
    {
        var client = await NewClientAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, ClientsApi.UrlBody(sent));

        await ClientsAssert.ClientAsync(response, client, stored);
        await ClientsAssert.WebhookUrlAsync(Http, client, stored);
        Assert.That(await ClientsApi.StoredWebhookUrlAsync(Factory, client.ClientId), Is.EqualTo(stored));
    }

    [Test]
    public async Task Patch_UrlOfExactly2048Characters_IsAccepted()
    {
        var client = await NewClientAsync();
        var url = Prefix + new string('a', 2048 - Prefix.Length);
        Assert.That(url, Has.Length.EqualTo(2048));

        using var response = await ClientsApi.PatchAsync(Http, client, ClientsApi.UrlBody(url));

        await ClientsAssert.ClientAsync(response, client, url);
    }

    [TestCase("", TestName = "empty string clears")]
    [TestCase("   ", TestName = "blank string clears")]
    [TestCase(" \t\n ", TestName = "white space only clears")]
    public async Task Patch_EmptyOrBlank_ClearsTheUrl(string sent)
    {
        var client = await NewClientWithUrlAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, ClientsApi.UrlBody(sent));

        await ClientsAssert.ClientAsync(response, client, string.Empty);
        await ClientsAssert.WebhookUrlAsync(Http, client, string.Empty);
        Assert.That(await ClientsApi.StoredWebhookUrlAsync(Factory, client.ClientId), Is.Null, "no URL is stored");
    }

    [Test]
    public async Task Patch_Empty_WhenNoUrlIsSet_Returns200()
    {
        var client = await NewClientAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, """{"webhook_url":""}""");

        await ClientsAssert.ClientAsync(response, client, string.Empty);
    }

    [Test]
    public async Task Patch_SameValueTwice_Returns200BothTimes()
    {
        var client = await NewClientAsync();

        using var first = await ClientsApi.PatchAsync(Http, client, ClientsApi.UrlBody(ExampleUrl));
        var firstBody = await ClientsAssert.ClientAsync(first, client, ExampleUrl);
        using var second = await ClientsApi.PatchAsync(Http, client, ClientsApi.UrlBody(ExampleUrl));
        var secondBody = await ClientsAssert.ClientAsync(second, client, ExampleUrl);
        using var third = await ClientsApi.PatchAsync(Http, client, ClientsApi.UrlBody("  HTTPS://HOOKS.EXAMPLE.COM/terra/device "));
        await ClientsAssert.ClientAsync(third, client, ExampleUrl);

        Assert.That(secondBody, Is.EqualTo(firstBody));
        await ClientsAssert.WebhookUrlAsync(Http, client, ExampleUrl);
    }

    [Test]
    public async Task Patch_NewUrl_ReplacesThePreviousOne()
    {
        var client = await NewClientWithUrlAsync("https://old.example.com/hook");

        using var response = await ClientsApi.PatchAsync(Http, client, ClientsApi.UrlBody("https://new.example.com/hook"));

        await ClientsAssert.ClientAsync(response, client, "https://new.example.com/hook");
        await ClientsAssert.WebhookUrlAsync(Http, client, "https://new.example.com/hook");
    }

    [TestCase("application/json; charset=utf-8")]
    [TestCase("application/json; charset=UTF-8")]
    [TestCase("application/merge-patch+json")]
    [TestCase("Application/JSON")]
    public async Task Patch_AcceptedJsonMediaTypes(string contentType)
    {
        var client = await NewClientAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, RawRequests.Bytes(ClientsApi.UrlBody(ExampleUrl), contentType));

        await ClientsAssert.ClientAsync(response, client, ExampleUrl);
    }

    [Test]
    public async Task BasicScheme_IsCaseInsensitive()
    {
        var client = await NewClientAsync();
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{client.Id}:{client.ClientSecret}"));

        using var response = await ClientsApi.SendAsync(Http, HttpMethod.Get, "basic " + credentials);

        await ClientsAssert.ClientAsync(response, client, string.Empty);
    }

    [Test]
    public async Task ClientId_InUpperCase_Authenticates()
    {
        var client = await NewClientAsync();

        using var response = await ClientsApi.SendAsync(Http, HttpMethod.Get, ClientsApi.Basic(client.Id.ToUpperInvariant(), client.ClientSecret));

        await ClientsAssert.ClientAsync(response, client, string.Empty);
    }

    [Test]
    public async Task Isolation_OneClientsPatch_NeverChangesAnother()
    {
        var a = await NewClientAsync("cust-a");
        var b = await NewClientAsync("cust-b");

        using var patchA = await ClientsApi.PatchAsync(Http, a, ClientsApi.UrlBody("https://a.example.com/hook"));
        await ClientsAssert.ClientAsync(patchA, a, "https://a.example.com/hook");
        await ClientsAssert.WebhookUrlAsync(Http, b, string.Empty);

        using var patchB = await ClientsApi.PatchAsync(Http, b, ClientsApi.UrlBody("https://b.example.com/hook"));
        await ClientsAssert.ClientAsync(patchB, b, "https://b.example.com/hook");
        await ClientsAssert.WebhookUrlAsync(Http, a, "https://a.example.com/hook");

        using var clearA = await ClientsApi.PatchAsync(Http, a, ClientsApi.UrlBody(string.Empty));
        await ClientsAssert.ClientAsync(clearA, a, string.Empty);
        await ClientsAssert.WebhookUrlAsync(Http, b, "https://b.example.com/hook");
    }

    [Test]
    public async Task Isolation_TheReadOnlyClientIdInTheBody_CannotTargetAnotherClient()
    {
        var a = await NewClientAsync("cust-a");
        var b = await NewClientWithUrlAsync("https://b.example.com/hook", "cust-b");

        using var response = await ClientsApi.PatchAsync(
            Http, a, $$"""{"client_id":"{{b.Id}}","webhook_url":"https://attacker.example.com/"}""");

        await ClientsAssert.ValidationAsync(response, "client_id", "is read-only");
        await ClientsAssert.WebhookUrlAsync(Http, a, string.Empty);
        await ClientsAssert.WebhookUrlAsync(Http, b, "https://b.example.com/hook");
    }

    [Test]
    public async Task Get_WithAcceptApplicationJson_ReturnsTheClient()
    {
        var client = await NewClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, ClientsApi.Path);
        request.Headers.TryAddWithoutValidation("Authorization", client.Authorization);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await Http.SendAsync(request);

        await ClientsAssert.ClientAsync(response, client, string.Empty);
    }
}
