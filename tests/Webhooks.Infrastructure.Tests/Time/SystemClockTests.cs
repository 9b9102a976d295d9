using System.Globalization;
using Webhooks.Infrastructure.Time;

namespace Webhooks.Infrastructure.Tests.Time;

[TestFixture]
public sealed class SystemClockTests
{
    [Test]
    public void UtcNow_KeepsSubSecondPrecision()
    {
        var clock = new SystemClock(new FixedTimeProvider(new DateTimeOffset(2026, 4, 1, 12, 30, 45, TimeSpan.Zero).AddTicks(9_999_999)));

        Assert.That(clock.UtcNow.UtcTicks, Is.EqualTo(new DateTimeOffset(2026, 4, 1, 12, 30, 45, TimeSpan.Zero).UtcTicks + 9_999_999));
    }

    [Test]
    public void UtcNow_IsInUtcWhateverTheProvidersOffset()
    {
        var clock = new SystemClock(new FixedTimeProvider(new DateTimeOffset(2026, 4, 1, 14, 30, 45, 500, TimeSpan.FromHours(2))));

        var now = clock.UtcNow;

        Assert.Multiple(() =>
        {
            Assert.That(now.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(now.ToString("O", CultureInfo.InvariantCulture), Is.EqualTo("2026-04-01T12:30:45.5000000+00:00"));
        });
    }

    [Test]
    public void UtcNow_OnAWholeSecond_IsUnchanged()
    {
        var instant = new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.Zero);

        Assert.That(new SystemClock(new FixedTimeProvider(instant)).UtcNow, Is.EqualTo(instant));
    }

    [Test]
    public void UtcNow_ReadsTheProviderEachTime()
    {
        var time = new FixedTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var clock = new SystemClock(time);
        var first = clock.UtcNow;

        time.Now = time.Now.AddSeconds(61.7);

        Assert.That(clock.UtcNow - first, Is.EqualTo(TimeSpan.FromSeconds(61.7)));
    }
}
