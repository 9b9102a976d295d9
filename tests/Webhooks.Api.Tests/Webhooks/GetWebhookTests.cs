
namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// <c>GET /v1/webhooks/{id}</c>, and the not-found rules every <c>{id}</c> route shares: an unknown
/// id, an id that is not a UUID and another organization's endpoint are the same 404, never a 403.
/// </summary>
public sealed class GetWebhookTests : WebhooksFixture
{
    private TestOrganization _orgB = null!;
    private string _readKeyB = null!;
    private JsonElement _endpointA;
    private string _idA = null!;

    public static IEnumerable<string> NotFoundIds()
    {
        yield return "00000000-0000-0000-0000-000000000000";
        yield return "0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4";
        yield return Guid.CreateVersion7().ToString("D");
        yield return "abc";
        yield return "123";
        yield return "not-a-uuid";
        yield return "{0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4}";
        yield return "(0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4)";
        yield return "0190a1b2c3d47e5fa7b8c9d0e1f2a3b4";
        yield return "0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4x";
        yield return "%20";
    }

    [OneTimeSetUp]
    public async Task CreateTheOtherOrganizationAndAnEndpointAsync()
    {
        _orgB = await Factory.CreateOrganizationAsync();
        _readKeyB = await Factory.CreateKeyAsync(_orgB.OrgId, "webhooks:read");
        _endpointA = await WebhookResource.CreateAsync(Client, """
            {"url":"https://hooks.example.com/y3labs/ops","events":["wallet.balance_low","wallet.balance_zero"],"description":"Ops alerts"}
            """);
        _idA = _endpointA.GetProperty("id").GetString()!;
    }

