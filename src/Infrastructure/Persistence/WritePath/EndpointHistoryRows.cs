using System.Text.Json;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Webhooks.ListWebhookHistory;
using Webhooks.Domain.Common;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Persistence.Repositories;

namespace Webhooks.Infrastructure.Persistence.WritePath;

/// <summary>
/// Turns <see cref="WebhookEndpointChanged"/> events into history rows added to the context, so that
/// the save that writes the change inserts them in the same transaction. The actor is the service
/// (with the event's reason) when the service made the change, else the API key that called.
/// </summary>
public sealed class EndpointHistoryRows(IIdGenerator ids)
{
    /// <summary>Adds one history row per endpoint change in <paramref name="events"/>; <paramref name="caller"/> made the changes that name no system reason.</summary>
    public void Add(WebhooksDbContext db, IReadOnlyList<IDomainEvent> events, Caller? caller)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(events);
        foreach (var changed in events.OfType<WebhookEndpointChanged>())
        {
            var id = ids.NewId();
            (string Type, Guid? Id, string? Reason) actor = changed.SystemReason is { } systemReason
                ? (WebhookHistory.SystemActor, null, systemReason)
                : caller is { Kind: CallerKind.ApiKey } key
                    ? (WebhookHistory.ApiKeyActor, key.Id, null)
                    : (WebhookHistory.SystemActor, null, WebhookHistory.OperatorReason);
            var row = new WebhookHistoryRecord
            {
                Id = id,
                EndpointId = changed.EndpointId,
                At = changed.At,
                ActorType = actor.Type,
                ActorId = actor.Id,
                ActorReason = actor.Reason,
                Action = WebhookHistory.ActionName(changed.Action),
                Changes = JsonSerializer.Serialize(changed.Changes.ToDictionary(field => field.Key, field => new { from = field.Value.From, to = field.Value.To })),
            };
            db.Add(row);
            ListPosition.Assign(db, row, id);
        }
    }
}
