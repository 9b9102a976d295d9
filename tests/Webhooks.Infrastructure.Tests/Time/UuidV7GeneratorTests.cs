using System.Collections.Concurrent;
using System.Globalization;
using Webhooks.Infrastructure.Time;

namespace Webhooks.Infrastructure.Tests.Time;

/// <summary>
/// Version-7 ids that sort in creation order, in the order endpoint listings use: the ordinal
/// order of the id's text (<c>ToString("D")</c>, the <c>list_position</c> column).
/// </summary>
[TestFixture]
public sealed class UuidV7GeneratorTests
{
    private static readonly DateTimeOffset Instant = new(2026, 12, 4, 13, 57, 17, 123, TimeSpan.Zero);

    private static readonly StringComparer ListOrder = StringComparer.Ordinal;

    [Test]
    public void NewId_IsVersion7WithTheRfcVariant_ForEveryCounterValue()
    {
        // A frozen clock: 10,000 ids run the 12-bit counter through several overflows.
        var generator = new UuidV7Generator(new FixedTimeProvider(Instant));

        var texts = Enumerable.Range(0, 10_000).Select(_ => generator.NewId().ToString("D")).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(texts.Where(text => text[14] != '7'), Is.Empty, "version nibble");
            Assert.That(texts.Where(text => text[19] is not ('8' or '9' or 'a' or 'b')), Is.Empty, "variant bits 10");
            Assert.That(texts.Select(text => Guid.Parse(text).Version).Distinct(), Is.EqualTo(new[] { 7 }));
        });
    }

    [Test]
    public void NewId_CarriesTheClocksMillisecond()
    {
        var time = new FixedTimeProvider(Instant);
        var generator = new UuidV7Generator(time);

        var first = generator.NewId();
        time.Now = Instant.AddMilliseconds(1);
        var second = generator.NewId();
        time.Now = Instant.AddHours(5).AddTicks(9_999);
        var third = generator.NewId();

        Assert.Multiple(() =>
        {
            Assert.That(Timestamp(first), Is.EqualTo(Instant.ToUnixTimeMilliseconds()));
            Assert.That(Timestamp(second), Is.EqualTo(Instant.ToUnixTimeMilliseconds() + 1));
            Assert.That(Timestamp(third), Is.EqualTo(Instant.AddHours(5).ToUnixTimeMilliseconds()));
        });
    }

    [Test]
    public void NewId_FirstIdOfAMillisecond_LeavesHalfTheCounterForTheRest()
    {
        var time = new FixedTimeProvider(Instant);
        var generator = new UuidV7Generator(time);

        var counters = new List<int>();
        for (var i = 0; i < 200; i++)
        {
            time.Now = Instant.AddMilliseconds(i);
            counters.Add(Counter(generator.NewId()));
        }

        Assert.Multiple(() =>
        {
            Assert.That(counters, Has.All.LessThan(2048), "the seed's top bit is clear");
            Assert.That(counters.Distinct().Count(), Is.GreaterThan(1), "the seed is random, not a constant");
        });
    }

    [Test]
    public void NewId_ManyInOneMillisecond_IncreaseStrictlyInListOrder()
    {
        var generator = new UuidV7Generator(new FixedTimeProvider(Instant));

        var texts = Enumerable.Range(0, 10_000).Select(_ => generator.NewId().ToString("D")).ToList();

        Assert.That(texts, Is.Ordered.Using((IComparer<string>)ListOrder).And.Unique);
    }

    [Test]
    public void NewId_CounterOverflow_AdvancesTheTimestampByOneMillisecondAtATime()
    {
        var generator = new UuidV7Generator(new FixedTimeProvider(Instant));
        var now = Instant.ToUnixTimeMilliseconds();

        var stamps = Enumerable.Range(0, 10_000).Select(_ => Timestamp(generator.NewId())).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(stamps[0], Is.EqualTo(now));
            Assert.That(stamps.Zip(stamps.Skip(1), (a, b) => b - a), Has.All.InRange(0, 1), "never a jump");

            // The first millisecond holds 2049 to 4096 ids (its seed is below 2048), each later one 4096.
            Assert.That(stamps[^1], Is.EqualTo(now + 2));
        });
    }

    [Test]
    public void NewId_WhenTheClockGoesBack_StillIncreases()
    {
        var time = new FixedTimeProvider(Instant);
        var generator = new UuidV7Generator(time);
        var before = generator.NewId().ToString("D");

        time.Now = Instant.AddSeconds(-30);
        var after = generator.NewId();

        Assert.Multiple(() =>
        {
            Assert.That(ListOrder.Compare(after.ToString("D"), before), Is.Positive);
            Assert.That(Timestamp(after), Is.EqualTo(Instant.ToUnixTimeMilliseconds()), "the last timestamp is kept until the clock passes it");
        });
    }

    [Test]
    public void NewId_FromManyThreads_IncreasesWithinEachThreadAndNeverRepeats()
    {
        const int Threads = 8;
        const int PerThread = 5_000;
        var generator = new UuidV7Generator(TimeProvider.System);
        var perThread = new ConcurrentBag<List<string>>();
        using var start = new Barrier(Threads);

        var workers = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            var texts = new List<string>(PerThread);
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                texts.Add(generator.NewId().ToString("D"));
            }

            perThread.Add(texts);
        })).ToList();
        workers.ForEach(worker => worker.Start());
        workers.ForEach(worker => worker.Join());

        Assert.Multiple(() =>
        {
            Assert.That(perThread, Has.Count.EqualTo(Threads));
            foreach (var texts in perThread)
            {
                Assert.That(texts, Is.Ordered.Using((IComparer<string>)ListOrder).And.Unique, "an id made after another sorts after it");
            }

            Assert.That(perThread.SelectMany(texts => texts), Is.Unique);
        });
    }

    [Test]
    public void NewId_WithTheSystemClock_IsWithinTheMillisecondsAroundTheCall()
    {
        var generator = new UuidV7Generator(TimeProvider.System);

        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var id = generator.NewId();
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.That(Timestamp(id), Is.InRange(before, after));
    }

    private static long Timestamp(Guid id) => long.Parse(id.ToString("N")[..12], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static int Counter(Guid id) => int.Parse(id.ToString("N")[13..16], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
