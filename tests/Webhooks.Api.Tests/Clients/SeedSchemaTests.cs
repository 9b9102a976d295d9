using System.Text.Json.Nodes;
using NJsonSchema.Validation;
using Webhooks.Api.Http;

namespace Webhooks.Api.Tests.Clients;

/// <summary>
/// The seed's own OpenAPI fragment judges the service's real responses: for 200, 400, 401 and 404
/// (and 500) the bodies must be valid by the schemas the seed names for them.
/// </summary>
public sealed class SeedSchemaTests : ClientsFixture
{
    [Test]
    public void Fixture_IsByteForByteTheSeed()
    {
        var root = SeedContract.RepositoryRoot();
        var seed = root is null ? null : Path.GetFullPath(Path.Combine(root, "..", "shared", "seeds", SeedContract.FileName));
        if (seed is null || !File.Exists(seed))
        {
            Assert.Ignore($"the seed is not next to the repository ({seed ?? "no repository root found"})");
        }

        Assert.That(File.ReadAllBytes(SeedContract.FixturePath), Is.EqualTo(File.ReadAllBytes(seed!)), "the fixture has drifted from the seed");
    }

    [Test]
    public void Fixture_IsTheOpenApiDocumentOfTheClientsApi()
    {
        var document = SeedContract.Document;

        Assert.That(document["openapi"]?.GetValue<string>(), Does.StartWith("3.1"));
        var responses = document["paths"]?[SeedContract.OperationPath]?["patch"]?["responses"] as JsonObject;
        Assert.That(responses, Is.Not.Null);
        Assert.That(responses!.Select(r => r.Key), Is.EquivalentTo(new[] { "200", "400", "401", "404", "500" }));
        Assert.That(SeedContract.ResponseSchemaObject("401")["required"]!.AsArray().Select(n => n!.GetValue<string>()),
            Is.EquivalentTo(new[] { "detail", "status", "title", "type" }), "the seed's AuthenticationError");
        Assert.That(SeedContract.ResponseSchemaObject("200")["properties"]!.AsObject().Select(p => p.Key),
            Is.EquivalentTo(ClientsApi.ResourceKeys), "the seed's ClientResponse");
    }

    [Test]
    public async Task Get200_IsValidBySeed()
    {
        var client = await NewClientAsync();

        using var response = await ClientsApi.GetAsync(Http, client);

        await SeedContract.AssertValidAsync("200", await ClientsAssert.ClientAsync(response, client, string.Empty));
    }

    [Test]
    public async Task Patch200_IsValidBySeed()
    {
        var client = await NewClientAsync();

        using var set = await ClientsApi.PatchAsync(Http, client, ClientsApi.UrlBody(ExampleUrl));
        await SeedContract.AssertValidAsync("200", await ClientsAssert.ClientAsync(set, client, ExampleUrl));

        using var cleared = await ClientsApi.PatchAsync(Http, client, ClientsApi.UrlBody(string.Empty));
        await SeedContract.AssertValidAsync("200", await ClientsAssert.ClientAsync(cleared, client, string.Empty));
    }

    [TestCase("""{"webhook_url":"http://hooks.example.com/"}""", "webhook_url", "must use https")]
    [TestCase("{}", "webhook_url", ClientsApi.RequiredMessage)]
    [TestCase("""{"webhook_url":null}""", "webhook_url", ClientsApi.RequiredMessage)]
    [TestCase("""{"webhook_url":1}""", "webhook_url", JsonObjectReader.MustBeStringMessage)]
    [TestCase("""{"webhook_url":"","client_id":"x"}""", "client_id", "is read-only")]
    [TestCase("{", "body", JsonBody.NotJsonMessage)]
    [TestCase("[]", "body", JsonBody.NotObjectMessage)]
    public async Task Patch400_IsValidBySeed(string json, string field, string message)
    {
        var client = await NewClientAsync();

        using var response = await ClientsApi.PatchAsync(Http, client, json);

        await SeedContract.AssertValidAsync("400", await ClientsAssert.ValidationAsync(response, field, message));
    }

    [TestCase("GET")]
    [TestCase("PATCH")]
    public async Task Unauthorized401_IsValidBySeed(string method)
    {
        var client = await NewClientAsync();
        using var content = method == "PATCH" ? Support.Json.Body(ClientsApi.UrlBody(ExampleUrl)) : null;

        using var response = await ClientsApi.SendAsync(Http, new HttpMethod(method), ClientsApi.Basic(client.Id, "wrong"), content);

        await SeedContract.AssertValidAsync("401", await ClientsAssert.ProblemAsync(response, ProblemKind.Unauthorized));
    }

