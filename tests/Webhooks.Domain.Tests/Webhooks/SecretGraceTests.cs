namespace Webhooks.Domain.Tests.Webhooks;

public sealed class SecretGraceTests
{
    [TestCase(0L)]
    [TestCase(1L)]
    [TestCase(SecretGrace.DefaultSeconds)]
    [TestCase(SecretGrace.MaxSeconds)]
    public void FromSeconds_InRange_IsThatLong(long seconds)
    {
        Assert.That(SecretGrace.FromSeconds(seconds).Value!.Duration, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase(-1L)]
    [TestCase(SecretGrace.MaxSeconds + 1)]
    [TestCase(long.MinValue)]
    [TestCase(long.MaxValue)]
    public void FromSeconds_OutOfRange_IsRefused(long seconds)
    {
        Assert.That(SecretGrace.FromSeconds(seconds).Errors, Is.EqualTo(new Dictionary<string, string> { [string.Empty] = SecretGrace.OutOfRangeMessage }));
    }

    [Test]
    public void Default_IsOneDay()
    {
        Assert.That(SecretGrace.Default.Duration, Is.EqualTo(TimeSpan.FromDays(1)));
    }
}
