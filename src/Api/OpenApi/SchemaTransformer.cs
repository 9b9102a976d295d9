using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Webhooks.Api.Errors;
using Webhooks.Application.Deliveries;
using Webhooks.Application.Webhooks.ListWebhookHistory;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Api.OpenApi;

/// <summary>
/// What the generator cannot infer from the types alone:
/// <list type="bullet">
/// <item>timestamps are written by a custom converter: strings in <c>date-time</c> format;</item>
/// <item>a response always carries every property, except those left out when null (such as
/// <c>secret</c> and <c>details</c>), which are then never null;</item>
/// <item>objects have no properties beyond those described (<c>additionalProperties: false</c>):
/// request bodies refuse unknown fields, and responses carry nothing else;</item>
/// <item>the envelope's <c>code</c>, a delivery's <c>status</c>, an attempt's <c>trigger</c>, a history
/// entry's <c>action</c> and its actor's <c>type</c> are each one of a fixed set;</item>
/// <item>a <see cref="System.Text.Json.JsonElement"/> is an event's <c>data</c>: a JSON object of any properties.</item>
/// <item>a <see cref="JsonNode"/> is any JSON value (an endpoint history's <c>from</c> and <c>to</c>).</item>
/// </list>
/// </summary>
internal sealed class SchemaTransformer : IOpenApiSchemaTransformer
{
    private const string RequestNamespace = "Webhooks.Api.Contracts";

    private const string AnyJsonValue = "Any JSON value: a field's value as the endpoint resource shows it.";

    /// <summary>The string properties of responses that take one of a fixed set of values, with those values.</summary>
    private static readonly Dictionary<(Type Type, string Property), IReadOnlyList<string>> FixedValues = new()
    {
        [(typeof(ErrorEnvelopeError), "code")] = [.. ApiError.All.Select(error => error.Code)],
        [(typeof(DeliveryResponse), "status")] = WireNames.All<DeliveryStatus>(),
        [(typeof(DeliveryDetailResponse), "status")] = WireNames.All<DeliveryStatus>(),
        [(typeof(DeliveryAttemptResponse), "trigger")] = WireNames.All<AttemptTrigger>(),
        [(typeof(WebhookHistoryEntryResponse), "action")] = [.. Enum.GetValues<EndpointChangeAction>().Select(WebhookHistory.ActionName)],
        [(typeof(WebhookHistoryActorResponse), "type")] = [WebhookHistory.ApiKeyActor, WebhookHistory.SystemActor],
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?))
        {
            schema.Type = type == typeof(DateTimeOffset?) ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Format = "date-time";
            return Task.CompletedTask;
        }

        if (type == typeof(System.Text.Json.JsonElement))
        {
            schema.Type = JsonSchemaType.Object;
            schema.Description = "A JSON object, exactly as published.";
            return Task.CompletedTask;
        }

        if (type == typeof(JsonNode))
        {
            schema.Description = AnyJsonValue;
            return Task.CompletedTask;
        }

        if (context.JsonTypeInfo.Kind != JsonTypeInfoKind.Object || schema.Properties is null)
        {
            return Task.CompletedTask;
        }

        // A JsonNode property holds any JSON value, null included: an empty schema (not "null or {}",
        // which a null would match twice).
        foreach (var property in context.JsonTypeInfo.Properties.Where(property => property.PropertyType == typeof(JsonNode)))
        {
            schema.Properties[property.Name] = new OpenApiSchema { Description = AnyJsonValue };
        }

        // Request bodies refuse unknown fields; responses carry nothing beyond what is described.
        schema.AdditionalPropertiesAllowed = false;
        if (type.Namespace == RequestNamespace)
        {
            return Task.CompletedTask;
        }

        var required = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in context.JsonTypeInfo.Properties.Where(property => schema.Properties.ContainsKey(property.Name)))
        {
            if (IsLeftOutWhenNull(property))
            {
                if (schema.Properties.TryGetValue(property.Name, out var optional) && optional is OpenApiSchema concrete && concrete.Type is { } optionalType)
                {
                    concrete.Type = optionalType & ~JsonSchemaType.Null;
                }
            }
            else
            {
                required.Add(property.Name);
            }
        }

        schema.Required = required;
        foreach (var (name, property) in schema.Properties)
        {
            if (property is OpenApiSchema concrete && FixedValues.TryGetValue((type, name), out var values))
            {
                concrete.Enum = [.. values.Select(value => (JsonNode)JsonValue.Create(value))];
            }
        }

        return Task.CompletedTask;
    }

    private static bool IsLeftOutWhenNull(JsonPropertyInfo property) =>
        property.AttributeProvider is MemberInfo member
        && member.GetCustomAttribute<JsonIgnoreAttribute>()?.Condition == JsonIgnoreCondition.WhenWritingNull;
}
