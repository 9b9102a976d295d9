namespace Webhooks.Domain.Deliveries;

/// <summary>
/// When a failed delivery is tried again (contract, "Outcomes and retries"): after the n-th failed
/// attempt, wait the n-th of <see cref="Waits"/>, spread evenly by ±<see cref="JitterPercent"/> so that
/// the retries of many deliveries that failed together do not arrive together; a receiver's
/// <c>Retry-After</c> (on 429 or 503) wins when it asks for longer, capped at the longest wait. When
/// every wait is used up, there is no next attempt and the delivery has failed.
/// </summary>
public sealed class RetrySchedule
{
    /// <summary>The contract's default: eight attempts in about 27 hours.</summary>
    public static readonly IReadOnlyList<int> DefaultWaitSeconds = [5, 300, 1800, 7200, 18000, 36000, 36000];

    public const int DefaultJitterPercent = 20;

    public const string NoWaitsMessage = "must list at least one wait";

    public const string WaitOutOfRangeMessage = "each wait must be 1 to 604800 seconds (7 days)";

    public const string JitterOutOfRangeMessage = "must be 0 to 100";

    private const int MaxWaitSeconds = 7 * 24 * 3600;

    private RetrySchedule(IReadOnlyList<TimeSpan> waits, int jitterPercent)
    {
        Waits = waits;
        JitterPercent = jitterPercent;
        LongestWait = waits.Max();
    }

    public static RetrySchedule Default { get; } = Create(DefaultWaitSeconds, DefaultJitterPercent).Value!;

    public IReadOnlyList<TimeSpan> Waits { get; }

    public int JitterPercent { get; }

    public TimeSpan LongestWait { get; }

    /// <summary>How many attempts a delivery gets in all: the first, and one after each wait.</summary>
    public int MaxAttempts => Waits.Count + 1;

    /// <summary>A schedule from settings (<c>Delivery:RetryScheduleSeconds</c>, <c>Delivery:JitterPercent</c>), or why not.</summary>
    public static Common.Outcome<RetrySchedule> Create(IReadOnlyList<int>? waitSeconds, int jitterPercent)
    {
        var errors = new Dictionary<string, string>();
        if (waitSeconds is null || waitSeconds.Count == 0)
        {
            errors["waits"] = NoWaitsMessage;
        }
        else if (waitSeconds.Any(seconds => seconds is < 1 or > MaxWaitSeconds))
        {
            errors["waits"] = WaitOutOfRangeMessage;
        }

        if (jitterPercent is < 0 or > 100)
        {
            errors["jitter_percent"] = JitterOutOfRangeMessage;
        }

        return errors.Count > 0
            ? Common.Outcome<RetrySchedule>.Invalid(errors)
            : Common.Outcome<RetrySchedule>.Valid(new RetrySchedule([.. waitSeconds!.Select(seconds => TimeSpan.FromSeconds(seconds))], jitterPercent));
    }

    /// <summary>
    /// How long to wait after the <paramref name="failedAttempts"/>-th failed attempt, or <c>null</c>
    /// when none is left. <paramref name="unitRandom"/> is a number in [0, 1) that places the wait in
    /// its jitter band (0: the shortest, towards 1: the longest).
    /// </summary>
    public TimeSpan? NextWait(int failedAttempts, double unitRandom, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        if (unitRandom is < 0 or >= 1 || double.IsNaN(unitRandom))
        {
            throw new ArgumentOutOfRangeException(nameof(unitRandom), unitRandom, "must be in [0, 1)");
        }

        if (failedAttempts > Waits.Count)
        {
            return null;
        }

        var wait = Waits[failedAttempts - 1];
        var spread = JitterPercent / 100.0 * ((2 * unitRandom) - 1);
        var jittered = TimeSpan.FromTicks((long)(wait.Ticks * (1 + spread)));
        return retryAfter is { } asked && asked > jittered ? (asked < LongestWait ? asked : LongestWait) : jittered;
    }
}
