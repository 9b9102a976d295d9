using Webhooks.Domain.Deliveries;

namespace Webhooks.Application.Deliveries;

/// <summary>Events and the deliveries they fan out to; saved by the unit of work in one transaction (the deliveries table is the outbox).</summary>
public interface IEventRepository
{
    void Add(Event evt, IEnumerable<Delivery> deliveries);

    Task<Event?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The organization's events (of <paramref name="type"/>, when given), newest first, after <paramref name="afterId"/>.</summary>
    Task<IReadOnlyList<Event>> ListAsync(Guid orgId, string? type, Guid? afterId, int take, CancellationToken cancellationToken);
}

/// <summary>Reads of an organization's deliveries to its endpoints (never a client's), untracked.</summary>
public interface IDeliveryReader
{
    /// <summary>The organization's delivery with all its attempts; <c>null</c> when there is none.</summary>
    Task<Delivery?> FindWithAttemptsAsync(Guid id, Guid orgId, CancellationToken cancellationToken);

    /// <summary>The organization's deliveries that match <paramref name="filter"/>, newest first, after <paramref name="afterId"/>, without attempts.</summary>
    Task<IReadOnlyList<Delivery>> ListAsync(DeliveryFilter filter, Guid? afterId, int take, CancellationToken cancellationToken);
}

/// <summary>Which deliveries a list shows: the organization's, of one endpoint or of one event, in one status or all.</summary>
public sealed record DeliveryFilter(Guid OrgId, Guid? EndpointId, Guid? EventId, DeliveryStatus? Status);

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

/// <summary>What came of a request for a manual attempt.</summary>
public enum ManualAttemptOutcome
{
    /// <summary>The attempt was made and recorded.</summary>
    Attempted,

    /// <summary>Another attempt of this delivery holds its lease (a worker's, or another manual one): nothing was sent.</summary>
    InProgress,

    /// <summary>The receiver no longer takes deliveries (deactivated or deleted meanwhile): nothing was sent.</summary>
    ReceiverStopped,
}

/// <summary>
/// Makes one manual attempt of a delivery now, whatever its status, through the worker's attempter
/// and sender under the worker's lease (so no delivery is attempted by two at once), and records it
/// (trigger <c>manual</c>) before returning. Bounded by the sender's time-out.
/// </summary>
public interface IManualAttempts
{
    Task<ManualAttemptOutcome> AttemptAsync(Guid deliveryId, CancellationToken cancellationToken);
}

/// <summary>
/// Puts an endpoint's failed deliveries back in the queue (<see cref="Domain.Deliveries.Delivery.Requeue"/>)
/// in bounded batches, each its own transaction through the write path, so that a large recover
/// neither holds one long transaction nor keeps other writers waiting.
/// </summary>
public interface IDeliveryRecovery
{
    /// <summary>Requeues every failed delivery of <paramref name="endpointId"/> created in [<paramref name="since"/>, <paramref name="until"/>), due at <paramref name="now"/>.</summary>
    /// <returns>How many were requeued.</returns>
    Task<int> RequeueFailedAsync(Guid endpointId, DateTimeOffset since, DateTimeOffset until, DateTimeOffset now, CancellationToken cancellationToken);
}