    [TestCase("webhooks:read")]
    [TestCase("webhooks:write")]
    [TestCase("webhooks:read", "webhooks:write")]
    public async Task Get_OwnEndpoint_Is200WithTheResource(params string[] scopes)
    {
        var key = await Factory.CreateKeyAsync(Org.OrgId, scopes);

        var response = await Factory.CreateClient(key).GetAsync($"/v1/webhooks/{_idA}");

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        ApiAssert.RequestId(response);
        var body = await Json.ReadAsync(response);
        WebhookResource.AssertShape(body);
        Assert.That(body.GetProperty("id").GetString(), Is.EqualTo(_idA));
        Assert.That(body.GetProperty("org_id").GetString(), Is.EqualTo(Org.OrgId.ToString("D")));
        Assert.That(body.GetProperty("url").GetString(), Is.EqualTo("https://hooks.example.com/y3labs/ops"));
        Assert.That(body.GetProperty("description").GetString(), Is.EqualTo("Ops alerts"));
        Assert.That(WebhookResource.Events(body), Is.EqualTo(new[] { "wallet.balance_low", "wallet.balance_zero" }));
        Assert.That(body.GetProperty("active").GetBoolean(), Is.True);
        Assert.That(body.GetProperty("api_version").GetString(), Is.EqualTo(WebhookResource.ApiVersion));
        Assert.That(body.GetProperty("created_at").GetString(), Is.EqualTo(_endpointA.GetProperty("created_at").GetString()));
        Assert.That(body.GetProperty("updated_at").GetString(), Is.EqualTo(_endpointA.GetProperty("updated_at").GetString()));
        Assert.That(body.GetProperty("deleted_at").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(JsonElement.DeepEquals(body, _endpointA), Is.True);
    }

    [Test]
    public async Task Get_UpperCaseIdOfOwnEndpoint_IsTheSameEndpoint()
    {
        var response = await Client.GetAsync($"/v1/webhooks/{_idA.ToUpperInvariant()}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(JsonElement.DeepEquals(await Json.ReadAsync(response), _endpointA), Is.True);
    }

    [TestCaseSource(nameof(NotFoundIds))]
    public async Task Get_UnknownOrMalformedId_Is404(string id)
    {
        var response = await Client.GetAsync($"/v1/webhooks/{Uri.EscapeDataString(id)}");

        await ApiAssert.NotFound(response);
    }

    [TestCaseSource(nameof(NotFoundIds))]
    public async Task Get_UnknownOrMalformedIdWithAReadOnlyKey_Is404(string id)
    {
        var response = await Factory.CreateClient(_readKeyB).GetAsync($"/v1/webhooks/{Uri.EscapeDataString(id)}");

        await ApiAssert.NotFound(response);
    }

    [Test]
    public async Task Get_AnotherOrganizationsEndpoint_Is404_WithReadWriteAndReadOnlyKeys()
    {
        await ApiAssert.NotFound(await Factory.CreateClient(_orgB.Key).GetAsync($"/v1/webhooks/{_idA}"));
        await ApiAssert.NotFound(await Factory.CreateClient(_readKeyB).GetAsync($"/v1/webhooks/{_idA}"));
    }

    [Test]
    public async Task Patch_AnotherOrganizationsEndpoint_Is404AndChangesNothing()
    {
        var client = Factory.CreateClient(_orgB.Key);

        await ApiAssert.NotFound(await client.PatchAsync($"/v1/webhooks/{_idA}", """{"description":"taken over"}"""));
        await ApiAssert.NotFound(await client.PatchAsync($"/v1/webhooks/{_idA}", """{"url":"https://evil.example.com/x","active":false}"""));
        await ApiAssert.NotFound(await client.PatchAsync($"/v1/webhooks/{_idA}", "{}"));
        await ApiAssert.NotFound(await client.PatchAsync($"/v1/webhooks/{_idA}", $$"""{"api_version":"{{WebhookResource.ApiVersion}}"}"""));

        var owner = await Client.GetAsync($"/v1/webhooks/{_idA}");
        Assert.That(JsonElement.DeepEquals(await Json.ReadAsync(owner), _endpointA), Is.True, "the endpoint is unchanged");
    }

    /// <summary>
    /// The body's rules that do not need the stored endpoint come before existence: a rule-violating
    /// body to another organization's endpoint is the same 400 as to an unknown id, so it reveals
    /// nothing, and it changes nothing.
    /// </summary>
    [Test]
    public async Task Patch_AnotherOrganizationsEndpointWithARuleViolatingBody_IsTheSame400AsForAnUnknownId()
    {
        var client = Factory.CreateClient(_orgB.Key);
        const string Body = """{"url":"http://hooks.example.com/x","api_version":"2020-01-01"}""";
        var details = new Dictionary<string, string>
        {
            ["url"] = "must use https",
            ["api_version"] = "is immutable; create a new endpoint at the new version",
        };

        var theirs = await client.PatchAsync($"/v1/webhooks/{_idA}", Body);
        var unknown = await client.PatchAsync($"/v1/webhooks/{Guid.CreateVersion7()}", Body);

        await ApiAssert.ValidationFailed(theirs, details);
        await ApiAssert.ValidationFailed(unknown, details);
        Assert.That(await EnvelopeText.WithoutRequestIdAsync(theirs), Is.EqualTo(await EnvelopeText.WithoutRequestIdAsync(unknown)));
        var owner = await Client.GetAsync($"/v1/webhooks/{_idA}");
        Assert.That(JsonElement.DeepEquals(await Json.ReadAsync(owner), _endpointA), Is.True, "the endpoint is unchanged");
    }

    [TestCaseSource(nameof(NotFoundIds))]
    public async Task Patch_UnknownOrMalformedId_Is404(string id)
    {
        var response = await Client.PatchAsync($"/v1/webhooks/{Uri.EscapeDataString(id)}", """{"description":"x"}""");

        await ApiAssert.NotFound(response);
    }

    /// <summary>Nothing in a 404 tells an unknown id from a malformed one or from another organization's endpoint.</summary>
    [Test]
    public async Task NotFound_BodiesAndHeadersAreIdenticalWhateverTheReason()
    {
        var clientB = Factory.CreateClient(_orgB.Key);
        var readB = Factory.CreateClient(_readKeyB);
        var responses = new[]
        {
            await clientB.GetAsync($"/v1/webhooks/{Guid.CreateVersion7()}"),
            await clientB.GetAsync("/v1/webhooks/abc"),
            await clientB.GetAsync("/v1/webhooks/123"),
            await clientB.GetAsync($"/v1/webhooks/{Uri.EscapeDataString("{" + _idA + "}")}"),
            await clientB.GetAsync($"/v1/webhooks/{_idA}"),
            await readB.GetAsync($"/v1/webhooks/{_idA}"),
            await readB.GetAsync($"/v1/webhooks/{Guid.CreateVersion7()}"),
            await clientB.PatchAsync($"/v1/webhooks/{_idA}", """{"description":"x"}"""),
            await clientB.PatchAsync($"/v1/webhooks/{Guid.CreateVersion7()}", """{"description":"x"}"""),
            await clientB.PatchAsync("/v1/webhooks/abc", """{"description":"x"}"""),
        };

        var bodies = new List<string>();
        var headers = new List<string>();
        foreach (var response in responses)
        {
            await ApiAssert.NotFound(response);
            bodies.Add(await EnvelopeText.WithoutRequestIdAsync(response));
            headers.Add(string.Join(";", response.Headers.Concat(response.Content.Headers)
                .Where(h => !h.Key.Equals("X-Request-Id", StringComparison.OrdinalIgnoreCase) && !h.Key.Equals("Date", StringComparison.OrdinalIgnoreCase))
                .OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
                .Select(h => $"{h.Key}={string.Join(",", h.Value)}")));
        }

        Assert.That(bodies.Distinct(), Has.Exactly(1).Items, string.Join("\n", bodies));
        Assert.That(headers.Distinct(), Has.Exactly(1).Items, string.Join("\n", headers));
    }
}
