using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Webhooks.Api.Authentication;
using Webhooks.Api.Http;

namespace Webhooks.Api.OpenApi;

/// <summary>
/// Per operation: its security requirement (from the authentication scheme the controller demands),
/// its request body (from <see cref="RequestBodyAttribute"/>), the headers of its responses, and the
/// real type of text-bound integer query parameters.
/// </summary>
internal sealed class OperationTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var method = (description.ActionDescriptor as ControllerActionDescriptor)?.MethodInfo;
        var metadata = description.ActionDescriptor.EndpointMetadata;

        AddSecurity(operation, context, metadata);
        if (method?.GetCustomAttribute<RequestBodyAttribute>() is { } body)
        {
            var schemaId = body.SchemaType.Name;
            if (context.Document?.Components?.Schemas?.ContainsKey(schemaId) != true)
            {
                context.Document!.AddComponent(schemaId, await context.GetOrCreateSchemaAsync(body.SchemaType, null, cancellationToken));
            }

            var schema = new OpenApiSchemaReference(schemaId, context.Document);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = body.Required,
                Content = RequestBodyAttribute.ContentTypes.ToDictionary(
                    contentType => contentType,
                    _ => new OpenApiMediaType { Schema = schema },
                    StringComparer.Ordinal),
            };
        }

        AddResponseHeaders(operation, method);
        DescribeIntegerParameters(operation, description);
        TidyResponses(operation);
    }

    /// <summary>
    /// Responses in order of status code; and an error response's own media type only (the
    /// controller-wide <c>[Produces]</c> adds <c>application/json</c>, without a schema, to the
    /// <c>application/problem+json</c> ones).
    /// </summary>
    private static void TidyResponses(OpenApiOperation operation)
    {
        if (operation.Responses is null)
        {
            return;
        }

        var sorted = operation.Responses.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (status, response) in sorted)
        {
            if (response is OpenApiResponse { Content: { Count: > 1 } content })
            {
                foreach (var empty in content.Where(pair => pair.Value.Schema is null).Select(pair => pair.Key).ToList())
                {
                    content.Remove(empty);
                }
            }

            operation.Responses.Add(status, response);
        }
    }

    private static void AddSecurity(OpenApiOperation operation, OpenApiOperationTransformerContext context, IList<object> metadata)
    {
        var schemes = metadata.OfType<AuthorizeAttribute>()
            .SelectMany(authorize => (authorize.AuthenticationSchemes ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var requirements = new List<OpenApiSecurityRequirement>();
        foreach (var scheme in schemes)
        {
            var name = scheme switch
            {
                ApiKeyAuthenticationHandler.SchemeName => SecuritySchemes.Bearer,
                BasicAuthenticationHandler.SchemeName => SecuritySchemes.Basic,
                _ => throw new InvalidOperationException($"No OpenAPI security scheme for the authentication scheme '{scheme}'."),
            };
            requirements.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(name, context.Document)] = [] });
        }

        if (requirements.Count > 0)
        {
            operation.Security = requirements;
        }
    }

    private static void AddResponseHeaders(OpenApiOperation operation, MethodInfo? method)
    {
        var declared = method?.GetCustomAttributes<ResponseHeaderAttribute>().ToList() ?? [];
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse concrete)
            {
                continue;
            }

            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
            concrete.Headers[RequestIdMiddleware.HeaderName] = Header("The request's id, a ULID (26 characters, Crockford base32); error bodies repeat it.");
            switch (status)
            {
                case "401":
                    concrete.Headers["WWW-Authenticate"] = Header(operation.Security?.Count > 0 && IsBasic(operation)
                        ? "`Basic realm=\"clients\"`."
                        : "`Bearer`.");
                    break;
                case "429":
                case "503":
                    concrete.Headers["Retry-After"] = Header("Seconds to wait before retrying.", JsonSchemaType.Integer);
                    break;
                default:
                    break;
            }

            foreach (var header in declared.Where(header => header.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) == status))
            {
                concrete.Headers[header.Name] = Header(header.Description);
            }
        }
    }

    private static bool IsBasic(OpenApiOperation operation) =>
        operation.Security!.Any(requirement => requirement.Keys.Any(key => key.Reference?.Id == SecuritySchemes.Basic));

    private static OpenApiHeader Header(string description, JsonSchemaType type = JsonSchemaType.String) => new()
    {
        Description = description,
        Required = true,
        Schema = new OpenApiSchema { Type = type },
    };

    private static void DescribeIntegerParameters(OpenApiOperation operation, Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription description)
    {
        foreach (var parameterDescription in description.ParameterDescriptions)
        {
            var info = (parameterDescription.ParameterDescriptor as ControllerParameterDescriptor)?.ParameterInfo;
            if (info?.GetCustomAttribute<IntegerParameterAttribute>() is not { } integer)
            {
                continue;
            }

            var parameter = operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == parameterDescription.Name);
            if (parameter is null)
            {
                continue;
            }

            parameter.Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer,
                Format = "int32",
                Minimum = integer.Minimum.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Maximum = integer.Maximum.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Default = JsonValue.Create(integer.Default),
            };
        }
    }
}
