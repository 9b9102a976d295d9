namespace Webhooks.Domain.Tests.Webhooks;

public sealed class HttpsUrlTests
{
    private const string WhiteSpaceMessage = HttpsUrl.WhiteSpaceMessage;
    private const string AbsoluteMessage = HttpsUrl.NotAbsoluteMessage;
    private const string HttpsMessage = HttpsUrl.NotHttpsMessage;
    private const string UserInfoMessage = HttpsUrl.UserInfoMessage;
    private const string FragmentMessage = HttpsUrl.FragmentMessage;

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

    [TestCase(null, HttpsUrl.NullMessage)]
    [TestCase("", AbsoluteMessage)]
    [TestCase("   ", AbsoluteMessage)]
    [TestCase("\t\n", AbsoluteMessage)]
    [TestCase("http://hooks.example.com/x", HttpsMessage)]
    [TestCase("HTTP://hooks.example.com/x", HttpsMessage)]
    [TestCase("ftp://hooks.example.com/x", HttpsMessage)]
    [TestCase("wss://hooks.example.com/x", HttpsMessage)]
    [TestCase("mailto:ops@example.com", HttpsMessage)]
    [TestCase("file:///etc/passwd", HttpsMessage)]
    [TestCase("hooks.example.com/x", AbsoluteMessage)]
    [TestCase("webhooks/ops", AbsoluteMessage)]
    [TestCase("https:hooks.example.com/x", AbsoluteMessage)]
    [TestCase("https:/hooks.example.com/x", AbsoluteMessage)]
    [TestCase("https://", AbsoluteMessage)]
    [TestCase("https:///x", AbsoluteMessage)]
    [TestCase("https://user:pw@hooks.example.com/x", UserInfoMessage)]
    [TestCase("https://user@hooks.example.com/x", UserInfoMessage)]
    [TestCase("https://:pw@hooks.example.com/x", UserInfoMessage)]
    [TestCase("https://@hooks.example.com/x", UserInfoMessage)]
    [TestCase("https://user:pw@hooks.example.com:8443", UserInfoMessage)]
    [TestCase("https://hooks.example.com/x#section", FragmentMessage)]
    [TestCase("https://hooks.example.com/x#", FragmentMessage)]
    [TestCase("https://hooks.example.com#", FragmentMessage)]
    [TestCase("https://hooks.example.com/x?a=1#b", FragmentMessage)]
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
    [TestCase("/webhooks/ops", AbsoluteMessage)] // a rooted path is a file URL to System.Uri on Unix: the rule looks for a scheme first
    [TestCase("//hooks.example.com/x", AbsoluteMessage)]
    [TestCase("https://localhost../hook", AbsoluteMessage)] // System.Uri parses no host with two trailing dots: refused before the policy is asked
    [TestCase("https://a.localhost../hook", AbsoluteMessage)]
    [TestCase("http://localhost/hook", HttpsMessage)] // a URL that breaks an earlier rule too gets only the first reason
    [TestCase("https://user:pw@localhost/hook", UserInfoMessage)]
    [TestCase("https://localhost/hook#x", FragmentMessage)]
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

    [TestCase("https://_dmarc.example.com/x", "https://_dmarc.example.com/x")] // an underscore is not an IDNA error
    [TestCase("https://ab--cd.example.com/x", "https://ab--cd.example.com/x")]
    [TestCase("https://\u00df.example/x", "https://xn--zca.example/x")]
    [TestCase("https://hooks.example.com./x", "https://hooks.example.com./x")]
    public void Create_WhenHostIsAnUnusualButValidName_KeepsIt(string raw, string expected)
    {
        Assert.That(HttpsUrl.Create(raw).Value?.Value, Is.EqualTo(expected));
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
                Assert.That(outcome.Errors, Is.EquivalentTo(new Dictionary<string, string> { [string.Empty] = HttpsUrl.TooLongMessage }));
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
            Assert.That(outcome.Errors, Is.EquivalentTo(new Dictionary<string, string> { [string.Empty] = HttpsUrl.TooLongMessage }));
        }
    }

    [TestCase("https://localhost/hook")]
    [TestCase("https://10.0.0.1/hook")]
    [TestCase("https://[fd00::1]/hook")]
    public void Create_WhenPolicyIsOmitted_AppliesThePublicInternetOnlyPolicy(string raw)
    {
        var withoutPolicy = HttpsUrl.Create(raw);
        var withDefault = HttpsUrl.Create(raw, UrlPolicy.PublicInternetOnly);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(withoutPolicy.IsValid, Is.False);
            Assert.That(withoutPolicy.Errors, Is.EquivalentTo(withDefault.Errors));
        }
    }

    [Test]
    public void Create_WhenPolicyIsNull_Throws()
    {
        Assert.That(() => HttpsUrl.Create("https://hooks.example.com/", null!), Throws.ArgumentNullException);
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
