using System.Text.RegularExpressions;
using Webhooks.Application.Webhooks;

namespace Webhooks.Application.Tests.Webhooks;

public sealed class SigningSecretsTests
{
    private static readonly Regex Format = new("^whsec_[A-Za-z0-9+/]{43}=$", RegexOptions.None, TimeSpan.FromSeconds(1));

    [Test]
    public void New_ThenIsWhsecAndStandardBase64Of32Bytes()
    {
        var secret = SigningSecrets.New();

        Assert.That(secret, Does.Match(Format));
        Assert.That(Convert.FromBase64String(secret[SigningSecrets.Prefix.Length..]), Has.Length.EqualTo(32));
    }

    [Test]
    public void New_WhenCalledManyTimes_ThenEveryOneHasTheFormatAndNoneRepeats()
    {
        var secrets = Enumerable.Range(0, 500).Select(_ => SigningSecrets.New()).ToList();

        Assert.That(secrets, Is.All.Match(Format));
        Assert.That(secrets, Is.Unique);
    }

    [Test]
    public void New_WhenCalledManyTimes_ThenTheBytesLookRandom()
    {
        // 500 x 32 bytes: each of the 256 values is expected ~62 times; a constant or counter-like
        // generator would leave most values unused.
        var bytes = Enumerable.Range(0, 500).SelectMany(_ => Convert.FromBase64String(SigningSecrets.New()[SigningSecrets.Prefix.Length..])).ToList();

        Assert.That(bytes.Distinct().Count(), Is.EqualTo(256));
    }

    [Test]
    public void Prefix_IsWhsec()
    {
        Assert.That(SigningSecrets.Prefix, Is.EqualTo("whsec_"));
    }
}
