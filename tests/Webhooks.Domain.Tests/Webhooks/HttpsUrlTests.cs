using Webhooks.Domain.Webhooks;

namespace Webhooks.Domain.Tests.Webhooks;

public sealed class HttpsUrlTests
{
    private const string WhiteSpaceMessage = "must not contain white space, control characters or backslashes";
    private const string AbsoluteMessage = "must be an absolute https URL";

    [TestCase("https://hooks.example.com/y3labs/ops", "https://hooks.example.com/y3labs/ops")]
    [TestCase("HTTPS://hooks.example.com/y3labs/ops", "https://hooks.example.com/y3labs/ops")]
    [TestCase("Https://hooks.example.com/x", "https://hooks.example.com/x")]
    [TestCase("hTtPs://hooks.example.com/x", "https://hooks.example.com/x")]
    [TestCase("https://HOOKS.Example.COM/x", "https://hooks.example.com/x")]
    [TestCase("https://bücher.example/x", "https://xn--bcher-kva.example/x")]
    [TestCase("https://BÜCHER.example/x", "https://xn--bcher-kva.example/x")]
    [TestCase("https://münchen.de/", "https://xn--mnchen-3ya.de/")]
    [TestCase("https://xn--bcher-kva.example/x", "https://xn--bcher-kva.example/x")]
    [TestCase("https://hooks.example.com:8443/x", "https://hooks.example.com:8443/x")]
    [TestCase("https://hooks.example.com:443/x", "https://hooks.example.com/x")]
    [TestCase("https://hooks.example.com:80/x", "https://hooks.example.com:80/x")]
    [TestCase("https://hooks.example.com", "https://hooks.example.com")]
    [TestCase("https://hooks.example.com/", "https://hooks.example.com/")]
    [TestCase("https://hooks.example.com/A/B?Token=AbC&x=1", "https://hooks.example.com/A/B?Token=AbC&x=1")]
    [TestCase("https://hooks.example.com?x=1", "https://hooks.example.com?x=1")]
    [TestCase("https://hooks.example.com/a%20b/%7Euser", "https://hooks.example.com/a%20b/%7Euser")]
    [TestCase("https://hooks.example.com/a/../b/./c", "https://hooks.example.com/a/../b/./c")]
    [TestCase("https://hooks.example.com/path@segment", "https://hooks.example.com/path@segment")]
    [TestCase("https://hooks.example.com/?q=a@b", "https://hooks.example.com/?q=a@b")]
    [TestCase("https://93.184.215.14/hook", "https://93.184.215.14/hook")]
    [TestCase("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]:8443/hook", "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]:8443/hook")]
    [TestCase("  https://hooks.example.com/x  ", "https://hooks.example.com/x")]
    [TestCase("\t\r\nhttps://hooks.example.com/x\n", "https://hooks.example.com/x")]
    [TestCase("\u00a0https://hooks.example.com/x\u2003", "https://hooks.example.com/x")]
    public void Create_WhenUrlFollowsTheHttpsRule_ReturnsTheNormalizedUrl(string raw, string expected)
    {
        var outcome = HttpsUrl.Create(raw);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Errors, Is.Empty);
            Assert.That(outcome.IsValid, Is.True);
            Assert.That(outcome.Value?.Value, Is.EqualTo(expected));
        }
    }

    [TestCase(null, "must not be null")]
    [TestCase("", AbsoluteMessage)]
    [TestCase("   ", AbsoluteMessage)]
    [TestCase("\t\n", AbsoluteMessage)]
    [TestCase("http://hooks.example.com/x", "must use https")]
    [TestCase("HTTP://hooks.example.com/x", "must use https")]
    [TestCase("ftp://hooks.example.com/x", "must use https")]
    [TestCase("wss://hooks.example.com/x", "must use https")]
    [TestCase("mailto:ops@example.com", "must use https")]
    [TestCase("file:///etc/passwd", "must use https")]
    [TestCase("hooks.example.com/x", AbsoluteMessage)]
    [TestCase("webhooks/ops", AbsoluteMessage)]
    [TestCase("https:hooks.example.com/x", AbsoluteMessage)]
    [TestCase("https:/hooks.example.com/x", AbsoluteMessage)]
    [TestCase("https://", AbsoluteMessage)]
    [TestCase("https:///x", AbsoluteMessage)]
    [TestCase("https://user:pw@hooks.example.com/x", "must not contain a user name or password")]
    [TestCase("https://user@hooks.example.com/x", "must not contain a user name or password")]
    [TestCase("https://:pw@hooks.example.com/x", "must not contain a user name or password")]
    [TestCase("https://@hooks.example.com/x", "must not contain a user name or password")]
    [TestCase("https://user:pw@hooks.example.com:8443", "must not contain a user name or password")]
    [TestCase("https://hooks.example.com/x#section", "must not contain a fragment")]
    [TestCase("https://hooks.example.com/x#", "must not contain a fragment")]
    [TestCase("https://hooks.example.com#", "must not contain a fragment")]
    [TestCase("https://hooks.example.com/x?a=1#b", "must not contain a fragment")]
    [TestCase("https://hooks.example.com/a b", WhiteSpaceMessage)]
    [TestCase("https://hooks example.com/", WhiteSpaceMessage)]
    [TestCase("https://hooks.example.com/a\tb", WhiteSpaceMessage)]
    [TestCase("https://hooks.example.com/a\nb", WhiteSpaceMessage)]
    [TestCase("https://hooks.example.com/a\u00a0b", WhiteSpaceMessage)]
    [TestCase("https://hooks.example.com/a\u3000b", WhiteSpaceMessage)]
    [TestCase("https://hooks.example.com\\x", WhiteSpaceMessage)]
    [TestCase("https:\\\\hooks.example.com/x", WhiteSpaceMessage)]
    [TestCase("https://hooks.example.com/a\\b", WhiteSpaceMessage)]
    [TestCase("https://hooks.example.com/a\u0000b", WhiteSpaceMessage)]
    [TestCase("https://hooks.example.com/a\u0007b", WhiteSpaceMessage)]
    [TestCase("https://hooks.example.com/a\u001bb", WhiteSpaceMessage)]
    [TestCase("https://hooks.example.com/a\u007fb", WhiteSpaceMessage)]
    [TestCase("https://hooks.example.com/a\u0085b", WhiteSpaceMessage)]
    public void Create_WhenUrlBreaksTheHttpsRule_ReturnsTheReason(string? raw, string expectedMessage)
    {
        var outcome = HttpsUrl.Create(raw);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.IsValid, Is.False);
            Assert.That(outcome.Value, Is.Null);
            Assert.That(outcome.Errors, Is.EquivalentTo(new Dictionary<string, string> { [string.Empty] = expectedMessage }));
        }
    }

    // Hosts that are not valid IDNA names (System.Uri accepts some and throws from IdnHost on others).
    [TestCase("https://a\u200d.com/")] // a zero-width joiner outside its allowed context
    [TestCase("https://a\u200c.com/")] // a zero-width non-joiner likewise
    [TestCase("https://\u0301a.com/")] // a label that starts with a combining mark
    [TestCase("https://a\u2488.com/")] // a code point IDNA disallows
    [TestCase("https://a\ufffd.com/")]
    [TestCase("https://xn--a.com/")] // malformed punycode
    [TestCase("https://xn--bcher-kvb.example/")] // punycode that decodes to an invalid label
    [TestCase("https://XN--A.com/")]
    [TestCase("https://-hooks.example.com/")] // a leading hyphen
    [TestCase("https://hooks-.example.com/")] // a trailing hyphen
    [TestCase("https://hooks.ex\u200dample.com:8443/x")]
    public void Create_WhenHostIsNoValidIdnaName_RefusesItWithTheHostMessage(string raw)
    {
        var outcome = HttpsUrl.Create(raw);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.IsValid, Is.False);
            Assert.That(outcome.Errors, Is.EquivalentTo(new Dictionary<string, string> { [string.Empty] = UrlPolicy.InvalidHostMessage }));
        }
    }

    [Test]
    public void Create_WhenALabelIsLongerThan63Characters_RefusesIt()
    {
        Assert.Multiple(() =>
        {
            Assert.That(HttpsUrl.Create($"https://{new string('a', 63)}.example.com/").IsValid, Is.True);
            Assert.That(HttpsUrl.Create($"https://{new string('a', 64)}.example.com/").Errors.Values, Is.EqualTo(new[] { UrlPolicy.InvalidHostMessage }));
        });
    }

    [TestCase("https://127.0.0.09/hook")]
    [TestCase("https://10.0.0.08/hook")]
    [TestCase("https://１２７.０.０.０９/hook")] // full-width digits become ASCII first
    [TestCase("https://hooks.example.123/hook")]
    [TestCase("https://1.2.3.4.5/hook")]
    public void Create_WhenHostEndsInANumberButIsNoIPv4Address_RefusesIt(string raw)
    {
        Assert.That(HttpsUrl.Create(raw).Errors, Is.EquivalentTo(new Dictionary<string, string> { [string.Empty] = UrlPolicy.InvalidHostMessage }));
    }

    [TestCase("https://_dmarc.example.com/x", "https://_dmarc.example.com/x")] // an underscore is not an IDNA error
    [TestCase("https://ab--cd.example.com/x", "https://ab--cd.example.com/x")]
    [TestCase("https://\u00df.example/x", "https://xn--zca.example/x")]
    [TestCase("https://hooks.example.com./x", "https://hooks.example.com./x")]
    public void Create_WhenHostIsAnUnusualButValidName_KeepsIt(string raw, string expected)
    {
        Assert.That(HttpsUrl.Create(raw).Value?.Value, Is.EqualTo(expected));
    }

    // A path starting with '/' is an absolute file path to System.Uri on Unix (file:///...); the rule
    // looks for a scheme first, so the message is the same on every platform.
    [TestCase("/webhooks/ops")]
    [TestCase("//hooks.example.com/x")]
    public void Create_WhenUrlIsARootedPath_RefusesIt(string raw)
    {
        var outcome = HttpsUrl.Create(raw);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.IsValid, Is.False);
            Assert.That(outcome.Errors.Keys, Is.EqualTo(new[] { string.Empty }));
            Assert.That(outcome.Errors.Values.Single(), Is.EqualTo(AbsoluteMessage));
        }
    }

    [TestCase(2048, true)]
    [TestCase(2047, true)]
    [TestCase(2049, false)]
    [TestCase(5000, false)]
    public void Create_WhenUrlHasGivenLength_AcceptsAtMost2048Characters(int length, bool accepted)
    {
        var raw = UrlOfLength(length);

        var outcome = HttpsUrl.Create(raw);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(raw, Has.Length.EqualTo(length));
            Assert.That(outcome.IsValid, Is.EqualTo(accepted));
            if (accepted)
            {
                Assert.That(outcome.Value?.Value, Is.EqualTo(raw));
            }
            else
            {
                Assert.That(outcome.Errors, Is.EquivalentTo(new Dictionary<string, string> { [string.Empty] = "must be at most 2048 characters" }));
            }
        }
    }

    [Test]
    public void Create_When2048CharactersAreSurroundedByWhiteSpace_TrimsBeforeMeasuring()
    {
        var raw = UrlOfLength(2048);

        var outcome = HttpsUrl.Create("  " + raw + "\n");

        Assert.That(outcome.Value?.Value, Is.EqualTo(raw));
    }

    [Test]
    public void Create_WhenPunycodeMakesTheUrlLongerThan2048_RefusesIt()
    {
        // 2048 characters as sent; the ASCII form of the host is longer.
        const string prefix = "https://bücher.example/";
        var raw = prefix + new string('a', 2048 - prefix.Length);

        var outcome = HttpsUrl.Create(raw);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(raw, Has.Length.EqualTo(2048));
            Assert.That(outcome.Errors, Is.EquivalentTo(new Dictionary<string, string> { [string.Empty] = "must be at most 2048 characters" }));
        }
    }

    [Test]
    public void Create_WhenTwoSpellingsNormalizeAlike_ReturnsEqualValues()
    {
        var first = HttpsUrl.Create("HTTPS://Hooks.Example.com:443/x").Value;
        var second = HttpsUrl.Create(" https://hooks.example.com/x ").Value;

        Assert.That(first, Is.EqualTo(second));
    }

    [Test]
    public void ToString_WhenCreated_ReturnsTheStoredForm()
    {
        var url = HttpsUrl.Create("HTTPS://HOOKS.example.com/Ops").Value;

        Assert.That(url?.ToString(), Is.EqualTo("https://hooks.example.com/Ops"));
    }

    [Test]
    public void FromStored_WhenGivenAStoredValue_KeepsItAsIs()
    {
        var url = HttpsUrl.FromStored("https://hooks.example.com/y3labs/ops");

        Assert.That(url.Value, Is.EqualTo("https://hooks.example.com/y3labs/ops"));
    }

    private static string UrlOfLength(int length)
    {
        const string prefix = "https://hooks.example.com/";
        return prefix + new string('a', length - prefix.Length);
    }
}