    [TestCase("GET")]
    [TestCase("PATCH")]
    public async Task NotFound404_ForAClientThatNoLongerExists_IsValidBySeed(string method)
    {
        var client = await NewClientAsync();
        await using var vanished = ClientsApi.WithClientRepository(Factory, DecoratedClientRepository.Vanished);
        using var http = ClientsApi.CreateHttpClient(vanished);
        using var content = method == "PATCH" ? Support.Json.Body(ClientsApi.UrlBody(ExampleUrl)) : null;

        using var response = await ClientsApi.SendAsync(http, new HttpMethod(method), client.Authorization, content);

        await SeedContract.AssertValidAsync("404", await ClientsAssert.ProblemAsync(response, ProblemKind.NotFound));
    }

    [Test]
    public async Task NotFound404_ForAnUnknownPath_IsValidBySeed()
    {
        using var response = await ClientsApi.SendAsync(Http, HttpMethod.Get, null, path: "/clients/nope");

        await SeedContract.AssertValidAsync("404", await ClientsAssert.ProblemAsync(response, ProblemKind.NotFound, "/clients/nope"));
    }

    public static IEnumerable<TestCaseData> BodiesTheSeedRefuses()
    {
        yield return new TestCaseData("401", """{"type":"urn:x","title":"Unauthorized","status":401,"instance":"/clients/webhook-url"}""", ValidationErrorKind.PropertyRequired)
            .SetName("401 without detail");
        yield return new TestCaseData("401", """{"type":"urn:x","title":"Unauthorized","detail":"d"}""", ValidationErrorKind.PropertyRequired)
            .SetName("401 without status");
        yield return new TestCaseData("401", "{}", ValidationErrorKind.PropertyRequired)
            .SetName("401 empty object");
        yield return new TestCaseData("401", """{"type":"urn:x","title":"Unauthorized","status":"401","detail":"d"}""", ValidationErrorKind.IntegerExpected)
            .SetName("401 status as a string");
        yield return new TestCaseData("400", """{"type":"urn:x","title":"Bad","status":"400","detail":"d"}""", ValidationErrorKind.IntegerExpected)
            .SetName("400 status as a string");
        yield return new TestCaseData("400", """{"type":"urn:x","title":"Bad","status":400.5,"detail":"d"}""", ValidationErrorKind.IntegerExpected)
            .SetName("400 status not an integer");
        yield return new TestCaseData("404", """{"type":"urn:x","title":"Not found","status":404,"detail":["d"]}""", ValidationErrorKind.StringExpected)
            .SetName("404 detail as an array");
        yield return new TestCaseData("404", "[]", ValidationErrorKind.ObjectExpected)
            .SetName("404 not an object");
        yield return new TestCaseData("200", """{"client_id":"c","customer_id":"k","webhook_url":null}""", ValidationErrorKind.StringExpected)
            .SetName("200 webhook_url null");
        yield return new TestCaseData("200", """{"client_id":42,"customer_id":"k","webhook_url":""}""", ValidationErrorKind.StringExpected)
            .SetName("200 client_id a number");
    }

    [TestCaseSource(nameof(BodiesTheSeedRefuses))]
    public async Task TheJudgeCanFail(string code, string body, ValidationErrorKind expected)
    {
        var errors = await SeedContract.ValidateAsync(code, body);

        Assert.That(errors.Select(e => e.Kind), Does.Contain(expected), string.Join(", ", errors.Select(e => $"{e.Kind} at {e.Path}")));
    }

    [Test]
    public async Task TheJudgeTellsResponsesApart()
    {
        // A real 200 body is not a problem by the 401 schema, and a real 401 body is not refused by it.
        var client = await NewClientAsync();
        using var ok = await ClientsApi.GetAsync(Http, client);
        var okBody = await ClientsAssert.ClientAsync(ok, client, string.Empty);
        using var unauthorized = await ClientsApi.SendAsync(Http, HttpMethod.Get, null);
        var unauthorizedBody = await ClientsAssert.ProblemAsync(unauthorized, ProblemKind.Unauthorized);

        Assert.That(await SeedContract.ValidateAsync("401", okBody), Is.Not.Empty, "a ClientResponse lacks every required problem field");
        Assert.That(await SeedContract.ValidateAsync("401", unauthorizedBody), Is.Empty);
    }
}
