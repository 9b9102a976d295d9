using Webhooks.Domain.Deliveries;

namespace Webhooks.Application.Deliveries;

/// <summary>Events and the deliveries they fan out to; saved by the unit of work in one transaction (the deliveries table is the outbox).</summary>
public interface IEventRepository
{
    void Add(Event evt, IEnumerable<Delivery> deliveries);

    Task<Event?> FindAsync(Guid id, CancellationToken cancellationToken);
}

/// <summary>Reads of an organization's deliveries to its endpoints (never a client's), untracked.</summary>
public interface IDeliveryReader
{
    /// <summary>The organization's delivery with all its attempts; <c>null</c> when there is none.</summary>
    Task<Delivery?> FindWithAttemptsAsync(Guid id, Guid orgId, CancellationToken cancellationToken);
}

/// <summary>
/// Wakes this process's delivery worker: a published event is attempted at once instead of at the
/// next poll. Other processes' workers find it by polling.
/// </summary>
public interface IDeliverySignal
{
    void Notify();
}
