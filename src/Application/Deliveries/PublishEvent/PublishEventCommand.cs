using MediatR;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Idempotency;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Deliveries.PublishEvent;

/// <summary>Publishes an event of the caller's organization to every endpoint that receives its type now.</summary>
/// <param name="Type">A type of the catalog (checked by the caller with <c>WebhookCatalog.CheckEventType</c>).</param>
/// <param name="IdempotencyKey">With a key, a retry of the same request returns the first response and publishes nothing.</param>
[RequiresScope(Scopes.EventsWrite)]
public sealed record PublishEventCommand(string Type, EventData Data, IdempotencyKey? IdempotencyKey = null) : IRequest<EventResponse>;
