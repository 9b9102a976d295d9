namespace Webhooks.Domain.Tests.Webhooks;

/// <summary>
/// The server-side-request-forgery rule (<see cref="UrlPolicy"/>) in one table: each host spelling and
/// what the rule says about it. A row is tried as the host of a URL through
/// <see cref="HttpsUrl.Create(string?)"/> (the path every surface takes), as an ASCII host through
/// <see cref="UrlPolicy.Check"/>, or both: a row is on one path only when the other cannot take it
/// (a port or non-ASCII spelling is no ASCII host; System.Uri does not parse some spellings).
/// </summary>
public sealed class UrlPolicyTests
{
    private const string Localhost = UrlPolicy.LocalhostMessage;
    private const string NonPublic = UrlPolicy.NonPublicAddressMessage;
    private const string InvalidHost = UrlPolicy.InvalidHostMessage;

    /// <summary>The paths a row is tried on.</summary>
    [Flags]
    public enum Via
    {
        Url = 1,
        Policy = 2,
        Both = Url | Policy,
    }

    /// <summary>One row: a host as sent, the refusal (<c>null</c>: accepted), and the host as a URL stores it when accepted.</summary>
    public sealed record Host(string Spelling, string? Refusal, Via Via = Via.Both, string? Stored = null, string Why = "")
    {
        public override string ToString() => string.IsNullOrEmpty(Why) ? Spelling : $"{Spelling} ({Why})";
    }

