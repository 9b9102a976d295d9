using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Webhooks.ListWebhookHistory;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Metrics;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Persistence.Configurations;
using Webhooks.Infrastructure.Persistence.WritePath;

namespace Webhooks.Infrastructure.Deliveries;

/// <summary>
/// Writes finished attempts in batches: whatever has finished since the last write, up to
/// <see cref="DeliveryOptions.RecordBatchSize"/>, in one transaction. Each delivery decides what its
/// attempt means (<see cref="Delivery.RecordAttempt"/>); a <c>410</c> deactivates the endpoint, which
/// cancels its other pending deliveries in the same transaction, and so does a failure that ends
/// <see cref="DeliveryOptions.DisableAfterHours"/> or more after the endpoint's first failed attempt
/// since its last success (<see cref="WebhookEndpointConfiguration.FailingSinceProperty"/>, kept here);
/// both are recorded in the endpoint's history with the reason. The worker's lease on each is
/// released. If the process dies before a result is written, the lease expires and the attempt is
/// made again: at least once. Each written attempt is counted by its verdict (<see cref="WebhooksMetrics"/>).
/// </summary>
public sealed partial class AttemptRecorder(
    IServiceScopeFactory scopes,
    IDatabaseWritePath writePath,
    DomainEventEffects effects,
    EndpointHistoryRows history,
    DeliveryOptions options,
    IClock clock,
    WebhooksMetrics metrics,
    ILogger<AttemptRecorder> logger)
{
    private const int MaxTries = 5;

    private readonly Channel<(FinishedAttempt Attempt, TaskCompletionSource Written)> _finished =
        Channel.CreateUnbounded<(FinishedAttempt, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>How many attempts have been written (for tests and the worker's summary).</summary>
    public long Recorded => Interlocked.Read(ref _recorded);

    private long _recorded;

    /// <summary>
    /// Queues <paramref name="attempt"/> for the next batch. The task completes when the batch has
    /// been written (or given up: the lease then expires and the attempt is made again), so that a
    /// worker can hold the attempt's slot until then: a crash repeats at most the attempts a worker
    /// holds slots for.
    /// </summary>
    public Task Enqueue(FinishedAttempt attempt)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_finished.Writer.TryWrite((attempt, written)))
        {
            written.SetResult(); // completed: nothing more is written; the lease expires
        }

        return written.Task;
    }

    /// <summary>No more attempts will come: <see cref="RunAsync"/> writes what is queued and ends.</summary>
    public void Complete() => _finished.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<FinishedAttempt>(options.RecordBatchSize);
        var written = new List<TaskCompletionSource>(options.RecordBatchSize);
        while (await _finished.Reader.WaitToReadAsync(cancellationToken))
        {
            while (batch.Count < options.RecordBatchSize && _finished.Reader.TryRead(out var queued))
            {
                batch.Add(queued.Attempt);
                written.Add(queued.Written);
            }

            try
            {
                await WriteAsync(batch, cancellationToken);
            }
            finally
            {
                written.ForEach(done => done.TrySetResult());
                batch.Clear();
                written.Clear();
            }
        }
    }

    private async Task WriteAsync(List<FinishedAttempt> batch, CancellationToken cancellationToken)
    {
        var verdicts = new List<(AttemptVerdict Verdict, TimeSpan Duration)>(batch.Count);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
                await writePath.WriteAsync(db, (context, token) => RecordAsync(context, batch, verdicts, token), cancellationToken);
                Interlocked.Add(ref _recorded, batch.Count(a => a.Result is not null));
                verdicts.ForEach(v => metrics.AttemptRecorded(v.Verdict, v.Duration));
                return;
            }
            catch (Exception exception) when (attempt < MaxTries && exception is not OperationCanceledException)
            {
                // A concurrent change (a cancellation, another worker's record) or a database fault: read again and retry.
                LogRetry(logger, exception, batch.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt * attempt), cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The leases expire and the attempts are made again.
                LogDropped(logger, exception, batch.Count);
                return;
            }
        }
    }

    /// <param name="verdicts">Filled with each attempt's verdict and duration (emptied first: a write may be tried again).</param>
    private async Task<int> RecordAsync(
        WebhooksDbContext db, List<FinishedAttempt> batch, List<(AttemptVerdict Verdict, TimeSpan Duration)> verdicts, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        verdicts.Clear();
        var ids = batch.Select(a => a.DeliveryId).Distinct().ToList();
        var deliveries = await db.Set<Delivery>().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, cancellationToken);
        var gone = new HashSet<Guid>();
        var outcomes = new List<EndpointOutcome>();
        foreach (var finished in batch)
        {
            if (!deliveries.TryGetValue(finished.DeliveryId, out var delivery))
            {
                continue;
            }

            var entry = db.Entry(delivery);
            if (string.Equals(entry.Property<string?>(DeliveryConfiguration.LeaseOwnerProperty).CurrentValue, finished.Owner, StringComparison.Ordinal))
            {
                // Still ours: give it up. (A lease that expired and was taken over stays with its new holder.)
                entry.Property<string?>(DeliveryConfiguration.LeaseOwnerProperty).CurrentValue = null;
                entry.Property<DateTimeOffset?>(DeliveryConfiguration.LeaseExpiresAtProperty).CurrentValue = null;
            }

            if (finished.ReceiverStopped)
            {
                delivery.Cancel(clock.UtcNow);
            }

            if (finished.Result is not { } result)
            {
                continue;
            }

            var verdict = delivery.RecordAttempt(result, finished.StartedAt, options.RetrySchedule, Random.Shared.NextDouble());
            verdicts.Add((verdict, result.Duration));
            if (delivery.EndpointId is { } target)
            {
                outcomes.Add(new EndpointOutcome(target, finished.StartedAt, finished.StartedAt + result.Duration, result.IsSuccess));
            }

            if (verdict == AttemptVerdict.ReceiverGone && delivery.EndpointId is { } endpointId)
            {
                gone.Add(endpointId);
            }
        }

        var failingTooLong = await TrackFailuresAsync(db, outcomes, cancellationToken);
        var reasons = gone.Select(id => (Id: id, Reason: WebhookEndpoint.ReceiverGoneReason))
            .Concat(failingTooLong.Except(gone).Select(id => (Id: id, Reason: WebhookHistory.FailingReason(options.DisableAfterHours))));
        foreach (var (endpointId, reason) in reasons)
        {
            var endpoint = await db.Set<WebhookEndpoint>().FirstOrDefaultAsync(e => e.Id == endpointId, cancellationToken);
            endpoint?.Deactivate(clock.UtcNow, reason);
        }

        var events = DomainEventEffects.Pending(db);
        history.Add(db, events, caller: null);
        var saved = await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
        await effects.ApplyAsync(db, events, cancellationToken);
        return saved;
    }

    /// <summary>
    /// Moves each endpoint's <see cref="WebhookEndpointConfiguration.FailingSinceProperty"/> past these
    /// attempts (in the order they started): a success clears it, a failure sets it unless it is set.
    /// </summary>
    /// <returns>The endpoints whose last attempt here failed at least <see cref="DeliveryOptions.DisableAfterHours"/> after that.</returns>
    private async Task<List<Guid>> TrackFailuresAsync(WebhooksDbContext db, List<EndpointOutcome> outcomes, CancellationToken cancellationToken)
    {
        var ids = outcomes.Select(o => o.EndpointId).Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var stored = await db.Set<WebhookEndpoint>().AsNoTracking().Where(e => ids.Contains(e.Id))
            .Select(e => new { e.Id, Since = EF.Property<DateTimeOffset?>(e, WebhookEndpointConfiguration.FailingSinceProperty) })
            .ToDictionaryAsync(e => e.Id, e => e.Since, cancellationToken);
        var limit = TimeSpan.FromHours(options.DisableAfterHours);
        var tooLong = new List<Guid>();
        foreach (var endpoint in outcomes.GroupBy(o => o.EndpointId))
        {
            if (!stored.TryGetValue(endpoint.Key, out var before))
            {
                continue;
            }

            var since = before;
            var failedTooLong = false;
            foreach (var outcome in endpoint.OrderBy(o => o.StartedAt))
            {
                since = outcome.Succeeded ? null : since ?? outcome.StartedAt;
                failedTooLong = since is { } start && outcome.EndedAt >= start + limit;
            }

            if (since != before)
            {
                await DomainEventEffects.SetFailingSinceAsync(db, endpoint.Key, since, cancellationToken);
            }

            if (failedTooLong)
            {
                tooLong.Add(endpoint.Key);
            }
        }

        return tooLong;
    }

    private sealed record EndpointOutcome(Guid EndpointId, DateTimeOffset StartedAt, DateTimeOffset EndedAt, bool Succeeded);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} delivery attempts failed (try {Try}); retrying")]
    private static partial void LogRetry(ILogger logger, Exception exception, int count, int @try);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} delivery attempts failed for good; their leases will expire and the attempts will be made again")]
    private static partial void LogDropped(ILogger logger, Exception exception, int count);
}
