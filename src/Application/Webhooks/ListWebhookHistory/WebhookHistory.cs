using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks.ListWebhookHistory;

/// <summary>
/// One stored entry of an endpoint's history: who (<see cref="ActorType"/> with the API key's id, or
/// the service with a reason), what (<see cref="Action"/>) and the changed fields as a JSON object
/// <c>{"field": {"from", "to"}}</c>. Written in the transaction of the change; never holds a secret.
/// </summary>
public sealed class WebhookHistoryRecord
{
    public Guid Id { get; init; }

    public Guid EndpointId { get; init; }

    public DateTimeOffset At { get; init; }

    public string ActorType { get; init; } = null!;

    public Guid? ActorId { get; init; }

    public string? ActorReason { get; init; }

    public string Action { get; init; } = null!;

    public string Changes { get; init; } = null!;
}

/// <summary>The names the history uses for actors and actions.</summary>
public static class WebhookHistory
{
    public const string ApiKeyActor = "api_key";

    public const string SystemActor = "system";

    /// <summary>The reason recorded for a change an operator made through an admin command (no API key).</summary>
    public const string OperatorReason = "an operator's admin command";

    /// <summary>The reason recorded when the service deactivates an endpoint that has failed for <paramref name="hours"/> hours.</summary>
    public static string FailingReason(int hours) => $"every attempt has failed for {hours} hours";

    /// <summary><c>created</c>, <c>updated</c>, <c>deleted</c>, <c>secret_rotated</c> or <c>deactivated</c>.</summary>
    public static string ActionName(EndpointChangeAction action) => action switch
    {
        EndpointChangeAction.Created => "created",
        EndpointChangeAction.Updated => "updated",
        EndpointChangeAction.Deleted => "deleted",
        EndpointChangeAction.SecretRotated => "secret_rotated",
        EndpointChangeAction.Deactivated => "deactivated",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };
}

/// <summary>Reads an endpoint's history, untracked.</summary>
public interface IWebhookHistoryReader
{
    /// <summary>The endpoint's history entries, newest first, after <paramref name="afterId"/>.</summary>
    Task<IReadOnlyList<WebhookHistoryRecord>> ListAsync(Guid endpointId, Guid? afterId, int take, CancellationToken cancellationToken);
}

/// <summary>One change to an endpoint, as <c>GET /v1/webhooks/{id}/history</c> shows it.</summary>
public sealed record WebhookHistoryEntryResponse(
    DateTimeOffset At, WebhookHistoryActorResponse Actor, string Action, IReadOnlyDictionary<string, WebhookFieldChangeResponse> Changes);

/// <summary>Who made a change: <c>{"type": "api_key", "id"}</c> or <c>{"type": "system", "reason"}</c>.</summary>
public sealed record WebhookHistoryActorResponse(
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? Id = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null);

/// <summary>A field's value before and after, as the endpoint resource shows it (<c>null</c> before a create).</summary>
public sealed record WebhookFieldChangeResponse(JsonNode? From, JsonNode? To);

/// <summary>One page of an endpoint's history, newest first.</summary>
public sealed record WebhookHistoryPage(IReadOnlyList<WebhookHistoryEntryResponse> Data, bool HasMore, string? NextCursor);
