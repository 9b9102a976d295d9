using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Webhooks.Api.Tests.Clients;

/// <summary>
/// The Clients API seed (an OpenAPI 3.1 fragment inside markdown), kept byte for byte as a test
/// fixture, as the judge of response bodies: the schemas are taken from the document itself, never
/// copied by hand.
/// </summary>
public static partial class SeedContract
{
    public const string FileName = "000_7edc5fe7a3b0934b.txt";

    public const string OperationPath = "/clients/webhook-url";

    private static readonly Lazy<JsonObject> LazyDocument = new(() => ParseDocument(File.ReadAllText(FixturePath)));

    /// <summary>The fixture, as copied to the test output directory.</summary>
    public static string FixturePath => Path.Combine(AppContext.BaseDirectory, "Fixtures", FileName);

    /// <summary>The OpenAPI document inside the fixture's <c>```json</c> block.</summary>
    public static JsonObject Document => LazyDocument.Value;

    /// <summary>The repository's root (the folder of <c>Webhooks.sln</c>), found above the test output directory.</summary>
    public static string? RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Webhooks.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>Extracts the one <c>```json</c> block of the markdown and parses it as an object.</summary>
    public static JsonObject ParseDocument(string markdown)
    {
        var blocks = JsonBlock().Matches(markdown);
        Assert.That(blocks, Has.Count.EqualTo(1), "the seed holds exactly one ```json block");
        var node = JsonNode.Parse(blocks[0].Groups["json"].Value);
        Assert.That(node, Is.InstanceOf<JsonObject>());
        return (JsonObject)node!;
    }

    /// <summary>
    /// The schema object of <c>paths./clients/webhook-url.{method}.responses[code]</c> for
    /// <c>application/json</c>, with its <c>$ref</c> resolved against <c>components.schemas</c>.
    /// </summary>
    public static JsonObject ResponseSchemaObject(string code, string method = "patch")
    {
        var operation = Document["paths"]?[OperationPath]?[method]
            ?? throw new AssertionException($"the seed has no {method} {OperationPath}");
        var schema = operation["responses"]?[code]?["content"]?["application/json"]?["schema"] as JsonObject
            ?? throw new AssertionException($"the seed has no application/json schema for {code}");
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            const string Prefix = "#/components/schemas/";
            Assert.That(reference, Does.StartWith(Prefix));
            schema = Document["components"]?["schemas"]?[reference[Prefix.Length..]] as JsonObject
                ?? throw new AssertionException($"{reference} does not resolve");
        }

        Assert.That(schema.ToJsonString(), Does.Not.Contain("$ref"), "the resolved schema refers to nothing further");
        return schema;
    }

    /// <summary>The seed's schema for the response with this status code, built by NJsonSchema.</summary>
    public static Task<JsonSchema> ResponseSchemaAsync(string code) =>
        JsonSchema.FromJsonAsync(ResponseSchemaObject(code).ToJsonString());

    /// <summary>What is wrong with this body by the seed's schema for this status code (empty when valid).</summary>
    public static async Task<ICollection<ValidationError>> ValidateAsync(string code, string body)
    {
        var schema = await ResponseSchemaAsync(code);
        return schema.Validate(body);
    }

    /// <summary>Asserts that the body is valid by the seed's schema for this status code.</summary>
    public static async Task AssertValidAsync(string code, string body)
    {
        var errors = await ValidateAsync(code, body);
        Assert.That(errors.Select(e => $"{e.Kind} at {e.Path}"), Is.Empty, $"the seed's {code} schema refuses: {body}");
    }

    [GeneratedRegex(@"^```json[ \t]*\r?\n(?<json>.*?)\r?\n```[ \t]*$", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex JsonBlock();
}
