using MediatR;
using Webhooks.Application.Common.Idempotency;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Webhooks;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Application.Deliveries.PublishEvent;

/// <summary>
/// Stores the event with one pending delivery for each of the organization's endpoints that is, at
/// this moment, active, not deleted and subscribed to the type (<see cref="EventPublisher"/>). With an
/// <c>Idempotency-Key</c>, a retry gets the first response and publishes nothing.
/// </summary>
public sealed class PublishEventCommandHandler(
    IWebhookEndpointRepository endpoints,
    IdempotentResponses idempotency,
    EventPublisher publisher,
    ICurrentCaller currentCaller,
    IIdGenerator ids,
    IClock clock) : IRequestHandler<PublishEventCommand, EventResponse>
{
    public async Task<EventResponse> Handle(PublishEventCommand request, CancellationToken cancellationToken)
    {
        var orgId = currentCaller.Caller!.RequireOrganization();
        var now = clock.UtcNow;
        if (await idempotency.FindReplayAsync<EventResponse>(orgId, request.IdempotencyKey, now, cancellationToken) is { } replay)
        {
            return replay;
        }

        var receivers = await endpoints.ListReceivingAsync(orgId, request.Type, cancellationToken);
        var evt = Event.ForOrganization(ids.NewId(), orgId, request.Type, request.Data, now);
        var deliveries = receivers.Select(endpointId => evt.DeliverTo(ids.NewId(), DeliveryTarget.Endpoint(endpointId))).ToList();
        return await publisher.CommitAsync(orgId, evt, deliveries, request.IdempotencyKey, cancellationToken);
    }
}
