using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Webhooks.Application.Common.Ports;
using Webhooks.Domain.Deliveries;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Infrastructure.Deliveries;

/// <summary>
/// The delivery worker: claims due deliveries with a lease, attempts them with bounded concurrency
/// (<see cref="DeliveryOptions.MaxConcurrency"/> in all, <see cref="DeliveryOptions.MaxPerEndpoint"/>
/// per receiver, so one slow receiver holds up no one else), and hands the results to the
/// <see cref="AttemptRecorder"/>. It looks again at once when an event is published in this process
/// (<see cref="DeliverySignal"/>), when an attempt finishes, and every
/// <see cref="DeliveryOptions.PollInterval"/> for work from other processes and retries. On stop it
/// claims nothing more, finishes the attempts in flight, writes their results and releases every
/// lease it still holds.
/// </summary>
public sealed partial class DeliveryWorker(
    IServiceScopeFactory scopes,
    DeliveryClaims claims,
    DeliveryAttempter attempter,
    AttemptRecorder recorder,
    DeliverySignal signal,
    DeliveryOptions options,
    IClock clock,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    /// <summary>
    /// How long a receiver's oldest attempt in flight must have run, with the receiver at its limit,
    /// before its due deliveries are moved out of the way (<see cref="DeferStalledAsync"/>): far above
    /// any answering receiver's time, far below the sender's time-out.
    /// </summary>
    public static readonly TimeSpan StallAfter = TimeSpan.FromSeconds(1);

    private readonly Dictionary<Guid, int> _inFlightByReceiver = [];

    /// <summary>Stalled receivers whose due deliveries were moved, and until when (while they have attempts in flight).</summary>
    private readonly Dictionary<Guid, DateTimeOffset> _deferredUntil = [];

    // A list, not a dictionary keyed by task: an attempt that completes synchronously returns the
    // runtime's shared completed task, so two of them may be the same object.
    private readonly List<(Task Task, ClaimedDelivery Claim, DateTimeOffset Started)> _running = [];

    /// <summary>
    /// Free slots worth a claim statement while attempts are in flight: an eighth of
    /// <see cref="DeliveryOptions.MaxConcurrency"/> (4 of the default 32), at least one.
    /// </summary>
    private int RefillAt => Math.Max(1, options.MaxConcurrency / 8);

    /// <summary>This worker's name on its leases: machine, process and a random part (unique per start).</summary>
    public string Owner { get; } = NewOwner();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.WorkerEnabled)
        {
            return;
        }

        await Task.Yield(); // let the host finish starting
        LogStarted(logger, Owner, options.MaxConcurrency, options.MaxPerEndpoint);
        var recording = recorder.RunAsync(CancellationToken.None);
        Task<bool>? woken = null;
        Task? poll = null;
        var looked = false; // whether the last turn claimed for the signal or the poll (always at start)
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (await ClaimAndStartAsync(!looked, stoppingToken))
                {
                    continue; // there may be more due
                }

                looked = true;

                woken ??= signal.WaitAsync(Timeout.InfiniteTimeSpan, stoppingToken);
                // Both waits are kept across turns of the loop: a finished attempt wakes it often, and a
                // new wait each time would pile up timers (and lose a signal to an abandoned wait).
                poll ??= Task.Delay(options.PollInterval, stoppingToken);
                Task[] waits = _running.Count > 0 ? [woken, poll, .. _running.Select(r => r.Task)] : [woken, poll];
                var first = await Task.WhenAny(waits);
                if (first == woken)
                {
                    woken = null;
                    looked = false;
                }
                else if (first == poll)
                {
                    poll = null;
                    looked = false;
                }

                Reap();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        await StopAsync();
        recorder.Complete();
        await recording;
        await ReleaseAllAsync();
        LogStopped(logger, Owner, recorder.Recorded);
    }

    private static string NewOwner()
    {
        var owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        return owner.Length <= 64 ? owner : owner[^64..];
    }

    /// <param name="always">
    /// Claim whatever slots are free (for the signal, the poll, or more due); otherwise (an attempt
    /// finished) only when at least <see cref="RefillAt"/> slots are free or none is in flight, so that
    /// a busy worker claims several rows per statement rather than one per finished attempt.
    /// </param>
    /// <returns>
    /// Whether to look again at once: every free slot was filled (more may be due), or claims were
    /// given back because their receiver is at its limit (other receivers' deliveries may be due
    /// behind them; the next claim skips the receivers now at their limit).
    /// </returns>
    private async Task<bool> ClaimAndStartAsync(bool always, CancellationToken stoppingToken)
    {
        Reap();
        var free = options.MaxConcurrency - _running.Count;
        if (free <= 0 || (!always && free < RefillAt && _running.Count > 0))
        {
            return false;
        }

        var busy = _inFlightByReceiver.Where(r => r.Value >= options.MaxPerEndpoint).Select(r => r.Key).ToList();
        await DeferStalledAsync(busy, stoppingToken);
        List<ClaimedDelivery> claimed;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            claimed = await claims.ClaimAsync(
                scope.ServiceProvider.GetRequiredService<WebhooksDbContext>(), Owner, clock.UtcNow, options.Lease, free, busy, stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogClaimFailed(logger, exception);
            return false;
        }

        var excess = new List<Guid>();
        var started = new List<ClaimedDelivery>(claimed.Count);
        foreach (var claim in claimed)
        {
            _inFlightByReceiver.TryGetValue(claim.Receiver, out var inFlight);
            if (inFlight >= options.MaxPerEndpoint)
            {
                excess.Add(claim.Id); // one batch brought more for this receiver than it may take at once
                continue;
            }

            _inFlightByReceiver[claim.Receiver] = inFlight + 1;
            started.Add(claim);
        }

        if (started.Count > 0)
        {
            // One read for the whole claim; each attempt sends as soon as it is done.
            var preparing = attempter.PrepareAsync(started, AttemptTrigger.Scheduled, CancellationToken.None);
            var now = clock.UtcNow;
            started.ForEach(claim => _running.Add((AttemptAsync(claim, preparing), claim, now)));
        }

        if (excess.Count > 0)
        {
            await ReleaseAsync(excess);
        }

        return claimed.Count == free || excess.Count > 0;
    }

    /// <summary>
    /// Attempts <paramref name="claim"/> and waits until its result is written: the slot (and the
    /// lease) is held until then, so a crash repeats at most <see cref="DeliveryOptions.MaxConcurrency"/>
    /// attempts of this process.
    /// </summary>
    private async Task AttemptAsync(ClaimedDelivery claim, Task<IReadOnlyDictionary<Guid, PreparedAttempt>> preparing)
    {
        FinishedAttempt finished;
        try
        {
            // Not canceled by stopping: an attempt in flight is finished (the sender's time-out bounds it).
            finished = await attempter.SendAsync((await preparing)[claim.Id], Owner, CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogAttemptFailed(logger, exception, claim.Id);
            finished = new FinishedAttempt(claim.Id, Owner, clock.UtcNow, null);
        }

        await recorder.Enqueue(finished);
    }

    /// <summary>Frees the slots of attempts whose results are written.</summary>
    private void Reap()
    {
        for (var i = _running.Count - 1; i >= 0; i--)
        {
            var (task, claim, _) = _running[i];
            if (!task.IsCompleted)
            {
                continue;
            }

            _running.RemoveAt(i);
            if (--_inFlightByReceiver[claim.Receiver] == 0)
            {
                _inFlightByReceiver.Remove(claim.Receiver);
                _deferredUntil.Remove(claim.Receiver);
            }
        }
    }

    /// <summary>
    /// A receiver at its limit whose oldest attempt in flight has run <see cref="StallAfter"/> or more
    /// (a receiver that does not answer: it holds its slots until the time-out) takes no more
    /// deliveries from this worker until one of those ends; its due deliveries would stay at the head of
    /// the due index, and every claim would walk past them. They are moved (<see cref="DeliveryClaims.DeferAsync"/>)
    /// as far ahead as that attempt has already run, once per stall; claims go on for everyone else.
    /// </summary>
    private async Task DeferStalledAsync(List<Guid> busy, CancellationToken stoppingToken)
    {
        var now = clock.UtcNow;
        foreach (var receiver in busy)
        {
            if (_deferredUntil.TryGetValue(receiver, out var deferred) && deferred > now)
            {
                continue;
            }

            var (_, oldest, started) = _running.Where(r => r.Claim.Receiver == receiver).MinBy(r => r.Started);
            var stalled = now - started;
            if (stalled < StallAfter)
            {
                continue;
            }

            var until = now + stalled;
            _deferredUntil[receiver] = until;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var moved = await claims.DeferAsync(scope.ServiceProvider.GetRequiredService<WebhooksDbContext>(), oldest, now, until, stoppingToken);
                LogDeferred(logger, moved, receiver, stalled.TotalMilliseconds, until);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogDeferFailed(logger, exception, receiver);
            }
        }
    }

    private async Task StopAsync()
    {
        if (_running.Count > 0)
        {
            LogFinishing(logger, _running.Count);
            await Task.WhenAll(_running.Select(r => r.Task));
        }

        Reap();
    }

    private Task ReleaseAsync(List<Guid> ids) => ReleaseAsync(ids, "releasing excess claims");

    private Task ReleaseAllAsync() => ReleaseAsync(null, "releasing this worker's leases on stop");

    private async Task ReleaseAsync(List<Guid>? ids, string what)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await claims.ReleaseAsync(scope.ServiceProvider.GetRequiredService<WebhooksDbContext>(), Owner, ids, CancellationToken.None);
        }
        catch (Exception exception)
        {
            // The leases expire on their own.
            LogReleaseFailed(logger, exception, what);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery worker {Owner} started: at most {MaxConcurrency} attempts at once, {MaxPerEndpoint} per receiver")]
    private static partial void LogStarted(ILogger logger, string owner, int maxConcurrency, int maxPerEndpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery worker {Owner} stopped after recording {Recorded} attempts")]
    private static partial void LogStopped(ILogger logger, string owner, long recorded);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: finishing {Count} attempts in flight")]
    private static partial void LogFinishing(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming due deliveries failed; trying again at the next poll")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Attempting delivery {DeliveryId} failed unexpectedly; its lease is released")]
    private static partial void LogAttemptFailed(ILogger logger, Exception exception, Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Receiver {Receiver} is stalled (its oldest attempt has run {StalledMs} ms): {Moved} due deliveries moved to {Until}")]
    private static partial void LogDeferred(ILogger logger, int moved, Guid receiver, double stalledMs, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Moving stalled receiver {Receiver}'s due deliveries failed; claims walk past them until the next try")]
    private static partial void LogDeferFailed(ILogger logger, Exception exception, Guid receiver);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed {What}; the leases expire on their own")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string what);
}
