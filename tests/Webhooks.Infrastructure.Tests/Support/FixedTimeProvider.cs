namespace Webhooks.Infrastructure.Tests.Support;

/// <summary>A clock that shows <see cref="Now"/> until a test moves it.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
