using Webhooks.Domain.Idempotency;
using static Webhooks.Domain.Tests.TestData;

namespace Webhooks.Domain.Tests.Idempotency;

public sealed class IdempotencyRecordTests
{
    private const string Key = "create-ops-endpoint-1";
    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private const string Response = "protected:{\"id\":\"...\"}";

    [Test]
    public void Create_KeepsEveryValue()
    {
        var record = IdempotencyRecord.Create(OrgId, Key, Hash, Response, CreatedAt);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.OrgId, Is.EqualTo(OrgId));
            Assert.That(record.Key, Is.EqualTo(Key));
            Assert.That(record.RequestHash, Is.EqualTo(Hash));
            Assert.That(record.ProtectedResponse, Is.EqualTo(Response));
            Assert.That(record.CreatedAt, Is.EqualTo(CreatedAt));
        }
    }

    [Test]
    public void Lifetime_Is24Hours()
    {
        Assert.That(IdempotencyRecord.Lifetime, Is.EqualTo(TimeSpan.FromHours(24)));
    }

    [Test]
    public void MaxKeyLength_Is255()
    {
        Assert.That(IdempotencyRecord.MaxKeyLength, Is.EqualTo(255));
    }

    [TestCase(0, false)]
    [TestCase(1, false)]
    [TestCase(24 * 60 * 60 * 1000 - 1, false)]
    [TestCase(24 * 60 * 60 * 1000, true)]
    [TestCase(24 * 60 * 60 * 1000 + 1, true)]
    [TestCase(48 * 60 * 60 * 1000, true)]
    public void IsExpired_FromExactly24HoursAfterCreation(int millisecondsLater, bool expired)
    {
        var record = IdempotencyRecord.Create(OrgId, Key, Hash, Response, CreatedAt);

        Assert.That(record.IsExpired(CreatedAt.AddMilliseconds(millisecondsLater)), Is.EqualTo(expired));
    }

    [Test]
    public void IsExpired_ComparesInstantsWhateverTheOffset()
    {
        var record = IdempotencyRecord.Create(OrgId, Key, Hash, Response, CreatedAt);
        var almostADayLaterInParis = CreatedAt.AddHours(24).AddTicks(-1).ToOffset(TimeSpan.FromHours(2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.IsExpired(almostADayLaterInParis), Is.False);
            Assert.That(record.IsExpired(almostADayLaterInParis.AddTicks(1)), Is.True);
        }
    }

    [Test]
    public void IsForSameRequest_WhenHashIsEqual_IsTrue()
    {
        var record = IdempotencyRecord.Create(OrgId, Key, Hash, Response, CreatedAt);

        Assert.That(record.IsForSameRequest(string.Concat(Hash.AsSpan(0, 32), Hash.AsSpan(32))), Is.True);
    }

    [TestCase("0f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [TestCase("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08")]
    [TestCase("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0")]
    [TestCase("")]
    public void IsForSameRequest_WhenHashDiffers_IsFalse(string otherHash)
    {
        var record = IdempotencyRecord.Create(OrgId, Key, Hash, Response, CreatedAt);

        Assert.That(record.IsForSameRequest(otherHash), Is.False);
    }

    [TestCase(null, Hash, Response)]
    [TestCase("", Hash, Response)]
    [TestCase(Key, null, Response)]
    [TestCase(Key, "", Response)]
    [TestCase(Key, Hash, null)]
    [TestCase(Key, Hash, "")]
    public void Create_WhenAValueIsMissing_Throws(string? key, string? hash, string? response)
    {
        Assert.That(() => IdempotencyRecord.Create(OrgId, key!, hash!, response!, CreatedAt), Throws.InstanceOf<ArgumentException>());
    }
}
