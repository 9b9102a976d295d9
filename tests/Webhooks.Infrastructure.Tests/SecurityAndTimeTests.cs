using System.Globalization;
using Webhooks.Infrastructure.Security;
using Webhooks.Infrastructure.Tests.Support;
using Webhooks.Infrastructure.Time;

namespace Webhooks.Infrastructure.Tests;

[TestFixture]
public sealed class Sha256SecretHasherTests
{
    private readonly Sha256SecretHasher _hasher = new();

    [TestCase("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [TestCase("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void Hash_IsLowerCaseHexSha256(string secret, string expected)
    {
        Assert.That(_hasher.Hash(secret), Is.EqualTo(expected));
    }

    [Test]
    public void Hash_UsesUtf8()
    {
        // SHA-256 of the UTF-8 bytes C3 A9 ("é"), not of its UTF-16 or Latin-1 form.
        Assert.That(_hasher.Hash("\u00e9"), Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new byte[] { 0xC3, 0xA9 }))));
    }

    [Test]
    public void Hash_Is64CharactersAndFitsTheKeyHashColumn()
    {
        var hash = _hasher.Hash("am_live_" + new string('x', 40));

        Assert.That(hash, Does.Match("^[0-9a-f]{64}$"));
    }

    [Test]
    public void Hash_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => _hasher.Hash(null!));
    }
}

[TestFixture]
public sealed class SystemClockTests
{
    [Test]
    public void UtcNow_TruncatesToWholeSeconds()
    {
        var clock = new SystemClock(new FixedTimeProvider(new DateTimeOffset(2026, 4, 1, 12, 30, 45, TimeSpan.Zero).AddTicks(9_999_999)));

        Assert.That(clock.UtcNow, Is.EqualTo(new DateTimeOffset(2026, 4, 1, 12, 30, 45, TimeSpan.Zero)));
    }

    [Test]
    public void UtcNow_IsInUtcWhateverTheProvidersOffset()
    {
        var clock = new SystemClock(new FixedTimeProvider(new DateTimeOffset(2026, 4, 1, 14, 30, 45, 500, TimeSpan.FromHours(2))));

        var now = clock.UtcNow;

        Assert.Multiple(() =>
        {
            Assert.That(now.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(now.ToString("O", CultureInfo.InvariantCulture), Is.EqualTo("2026-04-01T12:30:45.0000000+00:00"));
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

        Assert.That(clock.UtcNow - first, Is.EqualTo(TimeSpan.FromSeconds(61)));
    }
}
