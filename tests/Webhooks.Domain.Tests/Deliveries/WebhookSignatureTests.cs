using System.Security.Cryptography;
using System.Text;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Domain.Tests.Deliveries;

/// <summary>Standard Webhooks signatures, exactly as the contract's test vector and the reference libraries have them.</summary>
public sealed class WebhookSignatureTests
{
    // The contract's test vector (the one Standard Webhooks and Svix publish).
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorBody = """{"test": 2432232314}""";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static readonly byte[] Body = Encoding.UTF8.GetBytes(VectorBody);

    [Test]
    public void Sign_TheContractsTestVector_GivesItsSignature() =>
        Assert.That(WebhookSignature.Sign(VectorSecret, VectorId, VectorTimestamp, Body), Is.EqualTo(VectorSignature));

    [Test]
    public void Sign_WithTwoSecrets_GivesOneEntryForEach_InOrder_SeparatedByASpace()
    {
        var other = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

        var header = WebhookSignature.Sign([other, VectorSecret], VectorId, VectorTimestamp, Body);

        Assert.That(header.Split(' '), Is.EqualTo(new[]
        {
            WebhookSignature.Sign(other, VectorId, VectorTimestamp, Body),
            VectorSignature,
        }));
    }

    [Test]
    public void Sign_IsTheHmacOfIdTimestampAndBody_KeyedWithTheDecodedSecret()
    {
        var key = Convert.FromBase64String(VectorSecret["whsec_".Length..]);
        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{VectorId}.{VectorTimestamp}.{VectorBody}"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(WebhookSignature.Key(VectorSecret), Is.EqualTo(key));
            Assert.That("v1," + Convert.ToBase64String(expected), Is.EqualTo(VectorSignature));
        }
    }

    private static readonly TestCaseData[] Changed =
    [
        new TestCaseData(VectorId + "x", VectorTimestamp, VectorBody).SetName("another message id"),
        new TestCaseData(VectorId, VectorTimestamp + 1, VectorBody).SetName("another timestamp"),
        new TestCaseData(VectorId, VectorTimestamp, VectorBody.Replace(" ", string.Empty, StringComparison.Ordinal)).SetName("the same JSON in other bytes"),
    ];

    [TestCaseSource(nameof(Changed))]
    public void Sign_SignsEveryPartOfTheContent(string id, long timestamp, string body) =>
        Assert.That(WebhookSignature.Sign(VectorSecret, id, timestamp, Encoding.UTF8.GetBytes(body)), Is.Not.EqualTo(VectorSignature));

    [TestCase("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", TestName = "no whsec_ prefix")]
    [TestCase("whsec_", TestName = "nothing after the prefix")]
    [TestCase("whsec_not base64!", TestName = "not base64")]
    [TestCase("WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", TestName = "the prefix in upper case")]
    public void Sign_WithAMalformedSecret_IsRefused(string secret) =>
        Assert.That(() => WebhookSignature.Sign(secret, VectorId, VectorTimestamp, Body), Throws.ArgumentException);

    [Test]
    public void Sign_WithoutASecretOrAMessageId_IsRefused()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => WebhookSignature.Sign(Array.Empty<string>(), VectorId, VectorTimestamp, Body), Throws.ArgumentException);
            Assert.That(() => WebhookSignature.Sign(VectorSecret, string.Empty, VectorTimestamp, Body), Throws.ArgumentException);
        }
    }
}
