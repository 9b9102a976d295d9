using MediatR;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Idempotency;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Deliveries.PublishClientEvent;

/// <summary>Publishes an event to one device-API client (the platform's own back end sends it).</summary>
/// <param name="Type">A dotted lower-case name (checked by the caller with <c>Event.CheckClientType</c>).</param>
/// <param name="IdempotencyKey">With a key (whose request hash covers the client id), a retry returns the first response and publishes nothing.</param>
[RequiresScope(Scopes.ClientEventsWrite)]
public sealed record PublishClientEventCommand(Guid ClientId, string Type, EventData Data, IdempotencyKey? IdempotencyKey = null) : IRequest<EventResponse>;
