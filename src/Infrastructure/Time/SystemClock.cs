using Webhooks.Application.Common.Ports;

namespace Webhooks.Infrastructure.Time;

/// <summary>
/// The time provider's current instant in UTC, to its full precision (retry schedules need
/// milliseconds); the API prints whole seconds (<c>UtcTimestampConverter</c>).
/// </summary>
public sealed class SystemClock(TimeProvider timeProvider) : IClock
{
    public DateTimeOffset UtcNow => timeProvider.GetUtcNow().ToUniversalTime();
}
