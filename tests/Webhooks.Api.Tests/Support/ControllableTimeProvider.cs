namespace Webhooks.Api.Tests.Support;

/// <summary>
/// A <see cref="TimeProvider"/> whose current time only moves when a test moves it. Timers and
/// timestamps (<c>Task.Delay</c>, stopwatches) stay those of the system.
/// </summary>
public sealed class ControllableTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now;

    /// <summary>Starts at <paramref name="start"/>, or at the current second of the system clock.</summary>
    public ControllableTimeProvider(DateTimeOffset? start = null)
    {
        var now = start ?? DateTimeOffset.UtcNow;
        _now = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now = _now.Add(by);
        }
    }
}
