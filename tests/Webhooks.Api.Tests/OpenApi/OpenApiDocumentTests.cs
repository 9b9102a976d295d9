using System.Text.RegularExpressions;
using System.Text.Json.Nodes;

namespace Webhooks.Api.Tests.OpenApi;

/// <summary>
/// The OpenAPI document the service serves at <c>/openapi/v1.json</c>: equal to the committed
/// <c>docs/openapi/v1.json</c> (from which the TypeScript client is generated), and describing both
/// surfaces exactly: names, security, snake_case schemas and every error with its real schema.
/// </summary>
[TestFixture]
public sealed partial class OpenApiDocumentTests
{
    private const string CommittedPath = "docs/openapi/v1.json";

    private static readonly Dictionary<string, (string Method, string Path, string[] Statuses)> ExpectedOperations = new(StringComparer.Ordinal)
    {
        ["CreateWebhook"] = ("post", "/v1/webhooks", ["201", "400", "401", "403", "413", "415", "429", "500", "503"]),
        ["ListWebhooks"] = ("get", "/v1/webhooks", ["200", "400", "401", "403", "429", "500", "503"]),
        ["GetWebhook"] = ("get", "/v1/webhooks/{id}", ["200", "401", "403", "404", "429", "500", "503"]),
        ["PatchWebhook"] = ("patch", "/v1/webhooks/{id}", ["200", "400", "401", "403", "404", "412", "413", "415", "429", "500", "503"]),
        ["DeleteWebhook"] = ("delete", "/v1/webhooks/{id}", ["200", "401", "403", "404", "412", "429", "500", "503"]),
        ["RotateWebhookSecret"] = ("post", "/v1/webhooks/{id}/secret/rotate", ["200", "400", "401", "403", "404", "412", "413", "415", "429", "500", "503"]),
        ["SendTestEvent"] = ("post", "/v1/webhooks/{id}/test", ["202", "401", "403", "404", "409", "429", "500", "503"]),
        ["RecoverWebhookDeliveries"] = ("post", "/v1/webhooks/{id}/recover", ["202", "400", "401", "403", "404", "409", "413", "415", "429", "500", "503"]),
        ["ListEventTypes"] = ("get", "/v1/event-types", ["200", "401", "429", "500", "503"]),
        ["PublishEvent"] = ("post", "/v1/events", ["202", "400", "401", "403", "413", "415", "429", "500", "503"]),
        ["GetEvent"] = ("get", "/v1/events/{id}", ["200", "401", "403", "404", "429", "500", "503"]),
        ["GetDelivery"] = ("get", "/v1/deliveries/{id}", ["200", "401", "403", "404", "429", "500", "503"]),
        ["RetryDelivery"] = ("post", "/v1/deliveries/{id}/retry", ["200", "401", "403", "404", "409", "429", "500", "503"]),
        ["ListEvents"] = ("get", "/v1/events", ["200", "400", "401", "403", "429", "500", "503"]),
        ["ListEventDeliveries"] = ("get", "/v1/events/{id}/deliveries", ["200", "400", "401", "403", "404", "429", "500", "503"]),
        ["ListWebhookDeliveries"] = ("get", "/v1/webhooks/{id}/deliveries", ["200", "400", "401", "403", "404", "429", "500", "503"]),
        ["ListWebhookHistory"] = ("get", "/v1/webhooks/{id}/history", ["200", "400", "401", "403", "404", "429", "500", "503"]),
        ["PublishClientEvent"] = ("post", "/v1/clients/{client_id}/events", ["202", "400", "401", "403", "404", "413", "415", "429", "500", "503"]),
        ["GetClientEvent"] = ("get", "/v1/clients/{client_id}/events/{id}", ["200", "401", "403", "404", "429", "500", "503"]),
        ["RotateClientWebhookSecret"] = ("post", "/clients/webhook-secret/rotate", ["200", "401", "403", "404", "429", "500", "503"]),
        ["GetClientWebhookUrl"] = ("get", "/clients/webhook-url", ["200", "401", "403", "404", "429", "500", "503"]),
        ["UpdateClientWebhookUrl"] = ("patch", "/clients/webhook-url", ["200", "400", "401", "403", "404", "413", "415", "429", "500", "503"]),
    };

    private ApiFactory _factory = null!;
    private JsonObject _document = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _factory = new ApiFactory();
        using var client = _factory.CreateClient(key: null);
        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        _document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [OneTimeTearDown]
    public void Stop() => _factory.Dispose();