    private static readonly Host[] Table =
    [
        // localhost and names under it, in any case, with trailing dots and IDNA-mapped spellings
        new("localhost", Localhost),
        new("LOCALHOST", Localhost),
        new("LocalHost", Localhost),
        new("localhost.", Localhost),
        new("LOCALHOST.", Localhost),
        new("localhost...", Localhost, Via.Policy, Why: "System.Uri parses no host with two trailing dots"),
        new("localhost:8443", Localhost, Via.Url, Why: "with a port"),
        new("a.localhost", Localhost),
        new("a.b.localhost.", Localhost),
        new("x.y.localhost..", Localhost, Via.Policy),
        new("API.LOCALHOST", Localhost),
        new("localhost\u3002", Localhost, Via.Url, Why: "ideographic full stop: a dot to IDNA"),
        new("\u24db\u24de\u24d2\u24d0\u24db\u24d7\u24de\u24e2\u24e3", Localhost, Via.Url, Why: "circled letters: localhost after IDNA mapping"),

        // loopback, unspecified and private IPv4 in every spelling a URL parser accepts
        new("127.0.0.1", NonPublic),
        new("127.0.0.1.", NonPublic),
        new("127.0.0.1..", NonPublic, Via.Policy),
        new("127.0.0.1:8443", NonPublic, Via.Url),
        new("127.1", NonPublic),
        new("2130706433", NonPublic),
        new("0x7f000001", NonPublic),
        new("0X7F000001", NonPublic),
        new("0x7f.1", NonPublic),
        new("0x7f.0.1", NonPublic),
        new("0X7F.0.0.1", NonPublic),
        new("0x7f.0x0.0x0.0x1", NonPublic),
        new("0x0000007f.1", NonPublic),
        new("0177.0.0.1", NonPublic),
        new("00000000177.1", NonPublic),
        new("017700000001", NonPublic),
        new("\uFF10x7f.0.0.1", NonPublic, Via.Url, Why: "full-width 0 of 0x7f"),
        new("\uFF11\uFF12\uFF17.0.0.1", NonPublic, Via.Url, Why: "full-width 127"),
        new("127\u30020\u30020\u30021", NonPublic, Via.Url, Why: "ideographic full stops"),
        new("0", NonPublic),
        new("0x", NonPublic),
        new("00", NonPublic),
        new("0.0.0.0", NonPublic),
        new("10.0.0.1", NonPublic),
        new("10.1", NonPublic, Why: "10.0.0.1"),
        new("167772161", NonPublic, Why: "10.0.0.1"),
        new("172.16.0.1", NonPublic),
        new("172.31.255.255", NonPublic),
        new("192.168.1.1", NonPublic),
        new("100.64.0.1", NonPublic),
        new("100.127.255.255", NonPublic),
        new("169.254.169.254", NonPublic),
        new("169.254.169.254.", NonPublic),
        new("169.254.43518", NonPublic, Why: "169.254.169.254"),
        new("0xa9.0xfe.0xa9.0xfe", NonPublic, Why: "169.254.169.254"),
        new("0251.0376.0251.0376", NonPublic, Why: "169.254.169.254"),
        new("2852039166", NonPublic, Why: "169.254.169.254"),
        new("224.0.0.1", NonPublic),
        new("239.255.255.255", NonPublic),
        new("255.255.255.255", NonPublic),
        new("4294967295", NonPublic, Why: "255.255.255.255 as one decimal number"),
        new("240.0.0.1", NonPublic),
        new("198.18.0.1", NonPublic),
        new("192.0.2.1", NonPublic),

        // non-public IPv6, and IPv4 hidden in IPv6
        new("[::]", NonPublic),
        new("[::1]", NonPublic),
        new("[::1]:8443", NonPublic, Via.Url),
        new("[0:0:0:0:0:0:0:1]", NonPublic),
        new("[::ffff:127.0.0.1]", NonPublic),
        new("[0:0:0:0:0:ffff:7f00:1]", NonPublic),
        new("[::ffff:a00:1]", NonPublic, Why: "IPv4-mapped 10.0.0.1"),
        new("[::ffff:169.254.169.254]", NonPublic),
        new("[::10.0.0.1]", NonPublic, Why: "IPv4-compatible"),
        new("[::8.8.8.8]", NonPublic, Why: "IPv4-compatible is deprecated: refused even for a public address"),
        new("[::ffff:0:7f00:1]", NonPublic, Why: "IPv4-translated"),
        new("[64:ff9b::a00:1]", NonPublic, Why: "NAT64 of 10.0.0.1"),
        new("[64:ff9b::7f00:1]", NonPublic, Why: "NAT64 of 127.0.0.1"),
        new("[64:ff9b::a9fe:a9fe]", NonPublic, Why: "NAT64 of 169.254.169.254"),
        new("[64:ff9b:1::1]", NonPublic, Why: "local-use NAT64"),
        new("[64:ff9b:0:0:1::808:808]", NonPublic, Why: "in 64:ff9b::/32 outside the /96 NAT64 prefix"),
        new("[2002:a00:1::1]", NonPublic, Why: "6to4 of 10.0.0.1"),
        new("[2002:7f00:1::]", NonPublic, Why: "6to4 of 127.0.0.1"),
        new("[fe80::1]", NonPublic),
        new("[fe80::1%25eth0]", NonPublic),
        new("[fe80::1%eth0]", NonPublic, Via.Policy, Why: "a zone id as the parser hands it over"),
        new("[fc00::1]", NonPublic),
        new("[fd12:3456::1]", NonPublic),
        new("[fec0::1]", NonPublic),
        new("[ff02::1]", NonPublic),
        new("[2001:db8::1]", NonPublic),
        new("[2001::1]", NonPublic, Why: "Teredo"),
        new("[100::1]", NonPublic, Why: "discard"),

        // WHATWG's "ends in a number": such a host must be an IPv4 address; if it is not one, some
        // resolvers still read it as one (127.0.0.09 as 127.0.0.9)
        new("127.0.0.09", InvalidHost, Why: "not octal"),
        new("10.0.0.08", InvalidHost),
        new("\uFF11\uFF12\uFF17.\uFF10.\uFF10.\uFF10\uFF19", InvalidHost, Via.Url, Why: "full-width digits become ASCII first"),
        new("08.8.8.8", InvalidHost),
        new("0xg.1", InvalidHost, Why: "not hex"),
        new("256.1.1.1", InvalidHost, Why: "a part above 255"),
        new("1.2.3.4.5", InvalidHost, Why: "five parts"),
        new("1.2.3.4.5.", InvalidHost),
        new("1.2.3.256", InvalidHost, Why: "the last of four parts above 255"),
        new("1.16777216", InvalidHost, Why: "the last of two parts above 24 bits"),
        new("4294967296", InvalidHost, Why: "above 32 bits"),
        new("99999999999999999999999", InvalidHost, Why: "above 64 bits"),
        new("0x100000000", InvalidHost),
        new("0xffffffffffffffffffffffff", InvalidHost),
        new("1..1", InvalidHost, Via.Policy, Why: "an empty part"),
        new("hooks.example.123", InvalidHost),
        new("hooks.example.0x", InvalidHost),
        new("hooks.example.0x1f", InvalidHost),

        // public addresses and names, including names that only look like the ones refused
        new("8.8.8.8", null),
        new("1.1.1.1", null),
        new("100.63.255.255", null),
        new("100.128.0.1", null),
        new("172.15.255.255", null),
        new("172.32.0.1", null),
        new("192.169.0.1", null),
        new("169.253.0.1", null),
        new("134744072", null, Stored: "8.8.8.8"),
        new("0x8080808", null, Stored: "8.8.8.8"),
        new("0x08.8.8.8", null, Stored: "8.8.8.8"),
        new("0X08.8.8.8", null, Stored: "8.8.8.8"),
        new("010.010.010.010", null, Stored: "8.8.8.8"),
        new("8.8.2056", null, Stored: "8.8.8.8"),
        new("8.526344", null, Stored: "8.8.8.8"),
        new("[2606:4700::1111]", null),
        new("[2606:4700:0:0:0:0:0:1111]", null, Stored: "[2606:4700::1111]"),
        new("[64:ff9b::808:808]", null, Why: "NAT64 of 8.8.8.8"),
        new("[2002:808:808::1]", null, Why: "6to4 of 8.8.8.8"),
        new("[::ffff:8.8.8.8]", null),
        new("hooks.example.com", null),
        new("hooks.example.com.", null),
        new("localhost.example.com", null),
        new("localhost-api.example.com", null),
        new("mylocalhost", null),
        new("localhostx", null),
        new("xlocalhost", null),
        new("1e100.net", null),
        new("hooks.0xg", null, Why: "the last label is no hex number"),
        new("hooks.x0", null),
        new("8.8.8.8.example", null, Why: "numbers, but not in the last label"),
        new("0xg.example", null),
        new("123.example.com", null),
    ];

