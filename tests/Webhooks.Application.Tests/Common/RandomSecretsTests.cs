using System.Buffers.Text;
using System.Text.RegularExpressions;
using Webhooks.Application.Common;

namespace Webhooks.Application.Tests.Common;

/// <summary>Every secret the service issues comes from <see cref="RandomSecrets"/>: 32 random bytes behind the secret's prefix.</summary>
public sealed class RandomSecretsTests
{
    private static IEnumerable<TestCaseData> Kinds()
    {
        yield return new TestCaseData(new Func<string>(RandomSecrets.ApiKey), "^am_live_[A-Za-z0-9_-]{43}$", "am_live_", new Func<string, byte[]>(text => Base64Url.DecodeFromChars(text)))
            .SetName("ApiKey_IsAmLiveAndBase64UrlOf32Bytes");
        yield return new TestCaseData(new Func<string>(RandomSecrets.ClientSecret), "^cs_live_[A-Za-z0-9_-]{43}$", "cs_live_", new Func<string, byte[]>(text => Base64Url.DecodeFromChars(text)))
            .SetName("ClientSecret_IsCsLiveAndBase64UrlOf32Bytes");
        yield return new TestCaseData(new Func<string>(RandomSecrets.SigningSecret), "^whsec_[A-Za-z0-9+/]{43}=$", RandomSecrets.SigningSecretPrefix, new Func<string, byte[]>(Convert.FromBase64String))
            .SetName("SigningSecret_IsWhsecAndStandardBase64Of32Bytes");
    }

    [TestCaseSource(nameof(Kinds))]
    public void Secret_WhenIssuedManyTimes_ThenEveryOneHasTheFormatNoneRepeatsAndTheBytesLookRandom(
        Func<string> issue, string pattern, string prefix, Func<string, byte[]> decode)
    {
        var secrets = Enumerable.Range(0, 500).Select(_ => issue()).ToList();

        Assert.That(secrets, Is.All.Match(new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1))));
        Assert.That(secrets, Is.Unique);
        var bytes = secrets.Select(secret => decode(secret[prefix.Length..])).ToList();
        Assert.That(bytes, Is.All.Length.EqualTo(RandomSecrets.ByteLength));

        // 500 x 32 bytes: each of the 256 values is expected ~62 times; a constant or counter-like
        // generator would leave most values unused.
        Assert.That(bytes.SelectMany(b => b).Distinct().Count(), Is.EqualTo(256));
    }

    [Test]
    public void SigningSecretPrefix_IsWhsec() => Assert.That(RandomSecrets.SigningSecretPrefix, Is.EqualTo("whsec_"));
}
