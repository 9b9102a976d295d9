using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Ports;
using Webhooks.Domain.Common;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Persistence.Configurations;

namespace Webhooks.Infrastructure.Persistence.WritePath;

/// <summary>
/// What the domain events of the aggregates a unit of work saves mean for other rows, applied in the
/// same transaction as the save: <see cref="DeliveriesStopped"/> cancels the receiver's pending
/// deliveries (one set-based statement per receiver); an endpoint turned on or off starts afresh
/// the count of its failing hours (<see cref="WebhookEndpointConfiguration.FailingSinceProperty"/>).
/// The history rows of <see cref="WebhookEndpointChanged"/> are added before the save (<see cref="EndpointHistoryRows"/>).
/// </summary>
public sealed class DomainEventEffects(IClock clock)
{
    /// <summary>The events waiting on the aggregates <paramref name="db"/> tracks.</summary>
    public static IReadOnlyList<IDomainEvent> Pending(WebhooksDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.ChangeTracker.Entries<IHasDomainEvents>().SelectMany(entry => entry.Entity.DomainEvents).Distinct().ToList();
    }

    /// <summary>Forgets the events once their effects have committed.</summary>
    public static void Clear(WebhooksDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        foreach (var entry in db.ChangeTracker.Entries<IHasDomainEvents>())
        {
            entry.Entity.ClearDomainEvents();
        }
    }

    /// <summary>Applies <paramref name="events"/> inside the caller's transaction.</summary>
    public async Task ApplyAsync(WebhooksDbContext db, IReadOnlyList<IDomainEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(events);
        foreach (var domainEvent in events)
        {
            if (domainEvent is DeliveriesStopped stopped)
            {
                await CancelPendingAsync(db, stopped.Target, clock.UtcNow, cancellationToken);
            }
            else if (domainEvent is WebhookEndpointChanged changed && changed.Changes.ContainsKey(EndpointFields.Active))
            {
                await SetFailingSinceAsync(db, changed.EndpointId, null, cancellationToken);
            }
        }
    }

    /// <summary>Sets when the endpoint's current run of failed attempts began (<c>null</c>: it is not failing), without touching its revision.</summary>
    public static Task<int> SetFailingSinceAsync(WebhooksDbContext db, Guid endpointId, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Set<WebhookEndpoint>().Where(e => e.Id == endpointId)
            .ExecuteUpdateAsync(set => set.SetProperty(e => EF.Property<DateTimeOffset?>(e, WebhookEndpointConfiguration.FailingSinceProperty), since), cancellationToken);
    }

    /// <summary>Cancels every pending delivery to <paramref name="target"/>; an attempt in flight is recorded when it ends, and changes nothing.</summary>
    public static Task<int> CancelPendingAsync(WebhooksDbContext db, DeliveryTarget target, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(target);
        var pending = db.Set<Delivery>().Where(d => d.Status == DeliveryStatus.Pending);
        pending = target.ClientId is { } clientId
            ? pending.Where(d => d.ClientId == clientId)
            : pending.Where(d => d.EndpointId == target.EndpointId);
        return pending.ExecuteUpdateAsync(
            set => set.SetProperty(d => d.Status, DeliveryStatus.Canceled)
                .SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)null)
                .SetProperty(d => d.UpdatedAt, now),
            cancellationToken);
    }
}
