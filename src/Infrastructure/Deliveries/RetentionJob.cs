using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Webhooks.Application.Common.Ports;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Idempotency;
using Webhooks.Infrastructure.Metrics;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Persistence.WritePath;

namespace Webhooks.Infrastructure.Deliveries;

/// <summary>What one run of the <see cref="RetentionJob"/> deleted, and in how many transactions.</summary>
public sealed record RetentionRun(int Deliveries, int Events, int IdempotencyKeys, int Transactions);

/// <summary>
/// Deletes what has been kept long enough (docs/decisions/0016-retention.md): deliveries that have
/// ended (succeeded, failed, canceled) and were created more than <see cref="DeliveryOptions.Retention"/>
/// ago, with their attempts (the foreign key's cascade, in the same statement), then events older
/// than that which have no delivery left, then expired <c>Idempotency-Key</c> records (older than
/// <see cref="IdempotencyRecord.Lifetime"/>: they replay nothing any more). It runs in every process
/// that runs a delivery worker, at start and every <see cref="DeliveryOptions.RetentionInterval"/>.
/// Each batch of at most
/// <see cref="DeliveryOptions.RetentionBatchSize"/> rows is one statement in a short transaction of its
/// own through the write path, so writers queue between batches rather than behind the whole run.
/// Each statement checks the rule itself, so two processes running at once delete each row once.
/// </summary>
public sealed partial class RetentionJob(
    IServiceScopeFactory scopes,
    IDatabaseWritePath writePath,
    DeliveryOptions options,
    IClock clock,
    TimeProvider timeProvider,
    WebhooksMetrics metrics,
    ILogger<RetentionJob> logger) : BackgroundService
{
    /// <summary>
    /// Deletes every delivery, event and idempotency record past retention now, table by table and
    /// batch by batch, until a batch finds fewer rows than the batch size.
    /// </summary>
    public async Task<RetentionRun> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var cutoff = now - options.Retention;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        var deliveries = await DeleteInBatchesAsync(db, Batch(context => EndedDeliveriesBefore(context, cutoff), d => d.CreatedAt), cancellationToken);
        var events = await DeleteInBatchesAsync(db, Batch(context => EventsWithoutDeliveriesBefore(context, cutoff), e => e.CreatedAt), cancellationToken);
        var keys = await DeleteInBatchesAsync(db, IdempotencyBatch(now), cancellationToken);
        metrics.RetentionDeleted(WebhooksMetrics.DeliveriesTable, deliveries.Rows);
        metrics.RetentionDeleted(WebhooksMetrics.EventsTable, events.Rows);
        metrics.RetentionDeleted(WebhooksMetrics.IdempotencyKeysTable, keys.Rows);
        var run = new RetentionRun(deliveries.Rows, events.Rows, keys.Rows, deliveries.Transactions + events.Transactions + keys.Transactions);
        LogRun(logger, run.Deliveries, run.Events, cutoff, run.IdempotencyKeys, run.Transactions);
        return run;
    }

    /// <summary>Deliveries that have ended and were created before <paramref name="cutoff"/> (served by <c>ix_deliveries_created_at</c>).</summary>
    public static IQueryable<Delivery> EndedDeliveriesBefore(WebhooksDbContext db, DateTimeOffset cutoff)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Set<Delivery>().Where(d => d.CreatedAt < cutoff && d.Status != DeliveryStatus.Pending);
    }

    /// <summary>Events created before <paramref name="cutoff"/> with no delivery left (served by <c>ix_events_created_at</c> and <c>ix_deliveries_event_id</c>).</summary>
    public static IQueryable<Event> EventsWithoutDeliveriesBefore(WebhooksDbContext db, DateTimeOffset cutoff)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Set<Event>().Where(e => e.CreatedAt < cutoff && !db.Set<Delivery>().Any(d => d.EventId == e.Id));
    }

    /// <summary>Idempotency records that have expired at <paramref name="now"/> (<see cref="IdempotencyRecord.IsExpired"/>; served by <c>ix_idempotency_keys_created_at</c>).</summary>
    public static IQueryable<IdempotencyRecord> ExpiredIdempotencyRecords(WebhooksDbContext db, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        var expiredAtOrBefore = now - IdempotencyRecord.Lifetime;
        return db.Set<IdempotencyRecord>().Where(r => r.CreatedAt <= expiredAtOrBefore);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.WorkerEnabled)
        {
            return;
        }

        await Task.Yield(); // let the host finish starting
        using var timer = new PeriodicTimer(options.RetentionInterval, timeProvider);
        try
        {
            do
            {
                try
                {
                    await RunAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogRunFailed(logger, exception); // what is left is deleted on the next run
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a batch not committed is rolled back, and deleted on the next run.
        }
    }

    /// <summary>
    /// The oldest batch of <paramref name="expired"/>, in one statement (EF Core deletes by key from an
    /// ordered <c>LIMIT</c>/<c>TOP</c> subquery; the creation-time index serves the order).
    /// </summary>
    private Func<WebhooksDbContext, CancellationToken, Task<int>> Batch<T>(
        Func<WebhooksDbContext, IQueryable<T>> expired, System.Linq.Expressions.Expression<Func<T, DateTimeOffset>> createdAt)
        where T : class =>
        (context, token) => expired(context).OrderBy(createdAt).Take(options.RetentionBatchSize).ExecuteDeleteAsync(token);

    /// <summary>
    /// About a batch of expired idempotency records: those up to the creation time of the batch's
    /// last one (ties go with it). A key of two columns would make EF Core's delete from a subquery
    /// scan the table; a range of the creation index does not.
    /// </summary>
    private Func<WebhooksDbContext, CancellationToken, Task<int>> IdempotencyBatch(DateTimeOffset now) =>
        async (context, token) =>
        {
            var expired = ExpiredIdempotencyRecords(context, now);
            var last = await expired.OrderBy(r => r.CreatedAt).Select(r => (DateTimeOffset?)r.CreatedAt).Skip(options.RetentionBatchSize - 1).FirstOrDefaultAsync(token);
            return await (last is { } upTo ? expired.Where(r => r.CreatedAt <= upTo) : expired).ExecuteDeleteAsync(token);
        };

    private async Task<(int Rows, int Transactions)> DeleteInBatchesAsync(
        WebhooksDbContext db, Func<WebhooksDbContext, CancellationToken, Task<int>> batch, CancellationToken cancellationToken)
    {
        var rows = 0;
        var transactions = 0;
        int deleted;
        do
        {
            deleted = await writePath.WriteAsync(db, batch, cancellationToken);
            rows += deleted;
            transactions++;
            await Task.Yield(); // the writers queued behind this batch go first
        }
        while (deleted >= options.RetentionBatchSize);

        return (rows, transactions);
    }

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Retention: deleted {Deliveries} deliveries and {Events} events created before {Cutoff:O}, and {IdempotencyKeys} expired idempotency keys, in {Transactions} transactions")]
    private static partial void LogRun(ILogger logger, int deliveries, int events, DateTimeOffset cutoff, int idempotencyKeys, int transactions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: the run failed; it is tried again at the next interval")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
