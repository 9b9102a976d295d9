using Webhooks.Application.Common.Security;

namespace Webhooks.Application.Tests.Common.Security;

/// <summary>
/// The cache of verified credentials: an entry answers for exactly its time to live, only successful
/// verifications are kept, and the cache never holds more than its capacity.
/// </summary>
public sealed class CredentialCacheTests
{
    private static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(CredentialCache.DefaultSeconds);
    private static readonly Caller KeyCaller = new(CallerKind.ApiKey, Guid.CreateVersion7(), Guid.CreateVersion7(), ["webhooks:read"]);

    private SteppedTime _time = null!;

    [SetUp]
    public void SetUp() => _time = new SteppedTime();

    [Test]
    public void TryGet_AnswersWithTheCachedCaller_UntilTheTimeToLiveHasPassed()
    {
        var cache = new CredentialCache(_time, TimeToLive);
        cache.Set("key:a", KeyCaller);

        _time.Advance(TimeToLive - TimeSpan.FromTicks(1));
        var found = cache.TryGet("key:a", out var cached);
        _time.Advance(TimeSpan.FromTicks(1));
        var foundAtExpiry = cache.TryGet("key:a", out _);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(found, Is.True);
            Assert.That(cached, Is.SameAs(KeyCaller));
            Assert.That(foundAtExpiry, Is.False, "an entry expires at set time + time to live");
            Assert.That(cache.Count, Is.Zero, "an expired entry that was asked for is removed");
        }
    }

    [Test]
    public void TryGet_OfAnUnknownKey_FindsNothing()
    {
        var cache = new CredentialCache(_time, TimeToLive);
        cache.Set("key:a", KeyCaller);

        Assert.That(cache.TryGet("key:b", out _), Is.False);
    }

    [Test]
    public void Set_OfAKnownKey_ReplacesTheCallerAndRestartsItsTimeToLive()
    {
        var cache = new CredentialCache(_time, TimeToLive);
        cache.Set("key:a", Caller.Operator);
        _time.Advance(TimeToLive - TimeSpan.FromSeconds(1));
        cache.Set("key:a", KeyCaller);
        _time.Advance(TimeSpan.FromSeconds(2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cache.TryGet("key:a", out var cached), Is.True);
            Assert.That(cached, Is.SameAs(KeyCaller));
            Assert.That(cache.Count, Is.EqualTo(1));
            Assert.That(cache.Keys, Is.EquivalentTo(new[] { "key:a" }));
        }
    }

    [Test]
    public void ZeroTimeToLive_TurnsTheCacheOff()
    {
        var cache = new CredentialCache(_time, TimeSpan.Zero);
        cache.Set("key:a", KeyCaller);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cache.Enabled, Is.False);
            Assert.That(cache.TimeToLive, Is.EqualTo(TimeSpan.Zero));
            Assert.That(cache.Count, Is.Zero);
            Assert.That(cache.TryGet("key:a", out _), Is.False);
        }
    }

    [Test]
    public void WhenFull_ExpiredEntriesAreSweptFirst_AndLiveOnesKept()
    {
        var cache = new CredentialCache(_time, TimeToLive, capacity: 3);
        cache.Set("key:old", KeyCaller);
        _time.Advance(TimeToLive);
        cache.Set("key:a", KeyCaller);
        cache.Set("key:b", KeyCaller);

        cache.Set("key:c", KeyCaller);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cache.Keys, Is.EquivalentTo(new[] { "key:a", "key:b", "key:c" }));
            Assert.That(cache.TryGet("key:a", out _), Is.True);
        }
    }

    [Test]
    public void WhenFullOfLiveEntries_ANewKeyStartsTheCacheOver()
    {
        var cache = new CredentialCache(_time, TimeToLive, capacity: 3);
        foreach (var key in new[] { "key:a", "key:b", "key:c" })
        {
            cache.Set(key, KeyCaller);
        }

        cache.Set("key:d", KeyCaller);

        Assert.That(cache.Keys, Is.EquivalentTo(new[] { "key:d" }));
    }

    [Test]
    public void WhenFull_SettingAKeyItAlreadyHolds_KeepsEveryEntry()
    {
        var cache = new CredentialCache(_time, TimeToLive, capacity: 2);
        cache.Set("key:a", KeyCaller);
        cache.Set("key:b", KeyCaller);

        cache.Set("key:a", Caller.Operator);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cache.Keys, Is.EquivalentTo(new[] { "key:a", "key:b" }));
            Assert.That(cache.TryGet("key:a", out var cached) ? cached : null, Is.SameAs(Caller.Operator));
        }
    }

    [Test]
    public void Capacity_IsABound_ManyDistinctCredentialsNeverGrowPastIt()
    {
        var cache = new CredentialCache(_time, TimeToLive, capacity: 3);
        for (var i = 0; i < 10; i++)
        {
            cache.Set($"key:{i}", KeyCaller);
            Assert.That(cache.Count, Is.InRange(1, 3));
        }
    }

    [Test]
    public void Defaults_AreFiveSecondsAndTenThousandEntries()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(CredentialCache.DefaultSeconds, Is.EqualTo(5));
            Assert.That(CredentialCache.DefaultCapacity, Is.EqualTo(10_000));
            Assert.That(new CredentialCache(_time, TimeToLive).Enabled, Is.True);
        }
    }

    [Test]
    public void Construction_RefusesANegativeTimeToLive_ACapacityBelowOne_AndNoClock()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => new CredentialCache(_time, TimeSpan.FromTicks(-1)), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new CredentialCache(_time, TimeToLive, capacity: 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new CredentialCache(null!, TimeToLive), Throws.ArgumentNullException);
            Assert.That(() => new CredentialCache(_time, TimeToLive, capacity: 1), Throws.Nothing);
        }
    }

    /// <summary>A clock that moves only when the test moves it.</summary>
    private sealed class SteppedTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
