using AutoMapper;
using Webhooks.Application.Common.Idempotency;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Idempotency;

namespace Webhooks.Application.Deliveries;

/// <summary>An event and the deliveries it fans out to, made by a publishing use case.</summary>
public sealed record Publication(Event Event, IReadOnlyCollection<Delivery> Deliveries);

/// <summary>
/// What every publication shares: the caller's organization (whose <c>Idempotency-Key</c>s apply), the
/// replay of a retried request (nothing is published again), and the commit: the event, its deliveries
/// and the response to remember go into one unit of work, so that no event is stored without its
/// deliveries; once that has committed, and only then, the delivery worker is woken and the event is counted.
/// </summary>
public sealed class EventPublisher(
    IEventRepository events,
    IdempotentResponses idempotency,
    IUnitOfWork unitOfWork,
    IDeliverySignal signal,
    IPublishingMetrics metrics,
    ICurrentCaller currentCaller,
    IClock clock,
    IMapper mapper)
{
    /// <param name="publish">Makes the event and its deliveries for the caller's organization at the given time.</param>
    public async Task<EventResponse> PublishAsync(
        IdempotencyKey? key, Func<Guid, DateTimeOffset, Task<Publication>> publish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publish);
        var orgId = currentCaller.Caller!.RequireOrganization();
        var now = clock.UtcNow;
        if (await idempotency.FindReplayAsync<EventResponse>(orgId, key, now, cancellationToken) is { } replay)
        {
            return replay;
        }

        var (evt, deliveries) = await publish(orgId, now);
        events.Add(evt, deliveries);
        var response = mapper.Map<EventResponse>(evt);
        idempotency.Remember(orgId, key, response, now);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        metrics.EventPublished(evt);
        if (deliveries.Count > 0)
        {
            signal.Notify();
        }

        return response;
    }
}
