using AutoMapper;
using Webhooks.Application.Common.Idempotency;
using Webhooks.Application.Common.Ports;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Idempotency;

namespace Webhooks.Application.Deliveries;

/// <summary>
/// The end of every publication: the event, its deliveries and (with an <c>Idempotency-Key</c>) its
/// response go into one unit of work, so that no event is stored without its deliveries; once that
/// has committed, and only then, the delivery worker is woken.
/// </summary>
public sealed class EventPublisher(IEventRepository events, IdempotentResponses idempotency, IUnitOfWork unitOfWork, IDeliverySignal signal, IMapper mapper)
{
    public async Task<EventResponse> CommitAsync(
        Guid orgId, Event evt, IReadOnlyCollection<Delivery> deliveries, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(deliveries);
        events.Add(evt, deliveries);
        var response = mapper.Map<EventResponse>(evt);
        idempotency.Remember(orgId, key, response, evt.CreatedAt);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        if (deliveries.Count > 0)
        {
            signal.Notify();
        }

        return response;
    }
}
