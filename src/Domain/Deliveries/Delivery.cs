namespace Webhooks.Domain.Deliveries;

/// <summary>Where a delivery is in its life. Only <see cref="Pending"/> is ever attempted by schedule.</summary>
public enum DeliveryStatus
{
    Pending,
    Succeeded,
    Failed,
    Canceled,
}

/// <summary>What an attempt's result meant for its delivery.</summary>
public enum AttemptVerdict
{
    /// <summary>A <c>2xx</c>: the delivery succeeded.</summary>
    Succeeded,

    /// <summary>A failure with attempts left: the delivery is pending again, at <see cref="Delivery.NextAttemptAt"/>.</summary>
    WillRetry,

    /// <summary>A failure after the last attempt: the delivery failed.</summary>
    Failed,

    /// <summary><c>410 Gone</c>: the delivery failed for good and the endpoint must be deactivated.</summary>
    ReceiverGone,

    /// <summary>The delivery had already ended (canceled while the attempt was in flight, or finished by another attempt): recorded, nothing changes.</summary>
    AlreadyEnded,

    /// <summary>A manual attempt failed: recorded, and the delivery stays as it was (its schedule goes on).</summary>
    ManualFailed,
}

/// <summary>
/// One event on its way to one receiver, and the record of every attempt. It owns its state machine
/// (contract, "Outcomes and retries"): pending until a <c>2xx</c> (succeeded); a <c>410</c> fails it
/// for good; any other failure is tried again after the retry schedule's next wait, and after the
/// last one it has failed; a receiver that stops taking deliveries cancels it while it is pending.
/// </summary>
public sealed class Delivery
{
    private readonly List<DeliveryAttempt> _attempts = [];

    private Delivery()
    {
        // For EF Core.
    }

    public Guid Id { get; private set; }

    public Guid EventId { get; private set; }

    public string EventType { get; private set; } = null!;

    /// <summary>The organization whose endpoint receives it; <c>null</c> for a client's delivery.</summary>
    public Guid? OrgId { get; private set; }

    public Guid? EndpointId { get; private set; }

    public Guid? ClientId { get; private set; }

    public DeliveryStatus Status { get; private set; }

    /// <summary>Every attempt, scheduled or manual: the last attempt's number.</summary>
    public int AttemptCount { get; private set; }

    /// <summary>
    /// The scheduled attempts of the current round: they alone move the retry schedule (a manual
    /// attempt does not restart it), and <see cref="Requeue"/> starts a fresh round.
    /// </summary>
    public int ScheduledAttempts { get; private set; }

    /// <summary>When the next scheduled attempt is due; <c>null</c> once the delivery has ended.</summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }

    public DateTimeOffset? LastAttemptAt { get; private set; }

    public int? LastResponseStatus { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The attempts this instance has loaded or recorded (a worker records without loading the earlier ones).</summary>
    public IReadOnlyList<DeliveryAttempt> Attempts => _attempts;

    public DeliveryTarget Target => ClientId is { } client ? DeliveryTarget.Client(client) : DeliveryTarget.Endpoint(EndpointId!.Value);

    public bool HasEnded => Status != DeliveryStatus.Pending;

    /// <summary>A new pending delivery of <paramref name="evt"/>, due at once. Created by <see cref="Event.DeliverTo"/>.</summary>
    internal static Delivery Create(Guid id, Event evt, DeliveryTarget target) => new()
    {
        Id = id,
        EventId = evt.Id,
        EventType = evt.Type,
        OrgId = evt.OrgId,
        EndpointId = target.EndpointId,
        ClientId = target.ClientId,
        Status = DeliveryStatus.Pending,
        NextAttemptAt = evt.CreatedAt,
        CreatedAt = evt.CreatedAt,
        UpdatedAt = evt.CreatedAt,
    };

    /// <summary>
    /// Records an attempt that started at <paramref name="startedAt"/> and decides what it means.
    /// A scheduled attempt of a pending delivery moves it on: a <c>2xx</c> succeeds, a <c>410</c>
    /// fails it for good, anything else waits the schedule's next wait (counted from the attempt's
    /// end; <paramref name="unitRandom"/> in [0, 1) places it in its jitter band; a <c>Retry-After</c>
    /// is honoured only on <c>429</c> and <c>503</c>) or, after the last, fails it. A manual attempt
    /// (whatever the status) succeeds the delivery on a <c>2xx</c>; a <c>410</c> fails a pending one
    /// for good; any other failure leaves status and <see cref="NextAttemptAt"/> as they were.
    /// </summary>
    public AttemptVerdict RecordAttempt(AttemptResult result, DateTimeOffset startedAt, AttemptTrigger trigger, RetrySchedule schedule, double unitRandom)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(schedule);
        AttemptCount++;
        _attempts.Add(DeliveryAttempt.From(Id, AttemptCount, trigger, startedAt, result));
        LastAttemptAt = startedAt;
        LastResponseStatus = result.StatusCode;
        var finishedAt = startedAt + result.Duration;
        UpdatedAt = finishedAt > UpdatedAt ? finishedAt : UpdatedAt; // never back in time (a cancellation may have come after the attempt ended)
        return trigger == AttemptTrigger.Manual ? RecordManual(result) : RecordScheduled(result, finishedAt, schedule, unitRandom);
    }

