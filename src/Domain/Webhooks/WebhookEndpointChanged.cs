using Webhooks.Domain.Common;

namespace Webhooks.Domain.Webhooks;

/// <summary>What happened to an endpoint, as its history shows it.</summary>
public enum EndpointChangeAction
{
    Created,
    Updated,
    Deleted,
    SecretRotated,
    Deactivated,
}

/// <summary>
/// One field's value before and after a change, as the endpoint resource shows it: a string, <c>null</c>,
/// a boolean, or (for <c>events</c>) a list of strings.
/// </summary>
public sealed record FieldChange(object? From, object? To);

/// <summary>
/// An endpoint changed; the unit of work records it in the endpoint's history in the same
/// transaction. <see cref="Changes"/> holds only the fields whose values changed, keyed by their JSON
/// names; a secret never appears. <see cref="SystemReason"/> is set when the service itself made the
/// change; otherwise the change is the current caller's.
/// </summary>
public sealed record WebhookEndpointChanged(
    Guid EndpointId,
    EndpointChangeAction Action,
    IReadOnlyDictionary<string, FieldChange> Changes,
    DateTimeOffset At,
    string? SystemReason = null) : IDomainEvent;

/// <summary>The JSON names of an endpoint's fields, as its history names them.</summary>
public static class EndpointFields
{
    public const string Url = "url";

    public const string Description = "description";

    public const string Events = "events";

    public const string Active = "active";

    public const string ApiVersion = "api_version";
}
