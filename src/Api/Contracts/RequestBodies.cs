using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace Webhooks.Api.Contracts;

// These types only describe request bodies in the OpenAPI document (see OpenApi/RequestBodyAttribute).
// The controllers read bodies with JsonObjectReader, which tells an absent field from null and reports
// every shape problem at once; the rules themselves live in the domain. A non-nullable property may
// not be null; a property without `required` may be absent.

[Description("A new webhook endpoint. Unknown and read-only fields are refused.")]
[SuppressMessage("Performance", "CA1812", Justification = "Describes a request body in the OpenAPI document only.")]
internal sealed class CreateWebhookRequest
{
    [Description("Where webhooks are delivered: an absolute https URL without user name, password or fragment, at most 2048 characters.")]
    public required string Url { get; init; }

    [Description("The event types to subscribe to: a non-empty array of configured types (GET /v1/event-types); duplicates are collapsed.")]
    public required IReadOnlyList<string> Events { get; init; }

    [Description("An optional label: at most 200 characters after trimming, no control characters; null or empty means none.")]
    public string? Description { get; init; }

    [Description("Whether webhooks are delivered.")]
    [DefaultValue(true)]
    public bool Active { get; init; } = true;

    [Description("The payload version, one of the configured versions. Absent or null: the newest.")]
    public string? ApiVersion { get; init; }
}

[Description("A partial update: an absent field is left unchanged. Every rule is checked and all violations are reported together; unknown and read-only fields are refused.")]
[SuppressMessage("Performance", "CA1812", Justification = "Describes a request body in the OpenAPI document only.")]
internal sealed class PatchWebhookRequest
{
    [Description("A new URL, by the same HTTPS rule as on create.")]
    public string Url { get; init; } = string.Empty;

    [Description("A new label; null or empty (after trimming) clears it.")]
    public string? Description { get; init; }

    [Description("Replaces the whole subscription set: a non-empty array of configured event types.")]
    public IReadOnlyList<string> Events { get; init; } = [];

    [Description("Turns delivery on or off without deleting the endpoint.")]
    public bool Active { get; init; }

    [Description("Immutable: only the endpoint's current value is accepted, and it changes nothing.")]
    public string ApiVersion { get; init; } = string.Empty;
}

[Description("How a rotation treats the replaced secret. Unknown fields are refused.")]
[SuppressMessage("Performance", "CA1812", Justification = "Describes a request body in the OpenAPI document only.")]
internal sealed class RotateWebhookSecretRequest
{
    [Description("How long the replaced secret keeps signing, as a second `v1,` entry of `webhook-signature`: 0 to 604800 seconds; 0 stops it at once.")]
    [DefaultValue(Domain.Webhooks.SecretGrace.DefaultSeconds)]
    public long GraceSeconds { get; init; } = Domain.Webhooks.SecretGrace.DefaultSeconds;
}

[Description("Sets or clears the calling client's webhook URL.")]
[SuppressMessage("Performance", "CA1812", Justification = "Describes a request body in the OpenAPI document only.")]
internal sealed class UpdateClientWebhookUrlRequest
{
    [Description("An absolute https URL (the same rule as for webhook endpoints), or \"\" to clear it.")]
    public required string WebhookUrl { get; init; }
}

[Description("An event to publish. Unknown and read-only fields are refused.")]
[SuppressMessage("Performance", "CA1812", Justification = "Describes a request body in the OpenAPI document only.")]
internal sealed class PublishEventRequest
{
    [Description("The event type: on `/v1/events` one of the configured types (GET /v1/event-types); to a client any dotted lower-case name "
        + "(`^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$`, at most 100 characters).")]
    public required string Type { get; init; }

    [Description("The event's payload: a JSON object, delivered exactly as sent.")]
    public required IDictionary<string, System.Text.Json.JsonElement> Data { get; init; }
}
