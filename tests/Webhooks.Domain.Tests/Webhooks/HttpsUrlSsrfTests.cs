using Webhooks.Domain.Clients;
using Webhooks.Domain.Common;
using Webhooks.Domain.Webhooks;
using static Webhooks.Domain.Tests.TestData;

namespace Webhooks.Domain.Tests.Webhooks;

/// <summary>
/// The server-side-request-forgery part of the HTTPS rule, through <see cref="HttpsUrl.Create(string?)"/>
/// and the surfaces that use it: localhost, trailing dots and non-public IP literals in every
/// spelling the URL parser accepts.
/// </summary>
public sealed class HttpsUrlSsrfTests
{
    private const string Localhost = UrlPolicy.LocalhostMessage;
    private const string NonPublic = UrlPolicy.NonPublicAddressMessage;

    [TestCase("localhost", Localhost)]
    [TestCase("LOCALHOST", Localhost)]
    [TestCase("LocalHost", Localhost)]
    [TestCase("localhost.", Localhost)]
    [TestCase("LOCALHOST.", Localhost)]
    [TestCase("localhost:8443", Localhost)]
    [TestCase("a.localhost", Localhost)]
    [TestCase("a.b.localhost.", Localhost)]
    [TestCase("API.LOCALHOST", Localhost)]
    [TestCase("localhost\u3002", Localhost)] // ideographic full stop: a dot to IDNA
    [TestCase("\u24db\u24de\u24d2\u24d0\u24db\u24d7\u24de\u24e2\u24e3", Localhost)] // circled letters: "localhost" after IDNA mapping
    [TestCase("127.0.0.1", NonPublic)]
    [TestCase("127.0.0.1:8443", NonPublic)]
    [TestCase("127.1", NonPublic)]
    [TestCase("2130706433", NonPublic)]
    [TestCase("0x7f000001", NonPublic)]
    [TestCase("0x7f.1", NonPublic)]
    [TestCase("0X7F.0.0.1", NonPublic)]
    [TestCase("0x7f.0x0.0x0.0x1", NonPublic)]
    [TestCase("0x0000007f.1", NonPublic)]
    [TestCase("0177.0.0.1", NonPublic)]
    [TestCase("00000000177.1", NonPublic)]
    [TestCase("017700000001", NonPublic)]
    [TestCase("0", NonPublic)]
    [TestCase("0x", NonPublic)]
    [TestCase("0.0.0.0", NonPublic)]
    [TestCase("10.0.0.1", NonPublic)]
    [TestCase("172.16.0.1", NonPublic)]
    [TestCase("172.31.255.255", NonPublic)]
    [TestCase("192.168.1.1", NonPublic)]
    [TestCase("100.64.0.1", NonPublic)]
    [TestCase("100.127.255.255", NonPublic)]
    [TestCase("169.254.169.254", NonPublic)]
    [TestCase("169.254.169.254.", NonPublic)]
    [TestCase("224.0.0.1", NonPublic)]
    [TestCase("239.255.255.255", NonPublic)]
    [TestCase("255.255.255.255", NonPublic)]
    [TestCase("4294967295", NonPublic)] // 255.255.255.255 as one decimal number
    [TestCase("240.0.0.1", NonPublic)]
    [TestCase("198.18.0.1", NonPublic)]
    [TestCase("192.0.2.1", NonPublic)]
    [TestCase("[::]", NonPublic)]
    [TestCase("[::1]", NonPublic)]
    [TestCase("[::1]:8443", NonPublic)]
    [TestCase("[0:0:0:0:0:0:0:1]", NonPublic)]
    [TestCase("[::ffff:127.0.0.1]", NonPublic)]
    [TestCase("[0:0:0:0:0:ffff:7f00:1]", NonPublic)]
    [TestCase("[::ffff:a00:1]", NonPublic)] // IPv4-mapped 10.0.0.1
    [TestCase("[::ffff:169.254.169.254]", NonPublic)]
    [TestCase("[::10.0.0.1]", NonPublic)] // IPv4-compatible
    [TestCase("[::8.8.8.8]", NonPublic)] // IPv4-compatible is deprecated: refused even for a public address
    [TestCase("[::ffff:0:7f00:1]", NonPublic)] // IPv4-translated
    [TestCase("[64:ff9b::a00:1]", NonPublic)] // NAT64 of 10.0.0.1
    [TestCase("[64:ff9b::7f00:1]", NonPublic)] // NAT64 of 127.0.0.1
    [TestCase("[64:ff9b::a9fe:a9fe]", NonPublic)] // NAT64 of 169.254.169.254
    [TestCase("[64:ff9b:1::1]", NonPublic)] // local-use NAT64
    [TestCase("[64:ff9b:0:0:1::808:808]", NonPublic)] // in 64:ff9b::/32 outside the /96 NAT64 prefix: not global unicast
    [TestCase("[2002:a00:1::1]", NonPublic)] // 6to4 of 10.0.0.1
    [TestCase("[2002:7f00:1::]", NonPublic)] // 6to4 of 127.0.0.1
    [TestCase("[fe80::1]", NonPublic)]
    [TestCase("[fe80::1%25eth0]", NonPublic)]
    [TestCase("[fc00::1]", NonPublic)]
    [TestCase("[fd12:3456::1]", NonPublic)]
    [TestCase("[fec0::1]", NonPublic)]
    [TestCase("[ff02::1]", NonPublic)]
    [TestCase("[2001:db8::1]", NonPublic)]
    [TestCase("[2001::1]", NonPublic)] // Teredo
    [TestCase("[100::1]", NonPublic)] // discard
    [TestCase("\uFF10x7f.0.0.1", NonPublic)] // full-width "0" of "0x7f"
    [TestCase("\uFF11\uFF12\uFF17.0.0.1", NonPublic)] // full-width "127"
    [TestCase("127\u30020\u30020\u30021", NonPublic)] // ideographic full stops
    public void Create_WhenHostIsLocalOrNonPublic_RefusesItWithTheReason(string host, string expectedMessage)
    {
        var outcome = HttpsUrl.Create("https://" + host + "/hook");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.IsValid, Is.False);
            Assert.That(outcome.Value, Is.Null);
            Assert.That(outcome.Errors, Is.EquivalentTo(new Dictionary<string, string> { [string.Empty] = expectedMessage }));
        }
    }

    // System.Uri does not parse a host with two trailing dots: refused before the policy is asked,
    // so "localhost.." cannot get around the rule either.
    [TestCase("localhost..")]
    [TestCase("a.localhost..")]
    public void Create_WhenHostHasTwoTrailingDots_RefusesItAsNotAUrl(string host)
    {
        var outcome = HttpsUrl.Create("https://" + host + "/hook");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.IsValid, Is.False);
            Assert.That(outcome.Errors, Is.EquivalentTo(new Dictionary<string, string> { [string.Empty] = "must be an absolute https URL" }));
        }
    }

    [TestCase("8.8.8.8", "https://8.8.8.8/hook")]
    [TestCase("1.1.1.1", "https://1.1.1.1/hook")]
    [TestCase("100.63.255.255", "https://100.63.255.255/hook")]
    [TestCase("100.128.0.1", "https://100.128.0.1/hook")]
    [TestCase("172.15.255.255", "https://172.15.255.255/hook")]
    [TestCase("172.32.0.1", "https://172.32.0.1/hook")]
    [TestCase("192.169.0.1", "https://192.169.0.1/hook")]
    [TestCase("169.253.0.1", "https://169.253.0.1/hook")]
    [TestCase("[2606:4700::1111]", "https://[2606:4700::1111]/hook")]
    [TestCase("[2606:4700:0:0:0:0:0:1111]", "https://[2606:4700::1111]/hook")]
    [TestCase("[64:ff9b::808:808]", "https://[64:ff9b::808:808]/hook")] // NAT64 of 8.8.8.8
    [TestCase("[2002:808:808::1]", "https://[2002:808:808::1]/hook")] // 6to4 of 8.8.8.8
    [TestCase("[::ffff:8.8.8.8]", "https://[::ffff:8.8.8.8]/hook")]
    [TestCase("hooks.example.com", "https://hooks.example.com/hook")]
    [TestCase("localhost.example.com", "https://localhost.example.com/hook")]
    [TestCase("localhost-api.example.com", "https://localhost-api.example.com/hook")]
    [TestCase("mylocalhost", "https://mylocalhost/hook")]
    [TestCase("localhostx", "https://localhostx/hook")]
    [TestCase("1e100.net", "https://1e100.net/hook")]
    [TestCase("hooks.example.com.", "https://hooks.example.com./hook")]
    public void Create_WhenHostIsPublicOrAName_AcceptsIt(string host, string expected)
    {
        var outcome = HttpsUrl.Create("https://" + host + "/hook");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Errors, Is.Empty);
            Assert.That(outcome.Value?.Value, Is.EqualTo(expected));
        }
    }

    // The stored form of an IP literal is the parser's canonical address: every spelling of one
    // address is stored alike (and compares equal).
    [TestCase("https://0x08.8.8.8/hook")]
    [TestCase("https://0x8080808/hook")]
    [TestCase("https://134744072/hook")]
    [TestCase("https://010.010.010.010/hook")]
    [TestCase("https://8.8.2056/hook")]
    [TestCase("https://8.526344/hook")]
    [TestCase("HTTPS://0X08.8.8.8/hook")]
    public void Create_WhenPublicIPv4IsSpelledOtherwise_StoresTheDottedDecimalForm(string raw)
    {
        var outcome = HttpsUrl.Create(raw);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Errors, Is.Empty);
            Assert.That(outcome.Value?.Value, Is.EqualTo("https://8.8.8.8/hook"));
            Assert.That(outcome.Value, Is.EqualTo(HttpsUrl.Create("https://8.8.8.8/hook").Value));
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

    [TestCase("http://localhost/hook", "must use https")]
    [TestCase("https://user:pw@localhost/hook", "must not contain a user name or password")]
    [TestCase("https://localhost/hook#x", "must not contain a fragment")]
    public void Create_WhenUrlBreaksAnEarlierRuleToo_ReportsOnlyTheFirstReason(string raw, string expectedMessage)
    {
        var outcome = HttpsUrl.Create(raw);

        Assert.That(outcome.Errors, Is.EquivalentTo(new Dictionary<string, string> { [string.Empty] = expectedMessage }));
    }

    [TestCase("https://localhost/hook", Localhost)]
    [TestCase(" https://LOCALHOST./hook ", Localhost)]
    [TestCase("https://127.0.0.1/hook", NonPublic)]
    [TestCase("https://169.254.169.254/latest/meta-data", NonPublic)]
    [TestCase("https://[::ffff:10.0.0.1]/hook", NonPublic)]
    public void SetWebhookUrl_WhenHostIsLocalOrNonPublic_ThrowsForWebhookUrlAndKeepsTheOldUrl(string raw, string expectedMessage)
    {
        var client = Client.Register(Guid.CreateVersion7(), "cus_123", new string('a', 64), CreatedAt);
        client.SetWebhookUrl("https://hooks.example.com/device", CreatedAt);

        var exception = Assert.Throws<ValidationFailedException>(() => client.SetWebhookUrl(raw, UrlPolicy.PublicInternetOnly, Later));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["webhook_url"] = expectedMessage }));
            Assert.That(client.WebhookUrl?.Value, Is.EqualTo("https://hooks.example.com/device"));
            Assert.That(client.UpdatedAt, Is.EqualTo(CreatedAt));
        }
    }

    [Test]
    public void SetWebhookUrl_WhenPolicyIsOmitted_StillRefusesLocalhost()
    {
        var client = Client.Register(Guid.CreateVersion7(), "cus_123", new string('a', 64), CreatedAt);

        var exception = Assert.Throws<ValidationFailedException>(() => client.SetWebhookUrl("https://localhost/hook", Later));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["webhook_url"] = Localhost }));
            Assert.That(client.WebhookUrl, Is.Null);
        }
    }

    [Test]
    public void SetWebhookUrl_WhenPolicyAllowsTheNetwork_StoresThePrivateUrl()
    {
        var client = Client.Register(Guid.CreateVersion7(), "cus_123", new string('a', 64), CreatedAt);

        var changed = client.SetWebhookUrl("https://10.20.0.1/hook", new UrlPolicy(["10.20.0.0/16"]), Later);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.True);
            Assert.That(client.WebhookUrl?.Value, Is.EqualTo("https://10.20.0.1/hook"));
            Assert.That(client.UpdatedAt, Is.EqualTo(Later));
        }
    }

    [Test]
    public void SetWebhookUrl_WhenPolicyAllowsAnotherNetwork_StillRefusesThePrivateUrl()
    {
        var client = Client.Register(Guid.CreateVersion7(), "cus_123", new string('a', 64), CreatedAt);

        var exception = Assert.Throws<ValidationFailedException>(
            () => client.SetWebhookUrl("https://10.21.0.1/hook", new UrlPolicy(["10.20.0.0/16"]), Later));

        Assert.That(exception.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["webhook_url"] = NonPublic }));
    }

    [TestCase("https://localhost/hook", Localhost)]
    [TestCase("https://10.20.0.1/hook", NonPublic)]
    [TestCase("https://[fd00:1::1]/hook", NonPublic)]
    public void PatchCheck_WhenCatalogHasNoAllowedNetworks_RefusesTheUrlUnderUrl(string url, string expectedMessage)
    {
        var errors = new ValidationErrors();

        var checkedPatch = Patch(url: url, description: "ok").Check(Catalog, errors);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(checkedPatch.Url, Is.Null);
            Assert.That(errors.Items, Is.EquivalentTo(new Dictionary<string, string> { ["url"] = expectedMessage }));
        }
    }

    [Test]
    public void PatchCheck_WhenCatalogAllowsTheNetwork_AcceptsThePrivateUrl()
    {
        var errors = new ValidationErrors();

        var checkedPatch = Patch(url: "https://10.20.0.1/hook").Check(CatalogAllowing("10.20.0.0/16"), errors);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors.Items, Is.Empty);
            Assert.That(checkedPatch.Url?.Value, Is.EqualTo("https://10.20.0.1/hook"));
        }
    }

    [Test]
    public void PatchCheck_WhenCatalogAllowsANetwork_StillRefusesLocalhost()
    {
        var errors = new ValidationErrors();

        Patch(url: "https://localhost/hook").Check(CatalogAllowing("10.20.0.0/16", "127.0.0.0/8"), errors);

        Assert.That(errors.Items, Is.EquivalentTo(new Dictionary<string, string> { ["url"] = Localhost }));
    }

    [Test]
    public void PatchCheck_WhenUrlIsLocalAndOtherFieldsAreWrong_ReportsEveryViolation()
    {
        var errors = new ValidationErrors();

        Patch(url: "https://169.254.169.254/latest/meta-data", events: new List<string?> { "no.such_event" }, active: Optional<bool?>.Of(null))
            .Check(Catalog, errors);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors.Items.Select(e => e.Key), Is.EquivalentTo(new[] { "url", "events[0]", "active" }));
            Assert.That(errors.Items.First(e => e.Key == "url").Value, Is.EqualTo(NonPublic));
        }
    }

    [TestCase("https://localhost/hook", Localhost)]
    [TestCase("https://[::1]/hook", NonPublic)]
    [TestCase("https://0x7f.1/hook", NonPublic)]
    public void NewEndpointCheck_WhenCatalogHasNoAllowedNetworks_RefusesTheUrlUnderUrl(string url, string expectedMessage)
    {
        var errors = new ValidationErrors();

        var checkedNew = new NewWebhookEndpoint(url, [BalanceLow]).Check(Catalog, errors);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(checkedNew.Url, Is.Null);
            Assert.That(errors.Items, Is.EquivalentTo(new Dictionary<string, string> { ["url"] = expectedMessage }));
        }
    }

    [Test]
    public void NewEndpointCheck_WhenCatalogAllowsTheNetwork_AcceptsThePrivateUrl()
    {
        var errors = new ValidationErrors();

        var checkedNew = new NewWebhookEndpoint("https://10.20.0.1/hook", [BalanceLow]).Check(CatalogAllowing("10.20.0.0/16"), errors);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors.Items, Is.Empty);
            Assert.That(checkedNew.Url?.Value, Is.EqualTo("https://10.20.0.1/hook"));
        }
    }

    [Test]
    public void NewEndpointCheck_WhenUrlIsLocalAndEventsAreMissing_ReportsBoth()
    {
        var errors = new ValidationErrors();

        new NewWebhookEndpoint("https://localhost/hook", null).Check(Catalog, errors);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors.Items.Select(e => e.Key), Is.EquivalentTo(new[] { "url", "events" }));
            Assert.That(errors.Items.First(e => e.Key == "url").Value, Is.EqualTo(Localhost));
        }
    }

    [Test]
    public void Register_WhenCatalogAllowsTheNetwork_StoresThePrivateUrl()
    {
        var endpoint = WebhookEndpoint.Register(
            EndpointId,
            OrgId,
            new NewWebhookEndpoint("https://10.20.0.1/hook", [BalanceLow]),
            CatalogAllowing("10.20.0.0/16"),
            ProtectedSecret,
            CreatedAt);

        Assert.That(endpoint.Url.Value, Is.EqualTo("https://10.20.0.1/hook"));
    }

    [Test]
    public void Register_WhenUrlIsLocal_ThrowsForUrl()
    {
        var exception = Assert.Throws<ValidationFailedException>(() => WebhookEndpoint.Register(
            EndpointId,
            OrgId,
            new NewWebhookEndpoint("https://localhost/hook", [BalanceLow]),
            Catalog,
            ProtectedSecret,
            CreatedAt));

        Assert.That(exception.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["url"] = Localhost }));
    }

    private static WebhookCatalog CatalogAllowing(params string[] networks) =>
        new(Catalog.EventTypes, Catalog.ApiVersions, new UrlPolicy(networks));
}
