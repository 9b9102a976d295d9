using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Domain.Deliveries;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Infrastructure.Metrics;

/// <summary>How many deliveries are pending, and how long the most overdue one has waited past its attempt time.</summary>
public sealed record BacklogReading(long Pending, TimeSpan OldestDueAge);

/// <summary>
/// The delivery backlog as the gauges show it. Read from the database (a count and a minimum over the
/// index of pending deliveries, <c>ix_deliveries_due</c>) at most once every <see cref="CacheFor"/>,
/// however often and by however many scrapers <c>GET /metrics</c> is asked.
/// </summary>
public sealed class DeliveryBacklog(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private BacklogReading? _last;
    private DateTimeOffset _readAt;

    public BacklogReading Read()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_last is null || now - _readAt >= CacheFor)
            {
                _last = Query(now);
                _readAt = now;
            }

            return _last;
        }
    }

    private BacklogReading Query(DateTimeOffset now)
    {
        using var scope = scopes.CreateScope();
        var pending = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Set<Delivery>().AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Pending);
        var count = pending.LongCount();
        var earliest = pending.Min(d => d.NextAttemptAt);
        var overdue = earliest is { } due && due < now ? now - due : TimeSpan.Zero;
        return new BacklogReading(count, overdue);
    }
}