    /// <summary>
    /// Puts a failed delivery back in the queue (recover): pending, due at <paramref name="now"/>,
    /// with a fresh round of the schedule, so a receiver still down at the first try gets every wait again.
    /// </summary>
    /// <returns>Whether it had failed (nothing else is requeued).</returns>
    public bool Requeue(DateTimeOffset now)
    {
        if (Status != DeliveryStatus.Failed)
        {
            return false;
        }

        Status = DeliveryStatus.Pending;
        ScheduledAttempts = 0;
        NextAttemptAt = now;
        UpdatedAt = now > UpdatedAt ? now : UpdatedAt;
        return true;
    }

    /// <summary>Cancels the delivery if it is still pending: its receiver stopped taking deliveries.</summary>
    /// <returns>Whether it was pending.</returns>
    public bool Cancel(DateTimeOffset now)
    {
        if (HasEnded)
        {
            return false;
        }

        End(DeliveryStatus.Canceled);
        UpdatedAt = now;
        return true;
    }

    private AttemptVerdict RecordScheduled(AttemptResult result, DateTimeOffset finishedAt, RetrySchedule schedule, double unitRandom)
    {
        if (HasEnded)
        {
            return AttemptVerdict.AlreadyEnded;
        }

        ScheduledAttempts++;
        if (result.IsSuccess)
        {
            End(DeliveryStatus.Succeeded);
            return AttemptVerdict.Succeeded;
        }

        if (result.IsGone)
        {
            End(DeliveryStatus.Failed);
            return AttemptVerdict.ReceiverGone;
        }

        var retryAfter = result.StatusCode is 429 or 503 ? result.RetryAfter : null;
        if (schedule.NextWait(ScheduledAttempts, unitRandom, retryAfter) is not { } wait)
        {
            End(DeliveryStatus.Failed);
            return AttemptVerdict.Failed;
        }

        NextAttemptAt = finishedAt + wait;
        return AttemptVerdict.WillRetry;
    }

    private AttemptVerdict RecordManual(AttemptResult result)
    {
        if (result.IsSuccess)
        {
            End(DeliveryStatus.Succeeded);
            return AttemptVerdict.Succeeded;
        }

        if (result.IsGone)
        {
            if (!HasEnded)
            {
                End(DeliveryStatus.Failed);
            }

            return AttemptVerdict.ReceiverGone;
        }

        return AttemptVerdict.ManualFailed;
    }

    private void End(DeliveryStatus status)
    {
        Status = status;
        NextAttemptAt = null;
    }
}

/// <summary>Why an attempt was made: by the retry schedule, or on a user's request.</summary>
public enum AttemptTrigger
{
    Scheduled,
    Manual,
}

/// <summary>One attempt of a delivery, as recorded: when, how long, the status or the error, and the start of the response body.</summary>
public sealed class DeliveryAttempt
{
    /// <summary>How much of an error text is kept.</summary>
    public const int MaxErrorLength = 1000;

    private DeliveryAttempt()
    {
        // For EF Core.
    }

    public Guid DeliveryId { get; private set; }

    /// <summary>1 for the first attempt, and so on.</summary>
    public int Number { get; private set; }

    public AttemptTrigger Trigger { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public int DurationMs { get; private set; }

    public int? ResponseStatus { get; private set; }

    /// <summary>
    /// At most the first 4 KiB of the response body (the text is cut to <see cref="AttemptResult.MaxResponseBodyBytes"/> characters, its column's length),
    /// with each NUL character shown as U+FFFD: a receiver's body is any bytes, and PostgreSQL's text holds no NUL.
    /// </summary>
    public string? ResponseBody { get; private set; }

    public string? Error { get; private set; }

    internal static DeliveryAttempt From(Guid deliveryId, int number, AttemptTrigger trigger, DateTimeOffset startedAt, AttemptResult result) => new()
    {
        DeliveryId = deliveryId,
        Number = number,
        Trigger = trigger,
        StartedAt = startedAt,
        DurationMs = (int)Math.Min(int.MaxValue, Math.Max(0, Math.Round(result.Duration.TotalMilliseconds))),
        ResponseStatus = result.StatusCode,
        ResponseBody = WithoutNul(Truncate(result.ResponseBody, AttemptResult.MaxResponseBodyBytes)),
        Error = WithoutNul(Truncate(result.Error, MaxErrorLength)),
    };

    /// <summary>The text with each NUL character replaced by U+FFFD, the replacement character.</summary>
    private static string? WithoutNul(string? text) => text?.Replace('\0', '\uFFFD');

    /// <summary>The first <paramref name="max"/> UTF-16 code units of <paramref name="text"/>, never half of a surrogate pair.</summary>
    private static string? Truncate(string? text, int max) =>
        text is null || text.Length <= max ? text : text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];
}