    private static IEnumerable<TestCaseData> RefusedUrls() => Rows(Via.Url, refused: true);

    private static IEnumerable<TestCaseData> AcceptedUrls() => Rows(Via.Url, refused: false);

    private static IEnumerable<TestCaseData> PolicyRows() => Table.Where(h => h.Via.HasFlag(Via.Policy)).Select(h => new TestCaseData(h).SetArgDisplayNames(h.ToString()));

    [TestCaseSource(nameof(RefusedUrls))]
    public void Create_WhenHostIsLocalNonPublicOrNoAddress_RefusesItWithTheReason(Host host)
    {
        var outcome = HttpsUrl.Create("https://" + host.Spelling + "/hook");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.IsValid, Is.False);
            Assert.That(outcome.Value, Is.Null);
            Assert.That(outcome.Errors, Is.EquivalentTo(new Dictionary<string, string> { [string.Empty] = host.Refusal! }));
        }
    }

    [TestCaseSource(nameof(AcceptedUrls))]
    public void Create_WhenHostIsPublicOrAName_AcceptsItAndStoresTheCanonicalHost(Host host)
    {
        var outcome = HttpsUrl.Create("https://" + host.Spelling + "/hook");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Errors, Is.Empty);
            Assert.That(outcome.Value?.Value, Is.EqualTo("https://" + (host.Stored ?? host.Spelling) + "/hook"));
        }
    }

    [TestCaseSource(nameof(PolicyRows))]
    public void Check_WhenGivenAnAsciiHost_ReturnsTheReasonOrNull(Host host)
    {
        Assert.That(UrlPolicy.PublicInternetOnly.Check(host.Spelling), Is.EqualTo(host.Refusal));
    }

    [Test]
    public void Check_WhenHostIsNull_Throws()
    {
        Assert.That(() => UrlPolicy.PublicInternetOnly.Check(null!), Throws.ArgumentNullException);
    }

    private static IEnumerable<TestCaseData> Rows(Via via, bool refused) =>
        Table.Where(h => h.Via.HasFlag(via) && (h.Refusal is not null) == refused).Select(h => new TestCaseData(h).SetArgDisplayNames(h.ToString()));
}
