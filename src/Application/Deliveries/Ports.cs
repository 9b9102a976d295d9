using Webhooks.Domain.Deliveries;

namespace Webhooks.Application.Deliveries;

/// <summary>Events and the deliveries they fan out to; saved by the unit of work in one transaction (the deliveries table is the outbox).</summary>
public interface IEventRepository
{
    void Add(Event evt, IEnumerable<Delivery> deliveries);

    Task<Event?> FindAsync(Guid id, CancellationToken cancellationToken);
}

/// <summary>
/// Wakes this process's delivery worker: a published event is attempted at once instead of at the
/// next poll. Other processes' workers find it by polling.
/// </summary>
public interface IDeliverySignal
{
    void Notify();
}

/// <summary>Counts what publishing did, for <c>GET /metrics</c>. Told only once an event has been committed.</summary>
public interface IPublishingMetrics
{
    void EventPublished(Event evt);
}
