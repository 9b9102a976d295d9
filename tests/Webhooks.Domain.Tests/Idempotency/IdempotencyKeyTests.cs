using Webhooks.Domain.Idempotency;

namespace Webhooks.Domain.Tests.Idempotency;

/// <summary>An <c>Idempotency-Key</c>: 1 to <see cref="IdempotencyRecord.MaxKeyLength"/> visible ASCII characters, with its request's hash.</summary>
public sealed class IdempotencyKeyTests
{
    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static readonly TestCaseData[] Accepted =
    [
        new TestCaseData("a").SetName("one character"),
        new TestCaseData(new string('k', IdempotencyRecord.MaxKeyLength)).SetName("the longest key"),
        new TestCaseData("!").SetName("the lowest visible character"),
        new TestCaseData("~").SetName("the highest visible character"),
        new TestCaseData("create-ops-endpoint:2026-12-04T10:00:00Z").SetName("punctuation"),
    ];

    private static readonly TestCaseData[] Refused =
    [
        new TestCaseData(string.Empty).SetName("empty"),
        new TestCaseData(new string('k', IdempotencyRecord.MaxKeyLength + 1)).SetName("one character too long"),
        new TestCaseData("a b").SetName("a space"),
        new TestCaseData("a\u007fb").SetName("DEL"),
        new TestCaseData("a\tb").SetName("a control character"),
        new TestCaseData("clé").SetName("non-ASCII"),
    ];

    [TestCaseSource(nameof(Accepted))]
    public void Create_WhenVisibleAsciiOfAllowedLength_KeepsTheKeyAndTheHash(string key)
    {
        var outcome = IdempotencyKey.Create(key, Hash);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.IsValid, Is.True);
            Assert.That(outcome.Value!.Value, Is.EqualTo(key));
            Assert.That(outcome.Value.RequestHash, Is.EqualTo(Hash));
        }
    }

    [TestCaseSource(nameof(Refused))]
    public void Create_WhenNotVisibleAsciiOrOfWrongLength_IsRefusedWithTheMessage(string key)
    {
        var outcome = IdempotencyKey.Create(key, Hash);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.IsValid, Is.False);
            Assert.That(outcome.Value, Is.Null);
            Assert.That(outcome.Errors, Is.EqualTo(new Dictionary<string, string> { [string.Empty] = IdempotencyKey.InvalidMessage }));
        }
    }

    [Test]
    public void Create_WithoutARequestHash_IsAProgrammingError()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => IdempotencyKey.Create("a", string.Empty), Throws.ArgumentException);
            Assert.That(() => IdempotencyKey.Create("a", null!), Throws.ArgumentNullException);
            Assert.That(() => IdempotencyKey.Create(null!, Hash), Throws.ArgumentNullException);
        }
    }

    [Test]
    public void Keys_AreEqual_WhenKeyAndHashAre()
    {
        var first = IdempotencyKey.Create("k", Hash).Value;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(IdempotencyKey.Create("k", Hash).Value, Is.EqualTo(first));
            Assert.That(IdempotencyKey.Create("K", Hash).Value, Is.Not.EqualTo(first), "keys are case-sensitive");
            Assert.That(IdempotencyKey.Create("k", Hash.Replace('9', '8')).Value, Is.Not.EqualTo(first));
        }
    }
}
