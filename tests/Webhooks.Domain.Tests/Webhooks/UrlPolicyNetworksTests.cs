using System.Net;

namespace Webhooks.Domain.Tests.Webhooks;

/// <summary>
/// The networks an operator may allow for on-premises receivers (<see cref="UrlPolicy"/> in CIDR
/// notation), and <see cref="UrlPolicy.IsPublic"/>, the address rule a delivery component applies
/// again when it connects. The host spellings are in <see cref="UrlPolicyTests"/>.
/// </summary>
public sealed class UrlPolicyNetworksTests
{
    private const string Localhost = UrlPolicy.LocalhostMessage;
    private const string NonPublic = UrlPolicy.NonPublicAddressMessage;

    private static readonly UrlPolicy OnPremises = new(["10.20.0.0/16", "fd00:1::/64"]);

    [TestCase("https://10.20.3.4/hook", "https://10.20.3.4/hook")]
    [TestCase("https://10.20.0.0/hook", "https://10.20.0.0/hook")]
    [TestCase("https://10.20.255.255/hook", "https://10.20.255.255/hook")]
    [TestCase("https://0xa.0x140304/hook", "https://10.20.3.4/hook")]
    [TestCase("https://[fd00:1::5]/hook", "https://[fd00:1::5]/hook")]
    [TestCase("https://[fd00:1::ffff:ffff:ffff:ffff]/hook", "https://[fd00:1::ffff:ffff:ffff:ffff]/hook")]
    [TestCase("https://[::ffff:10.20.0.1]/hook", "https://[::ffff:10.20.0.1]/hook")]
    [TestCase("https://8.8.8.8/hook", "https://8.8.8.8/hook")]
    [TestCase("https://hooks.example.com/hook", "https://hooks.example.com/hook")]
    public void Create_WhenPolicyAllowsTheNetwork_AcceptsTheUrl(string raw, string expected)
    {
        var outcome = HttpsUrl.Create(raw, OnPremises);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Errors, Is.Empty);
            Assert.That(outcome.Value?.Value, Is.EqualTo(expected));
        }
    }

    [TestCase("https://10.21.0.1/hook", NonPublic)]
    [TestCase("https://10.19.255.255/hook", NonPublic)]
    [TestCase("https://10.0.0.1/hook", NonPublic)]
    [TestCase("https://192.168.1.1/hook", NonPublic)]
    [TestCase("https://[fd00:2::1]/hook", NonPublic)]
    [TestCase("https://[fd00:1:0:1::1]/hook", NonPublic)]
    [TestCase("https://[::1]/hook", NonPublic)]
    [TestCase("https://[::ffff:10.21.0.1]/hook", NonPublic)]
    [TestCase("https://localhost/hook", Localhost)]
    [TestCase("https://api.localhost./hook", Localhost)]
    public void Create_WhenPolicyAllowsOtherNetworks_StillRefusesTheUrl(string raw, string expectedMessage)
    {
        var outcome = HttpsUrl.Create(raw, OnPremises);

        Assert.That(outcome.Errors, Is.EquivalentTo(new Dictionary<string, string> { [string.Empty] = expectedMessage }));
    }

    [Test]
    public void Create_WhenPolicyAllowsLoopback_StillRefusesTheNameLocalhost()
    {
        var policy = new UrlPolicy(["127.0.0.0/8", "::1/128"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(HttpsUrl.Create("https://127.0.0.1/hook", policy).IsValid, Is.True);
            Assert.That(HttpsUrl.Create("https://[::1]/hook", policy).IsValid, Is.True);
            Assert.That(
                HttpsUrl.Create("https://localhost/hook", policy).Errors,
                Is.EquivalentTo(new Dictionary<string, string> { [string.Empty] = Localhost }));
        }
    }

    [TestCase("10.20.0.0/16", "https://10.20.9.9/")]
    [TestCase(" 10.20.0.0/16", "https://10.20.9.9/")]
    [TestCase("10.20.3.4/16", "https://10.20.9.9/")] // host bits in the network are ignored
    [TestCase("10.20.9.9", "https://10.20.9.9/")] // no prefix: one address
    [TestCase("10.20.9.9/32", "https://10.20.9.9/")]
    [TestCase("0.0.0.0/0", "https://192.168.0.1/")]
    [TestCase("fd00:1::/64", "https://[fd00:1::9]/")]
    [TestCase("fd00:1::9/128", "https://[fd00:1::9]/")]
    [TestCase("::/0", "https://[fe80::1]/")]
    public void Constructor_WhenNetworkIsValidCidr_AllowsAddressesInIt(string network, string url)
    {
        Assert.That(HttpsUrl.Create(url, new UrlPolicy([network])).Errors, Is.Empty);
    }

    [TestCase("10.20.9.9", "https://10.20.9.10/")]
    [TestCase("10.20.9.9/32", "https://10.20.9.8/")]
    [TestCase("fd00:1::9/128", "https://[fd00:1::a]/")]
    [TestCase("::/0", "https://10.0.0.1/")] // an IPv6 network does not cover IPv4 addresses
    public void Constructor_WhenNetworkIsNarrow_RefusesAddressesOutsideIt(string network, string url)
    {
        Assert.That(
            HttpsUrl.Create(url, new UrlPolicy([network])).Errors,
            Is.EquivalentTo(new Dictionary<string, string> { [string.Empty] = NonPublic }));
    }

    [TestCase("10.0.0.0/33")]
    [TestCase("nonsense")]
    [TestCase("fd00::/129")]
    [TestCase("")]
    [TestCase("10.0.0.0/")]
    [TestCase("10.0.0.0/-1")]
    [TestCase("10.0.0.0/8/8")]
    [TestCase("10.0.0.0/x")]
    [TestCase("10.0.0.0/+8")]
    [TestCase("/8")]
    [TestCase("localhost/8")]
    public void Constructor_WhenNetworkIsNotValidCidr_ThrowsArgumentException(string network)
    {
        Assert.That(() => new UrlPolicy([network]), Throws.InstanceOf<ArgumentException>().With.Message.Contains($"'{network}'"));
    }

    [Test]
    public void Constructor_WhenOneOfSeveralNetworksIsInvalid_Throws()
    {
        Assert.That(() => new UrlPolicy(["10.20.0.0/16", "10.0.0.0/33"]), Throws.ArgumentException);
    }

    [Test]
    public void AllowedNetworks_WhenConfigured_AreListedInCidrNotation()
    {
        Assert.That(OnPremises.AllowedNetworks, Is.EqualTo(new[] { "10.20.0.0/16", "fd00:1::/64" }));
    }

    [Test]
    public void AllowedNetworks_WhenNoneAreGiven_IsEmpty()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(new UrlPolicy().AllowedNetworks, Is.Empty);
            Assert.That(new UrlPolicy(null).AllowedNetworks, Is.Empty);
            Assert.That(UrlPolicy.PublicInternetOnly.AllowedNetworks, Is.Empty);
        }
    }

    [TestCase("0.0.0.0", false)]
    [TestCase("0.255.255.255", false)]
    [TestCase("1.0.0.0", true)]
    [TestCase("8.8.8.8", true)]
    [TestCase("9.255.255.255", true)]
    [TestCase("10.0.0.0", false)]
    [TestCase("10.255.255.255", false)]
    [TestCase("11.0.0.0", true)]
    [TestCase("100.63.255.255", true)]
    [TestCase("100.64.0.0", false)]
    [TestCase("100.127.255.255", false)]
    [TestCase("100.128.0.0", true)]
    [TestCase("126.255.255.255", true)]
    [TestCase("127.0.0.1", false)]
    [TestCase("127.255.255.255", false)]
    [TestCase("128.0.0.0", true)]
    [TestCase("169.253.255.255", true)]
    [TestCase("169.254.0.0", false)]
    [TestCase("169.254.169.254", false)]
    [TestCase("169.254.255.255", false)]
    [TestCase("169.255.0.0", true)]
    [TestCase("172.15.255.255", true)]
    [TestCase("172.16.0.0", false)]
    [TestCase("172.31.255.255", false)]
    [TestCase("172.32.0.0", true)]
    [TestCase("192.0.0.1", false)]
    [TestCase("192.0.1.1", true)]
    [TestCase("192.0.2.1", false)]
    [TestCase("192.0.3.1", true)]
    [TestCase("192.88.99.1", false)]
    [TestCase("192.88.98.1", true)]
    [TestCase("192.167.255.255", true)]
    [TestCase("192.168.0.0", false)]
    [TestCase("192.168.255.255", false)]
    [TestCase("192.169.0.0", true)]
    [TestCase("198.17.255.255", true)]
    [TestCase("198.18.0.0", false)]
    [TestCase("198.19.255.255", false)]
    [TestCase("198.20.0.0", true)]
    [TestCase("198.51.100.1", false)]
    [TestCase("203.0.113.1", false)]
    [TestCase("203.0.114.1", true)]
    [TestCase("223.255.255.255", true)]
    [TestCase("224.0.0.0", false)]
    [TestCase("239.255.255.255", false)]
    [TestCase("240.0.0.0", false)]
    [TestCase("255.255.255.255", false)]
    [TestCase("::", false)]
    [TestCase("::1", false)]
    [TestCase("::2", false)]
    [TestCase("::8.8.8.8", false)] // IPv4-compatible, deprecated
    [TestCase("::ffff:8.8.8.8", true)]
    [TestCase("::ffff:127.0.0.1", false)]
    [TestCase("::ffff:10.0.0.1", false)]
    [TestCase("::ffff:169.254.169.254", false)]
    [TestCase("::ffff:0:8.8.8.8", false)] // IPv4-translated: outside 2000::/3
    [TestCase("64:ff9b::8.8.8.8", true)]
    [TestCase("64:ff9b::808:808", true)]
    [TestCase("64:ff9b::a00:1", false)]
    [TestCase("64:ff9b::a9fe:a9fe", false)]
    [TestCase("64:ff9b:1::808:808", false)] // local-use NAT64
    [TestCase("64:ff9b:0:0:1::808:808", false)] // in 64:ff9b::/32 but not the well-known /96 prefix: outside 2000::/3
    [TestCase("64:ff9b:0:ffff::808:808", false)]
    [TestCase("100::1", false)]
    [TestCase("2000::1", true)]
    [TestCase("2001::1", false)] // Teredo
    [TestCase("2001:1ff:ffff::1", false)] // end of 2001::/23
    [TestCase("2001:200::1", true)] // first address after 2001::/23
    [TestCase("2001:db8::1", false)]
    [TestCase("2001:db7:ffff::1", true)]
    [TestCase("2001:db9::1", true)]
    [TestCase("2002:808:808::1", true)]
    [TestCase("2002:a00:1::1", false)]
    [TestCase("2002:7f00:1::", false)]
    [TestCase("2002:a9fe:a9fe::1", false)]
    [TestCase("2002::1", false)] // 6to4 of 0.0.0.0
    [TestCase("2606:4700::1111", true)]
    [TestCase("2a00:1450:4001::1", true)]
    [TestCase("3fff:ffff::1", true)]
    [TestCase("4000::1", false)]
    [TestCase("fc00::1", false)]
    [TestCase("fd12:3456::1", false)]
    [TestCase("fe80::1", false)]
    [TestCase("fe80::1%2", false)]
    [TestCase("fec0::1", false)]
    [TestCase("ff02::1", false)]
    [TestCase("ff0e::1", false)]
    public void IsPublic_WhenGivenAnAddress_TellsWhetherItIsOnThePublicInternet(string address, bool expected)
    {
        Assert.That(UrlPolicy.IsPublic(IPAddress.Parse(address)), Is.EqualTo(expected));
    }

    [TestCase("127.0.0.1")]
    [TestCase("169.254.169.254")]
    [TestCase("8.8.8.8")]
    public void IsPublic_WhenIPv4IsMappedToIPv6_AgreesWithTheIPv4Address(string address)
    {
        var v4 = IPAddress.Parse(address);

        Assert.That(UrlPolicy.IsPublic(v4.MapToIPv6()), Is.EqualTo(UrlPolicy.IsPublic(v4)));
    }

    [Test]
    public void IsPublic_WhenAddressIsNull_Throws()
    {
        Assert.That(() => UrlPolicy.IsPublic(null!), Throws.ArgumentNullException);
    }

    [TestCase("https://10.20.0.1/")]
    [TestCase("https://[fd00:1::1]/")]
    public void Catalog_WhenBuiltWithAPolicy_ExposesIt(string url)
    {
        var catalog = new WebhookCatalog([new EventType("a.b", "c")], ["2026-04-01"], OnPremises);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(catalog.UrlPolicy, Is.SameAs(OnPremises));
            Assert.That(HttpsUrl.Create(url, catalog.UrlPolicy).IsValid, Is.True);
        }
    }

    [Test]
    public void Catalog_WhenBuiltWithoutAPolicy_UsesPublicInternetOnly()
    {
        var catalog = new WebhookCatalog([new EventType("a.b", "c")], ["2026-04-01"]);

        Assert.That(catalog.UrlPolicy, Is.SameAs(UrlPolicy.PublicInternetOnly));
    }
}
