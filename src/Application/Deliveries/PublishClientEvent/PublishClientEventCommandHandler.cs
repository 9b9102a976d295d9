using MediatR;
using Webhooks.Application.Clients;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Application.Deliveries.PublishClientEvent;

/// <summary>
/// Stores a client's event with one delivery to the client's webhook URL when the client receives
/// deliveries (has a URL, is not suspended), and none otherwise: the event is kept and answered
/// either way. An unknown client is 404. Idempotency keys are the calling organization's.
/// </summary>
public sealed class PublishClientEventCommandHandler(IClientRepository clients, EventPublisher publisher, IIdGenerator ids)
    : IRequestHandler<PublishClientEventCommand, EventResponse>
{
    public Task<EventResponse> Handle(PublishClientEventCommand request, CancellationToken cancellationToken) =>
        publisher.PublishAsync(
            request.IdempotencyKey,
            async (_, now) =>
            {
                var client = await clients.GetAsync(request.ClientId, cancellationToken) ?? throw new NotFoundException();
                var evt = Event.ForClient(ids.NewId(), client.Id, request.Type, request.Data, now);
                Delivery[] deliveries = client.ReceivesDeliveries ? [evt.DeliverTo(ids.NewId(), DeliveryTarget.Client(client.Id))] : [];
                return new Publication(evt, deliveries);
            },
            cancellationToken);
}
