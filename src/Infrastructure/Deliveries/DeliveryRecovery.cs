using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Deliveries;
using Webhooks.Domain.Deliveries;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Persistence.Repositories;
using Webhooks.Infrastructure.Persistence.WritePath;

namespace Webhooks.Infrastructure.Deliveries;

/// <summary>
/// Recover (docs/decisions/0015-manual-retry-and-recover.md): the endpoint's failed deliveries in the
/// window, <see cref="BatchSize"/> at a time, newest first by keyset over <c>list_position</c>, each
/// batch loaded, requeued through the domain and saved in its own transaction through the write
/// path. Between batches other writers (publishing, the worker's records) get their turn.
/// </summary>
public sealed class DeliveryRecovery(IServiceScopeFactory scopes, IDatabaseWritePath writePath) : IDeliveryRecovery
{
    public const int BatchSize = 500;

    public async Task<int> RequeueFailedAsync(Guid endpointId, DateTimeOffset since, DateTimeOffset until, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var total = 0;
        Guid? after = null;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
            var (count, last) = await writePath.WriteAsync(
                db,
                async (context, token) =>
                {
                    context.ChangeTracker.Clear();
                    var batch = await context.Set<Delivery>()
                        .Where(d => d.EndpointId == endpointId && d.Status == DeliveryStatus.Failed && d.CreatedAt >= since && d.CreatedAt < until)
                        .NewestFirst(after, BatchSize)
                        .ToListAsync(token);
                    var requeued = batch.Count(delivery => delivery.Requeue(now));
                    await context.SaveChangesAsync(acceptAllChangesOnSuccess: false, token);
                    return (requeued, batch.Count > 0 ? batch[^1].Id : (Guid?)null);
                },
                cancellationToken);
            total += count;
            if (last is null || count < BatchSize)
            {
                return total;
            }

            after = last;
        }
    }
}
