using MediatR;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Webhooks;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Application.Deliveries.PublishEvent;

/// <summary>
/// Stores the event with one pending delivery for each of the organization's endpoints that is, at
/// this moment, active, not deleted and subscribed to the type (<see cref="EventPublisher"/>). With an
/// <c>Idempotency-Key</c>, a retry gets the first response and publishes nothing.
/// </summary>
public sealed class PublishEventCommandHandler(IWebhookEndpointRepository endpoints, EventPublisher publisher, IIdGenerator ids)
    : IRequestHandler<PublishEventCommand, EventResponse>
{
    public Task<EventResponse> Handle(PublishEventCommand request, CancellationToken cancellationToken) =>
        publisher.PublishAsync(
            request.IdempotencyKey,
            async (orgId, now) =>
            {
                var receivers = await endpoints.ListReceivingAsync(orgId, request.Type, cancellationToken);
                var evt = Event.ForOrganization(ids.NewId(), orgId, request.Type, request.Data, now);
                return new Publication(evt, receivers.Select(endpointId => evt.DeliverTo(ids.NewId(), DeliveryTarget.Endpoint(endpointId))).ToList());
            },
            cancellationToken);
}