    [Test]
    public void ServedDocument_EqualsCommittedFile()
    {
        var committed = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), CommittedPath)));
        Assert.That(
            JsonNode.DeepEquals(_document, committed),
            Is.True,
            $"{CommittedPath} is stale: build src/Api in Debug (dotnet build src/Api) to rewrite it from the code, "
            + "then regenerate the TypeScript client (build/generate-client.sh) and commit both.");
    }

    [Test]
    public void Document_IsOpenApi31_WithoutServers()
    {
        Assert.That((string?)_document["openapi"], Does.StartWith("3.1"));
        Assert.That(_document["servers"] is null || _document["servers"]!.AsArray().Count == 0, Is.True);
    }

    [Test]
    public void Document_DeclaresBearerAndBasicSecuritySchemes()
    {
        var schemes = _document["components"]!["securitySchemes"]!.AsObject();
        Assert.That(schemes.Select(pair => pair.Key), Is.EquivalentTo(new[] { "apiKey", "clientCredentials" }));
        Assert.Multiple(() =>
        {
            Assert.That((string?)schemes["apiKey"]!["type"], Is.EqualTo("http"));
            Assert.That((string?)schemes["apiKey"]!["scheme"], Is.EqualTo("bearer"));
            Assert.That((string?)schemes["clientCredentials"]!["type"], Is.EqualTo("http"));
            Assert.That((string?)schemes["clientCredentials"]!["scheme"], Is.EqualTo("basic"));
        });
    }

    [Test]
    public void Operations_AreExactlyTheNamedOnes()
    {
        var actual = Operations().ToDictionary(op => op.Id, op => (op.Method, op.Path), StringComparer.Ordinal);
        Assert.That(actual, Is.EquivalentTo(ExpectedOperations.ToDictionary(pair => pair.Key, pair => (pair.Value.Method, pair.Value.Path))));
    }

    [Test]
    public void EveryOperation_RequiresTheSchemeOfItsSurface()
    {
        Assert.Multiple(() =>
        {
            foreach (var (id, _, path, operation) in Operations())
            {
                var security = operation["security"]!.AsArray();
                var expected = path.StartsWith("/clients", StringComparison.Ordinal) ? "clientCredentials" : "apiKey";
                Assert.That(security, Has.Count.EqualTo(1), id);
                Assert.That(security[0]!.AsObject().Select(pair => pair.Key), Is.EqualTo(new[] { expected }), id);
            }
        });
    }

    [Test]
    public void EveryOperation_DeclaresExactlyItsStatuses_AndEachErrorHasTheSurfacesSchema()
    {
        Assert.Multiple(() =>
        {
            foreach (var (id, _, path, operation) in Operations())
            {
                var responses = operation["responses"]!.AsObject();
                Assert.That(responses.Select(pair => pair.Key), Is.EqualTo(ExpectedOperations[id].Statuses), id);
                var clients = path.StartsWith("/clients", StringComparison.Ordinal);
                foreach (var (status, response) in responses.Where(pair => pair.Key[0] is '4' or '5'))
                {
                    var content = response!["content"]!.AsObject();
                    var (mediaType, schema) = clients
                        ? ("application/problem+json", "#/components/schemas/ProblemDetails")
                        : ("application/json", "#/components/schemas/ErrorEnvelope");
                    Assert.That(content.Select(pair => pair.Key), Is.EqualTo(new[] { mediaType }), $"{id} {status}");
                    Assert.That((string?)content[mediaType]!["schema"]!["$ref"], Is.EqualTo(schema), $"{id} {status}");
                    Assert.That(response["headers"]!["X-Request-Id"], Is.Not.Null, $"{id} {status}");
                }

                Assert.That(responses["401"]!["headers"]!["WWW-Authenticate"], Is.Not.Null, id);
                Assert.That(responses["503"]!["headers"]!["Retry-After"], Is.Not.Null, id);
                Assert.That(responses["429"]!["headers"]!["Retry-After"], Is.Not.Null, id);
            }
        });
    }

    /// <summary>The operations that take a body: its schema, and whether it may be left out.</summary>
    private static readonly (string OperationId, string SchemaName, bool Required)[] BodyOperations =
    [
        ("CreateWebhook", "CreateWebhookRequest", true),
        ("PatchWebhook", "PatchWebhookRequest", true),
        ("RotateWebhookSecret", "RotateWebhookSecretRequest", false),
        ("UpdateClientWebhookUrl", "UpdateClientWebhookUrlRequest", true),
        ("PublishEvent", "PublishEventRequest", true),
        ("PublishClientEvent", "PublishEventRequest", true),
        ("RecoverWebhookDeliveries", "RecoverWebhookDeliveriesRequest", true),
    ];

    public static IEnumerable<TestCaseData> BodyOperationCases() =>
        BodyOperations.Select(op => new TestCaseData(op.OperationId, op.SchemaName, op.Required).SetArgDisplayNames(op.OperationId));

    [TestCaseSource(nameof(BodyOperationCases))]
    public void BodyOperation_DeclaresItsRequestSchema_AsJsonAndMergePatch(string operationId, string schemaName, bool required)
    {
        var operation = Operations().Single(op => op.Id == operationId).Operation;
        var body = operation["requestBody"]!;
        Assert.That((bool?)body["required"] ?? false, Is.EqualTo(required));
        var content = body["content"]!.AsObject();
        Assert.That(content.Select(pair => pair.Key), Is.EqualTo(new[] { "application/json", "application/merge-patch+json" }));
        foreach (var (_, mediaType) in content)
        {
            Assert.That((string?)mediaType!["schema"]!["$ref"], Is.EqualTo($"#/components/schemas/{schemaName}"));
        }

        Assert.That((bool?)Schema(schemaName)["additionalProperties"], Is.False, "unknown fields are refused");
    }

    [Test]
    public void BodilessOperations_HaveNoRequestBody_AndNoBodyParameter()
    {
        Assert.Multiple(() =>
        {
            foreach (var (id, _, _, operation) in Operations().Where(op => !BodyOperations.Any(body => body.OperationId == op.Id)))
            {
                Assert.That(operation["requestBody"], Is.Null, id);
            }

            foreach (var (id, _, _, operation) in Operations())
            {
                var names = operation["parameters"]?.AsArray().Select(p => (string?)p!["name"]) ?? [];
                Assert.That(names, Has.None.EqualTo("body"), id);
            }
        });
    }

    [Test]
    public void RequestSchemas_SayWhatIsRequired()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Required("CreateWebhookRequest"), Is.EquivalentTo(new[] { "url", "events" }));
            Assert.That(Required("PatchWebhookRequest"), Is.Empty);
            Assert.That(Required("UpdateClientWebhookUrlRequest"), Is.EquivalentTo(new[] { "webhook_url" }));
            Assert.That(Required("PublishEventRequest"), Is.EquivalentTo(new[] { "type", "data" }));
            Assert.That(Properties("PublishEventRequest"), Is.EquivalentTo(new[] { "type", "data" }));
            Assert.That(Properties("CreateWebhookRequest"), Is.EquivalentTo(new[] { "url", "events", "description", "active", "api_version" }));
            Assert.That(Properties("PatchWebhookRequest"), Is.EquivalentTo(new[] { "url", "description", "events", "active", "api_version" }));
            Assert.That(Required("RotateWebhookSecretRequest"), Is.Empty);
            Assert.That(Properties("RotateWebhookSecretRequest"), Is.EquivalentTo(new[] { "grace_seconds" }));
        });
    }

    [Test]
    public void ResponseSchemas_MatchTheContract()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Properties("WebhookEndpointResponse"), Is.EquivalentTo(new[]
            {
                "id", "org_id", "url", "description", "events", "active", "api_version", "created_at", "updated_at", "deleted_at", "secret",
            }));
            Assert.That(Required("WebhookEndpointResponse"), Is.EquivalentTo(Properties("WebhookEndpointResponse").Except(["secret"])));
            Assert.That(TypeOf("WebhookEndpointResponse", "description"), Is.EquivalentTo(new[] { "null", "string" }));
            Assert.That(TypeOf("WebhookEndpointResponse", "deleted_at"), Is.EquivalentTo(new[] { "null", "string" }));
            Assert.That(TypeOf("WebhookEndpointResponse", "created_at"), Is.EquivalentTo(new[] { "string" }));
            Assert.That((string?)Schema("WebhookEndpointResponse")["properties"]!["created_at"]!["format"], Is.EqualTo("date-time"));
            Assert.That(TypeOf("WebhookEndpointResponse", "secret"), Is.EquivalentTo(new[] { "string" }));
            Assert.That(Required("WebhookEndpointPage"), Is.EquivalentTo(new[] { "data", "has_more", "next_cursor" }));
            Assert.That(Required("ClientResponse"), Is.EquivalentTo(new[] { "client_id", "customer_id", "webhook_url" }));
            Assert.That(Required("EventResponse"), Is.EquivalentTo(new[] { "id", "type", "data", "created_at", "deliveries" }));
            Assert.That(Properties("EventResponse"), Is.EquivalentTo(Required("EventResponse")));
            Assert.That(TypeOf("EventResponse", "deliveries"), Is.EquivalentTo(new[] { "integer" }));
            Assert.That((string?)Schema("JsonElement")["type"], Is.EqualTo("object"), "data is a JSON object");
            Assert.That(Required("ClientWebhookSecretResponse"), Is.EquivalentTo(new[] { "webhook_secret" }));
            Assert.That(Required("ErrorEnvelope"), Is.EquivalentTo(new[] { "success", "error" }));
            Assert.That(Required("ErrorEnvelopeError"), Is.EquivalentTo(new[] { "code", "message", "request_id" }));
            Assert.That(Properties("ErrorEnvelopeError"), Is.EquivalentTo(new[] { "code", "message", "request_id", "details" }));
            Assert.That(Required("ProblemDetails"), Is.EquivalentTo(new[] { "type", "title", "status", "detail", "instance", "request_id" }));
            Assert.That(Properties("ProblemDetails"), Is.EquivalentTo(new[] { "type", "title", "status", "detail", "instance", "request_id", "errors" }));
            var codes = Schema("ErrorEnvelopeError")["properties"]!["code"]!["enum"]!.AsArray().Select(code => (string?)code);
            Assert.That(codes, Is.SupersetOf(new[] { "VALIDATION_FAILED", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "PRECONDITION_FAILED", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "INTERNAL_ERROR", "SERVICE_UNAVAILABLE" }));
        });
    }

    // The contract's words, written out: a renamed enum value in the code must fail here, not reach a client.
    [TestCase("DeliveryResponse", "status", new[] { "pending", "succeeded", "failed", "canceled" })]
    [TestCase("DeliveryDetailResponse", "status", new[] { "pending", "succeeded", "failed", "canceled" })]
    [TestCase("DeliveryAttemptResponse", "trigger", new[] { "scheduled", "manual" })]
    [TestCase("WebhookHistoryEntryResponse", "action", new[] { "created", "updated", "deleted", "secret_rotated", "deactivated" })]
    [TestCase("WebhookHistoryActorResponse", "type", new[] { "api_key", "system" })]
    public void FixedSetProperty_ListsExactlyTheContractsValues(string schema, string property, string[] values)
    {
        var listed = Schema(schema)["properties"]![property]!["enum"]!.AsArray().Select(value => (string?)value);
        Assert.That(listed, Is.EqualTo(values));
    }

    [Test]
    public void EveryPropertyName_IsSnakeCase()
    {
        var names = _document["components"]!["schemas"]!.AsObject()
            .SelectMany(schema => schema.Value!["properties"]?.AsObject().Select(p => $"{schema.Key}.{p.Key}") ?? []);
        Assert.That(names.Where(name => !SnakeCase().IsMatch(name.Split('.')[1])), Is.Empty);
        Assert.That(names, Is.Not.Empty);
    }

    [Test]
    public void ListLimit_IsAnIntegerFrom1To100()
    {
        var operation = Operations().Single(op => op.Id == "ListWebhooks").Operation;
        var limit = operation["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "limit")!["schema"]!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)limit["type"], Is.EqualTo("integer"));
            Assert.That((int?)limit["minimum"], Is.EqualTo(1));
            Assert.That((int?)limit["maximum"], Is.EqualTo(100));
            Assert.That((int?)limit["default"], Is.EqualTo(20));
        });
    }

    [Test]
    public async Task SwaggerUi_IsServedAtSwagger()
    {
        using var client = _factory.CreateClient(key: null);
        using var response = await client.GetAsync(new Uri("/swagger/index.html", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        using var redirect = await client.GetAsync(new Uri("/swagger", UriKind.Relative));
        Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.MovedPermanently));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Webhooks.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Webhooks.sln not found above the test directory.");
    }

    private IEnumerable<(string Id, string Method, string Path, JsonObject Operation)> Operations() =>
        _document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Select(method => ((string)method.Value!["operationId"]!, method.Key, path.Key, method.Value!.AsObject())));

    private JsonObject Schema(string name) => _document["components"]!["schemas"]![name]!.AsObject();

    private IEnumerable<string> Properties(string schema) => Schema(schema)["properties"]!.AsObject().Select(pair => pair.Key);

    private IEnumerable<string?> Required(string schema) => Schema(schema)["required"]?.AsArray().Select(name => (string?)name) ?? [];

    private IEnumerable<string?> TypeOf(string schema, string property) => Schema(schema)["properties"]![property]!["type"] switch
    {
        JsonArray types => types.Select(type => (string?)type),
        { } single => [(string?)single],
        null => [],
    };

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}
