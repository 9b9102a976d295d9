using Microsoft.Extensions.Configuration;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Infrastructure.Tests;

/// <summary><c>Webhooks:AllowedPrivateNetworks</c>: the operator's exceptions to the server-side-request-forgery rule.</summary>
[TestFixture]
public sealed class WebhookCatalogOptionsTests
{
    [TestCase("https://10.20.3.4/hook", true)]
    [TestCase("https://[fd00:1::5]/hook", true)]
    [TestCase("https://[::ffff:10.20.0.1]/hook", true)]
    [TestCase("https://8.8.8.8/hook", true)]
    [TestCase("https://10.21.0.1/hook", false)]
    [TestCase("https://[fd00:2::1]/hook", false)]
    [TestCase("https://192.168.1.1/hook", false)]
    [TestCase("https://localhost/hook", false)]
    public void Load_WhenAllowedPrivateNetworksAreConfigured_PolicyAllowsOnlyThem(string url, bool accepted)
    {
        var catalog = WebhookCatalogOptions.Load(Configuration(new Dictionary<string, string?>
        {
            ["Webhooks:AllowedPrivateNetworks:0"] = "10.20.0.0/16",
            ["Webhooks:AllowedPrivateNetworks:1"] = "fd00:1::/64",
        }));

        Assert.That(HttpsUrl.Create(url, catalog.UrlPolicy).IsValid, Is.EqualTo(accepted));
    }

    [Test]
    public void Load_WhenAllowedPrivateNetworksAreConfigured_ListsThem()
    {
        var catalog = WebhookCatalogOptions.Load(Configuration(new Dictionary<string, string?>
        {
            ["Webhooks:AllowedPrivateNetworks:0"] = "10.20.0.0/16",
            ["Webhooks:AllowedPrivateNetworks:1"] = "fd00:1::/64",
        }));

        Assert.That(catalog.UrlPolicy.AllowedNetworks, Is.EqualTo(new[] { "10.20.0.0/16", "fd00:1::/64" }));
    }

    [TestCase("https://10.20.3.4/hook")]
    [TestCase("https://127.0.0.1/hook")]
    [TestCase("https://169.254.169.254/latest/meta-data")]
    [TestCase("https://localhost/hook")]
    public void Load_WhenNothingIsConfigured_RefusesEveryPrivateAddress(string url)
    {
        var catalog = WebhookCatalogOptions.Load(Configuration(new Dictionary<string, string?>()));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(catalog.UrlPolicy.AllowedNetworks, Is.Empty);
            Assert.That(HttpsUrl.Create(url, catalog.UrlPolicy).IsValid, Is.False);
        }
    }

    [Test]
    public void Load_WhenOnlyAllowedNetworksAreConfigured_KeepsTheDefaultEventTypesAndVersion()
    {
        var catalog = WebhookCatalogOptions.Load(Configuration(new Dictionary<string, string?>
        {
            ["Webhooks:AllowedPrivateNetworks:0"] = "10.20.0.0/16",
        }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(catalog.EventTypes, Is.EqualTo(WebhookCatalogOptions.DefaultEventTypes));
            Assert.That(catalog.ApiVersions, Is.EqualTo(new[] { WebhookCatalogOptions.DefaultApiVersion }));
        }
    }

    [TestCase("10.0.0.0/33")]
    [TestCase("nonsense")]
    [TestCase("fd00::/129")]
    [TestCase("10.0.0.0/x")]
    public void Load_WhenAnAllowedNetworkIsNotValidCidr_ThrowsNamingIt(string network)
    {
        var configuration = Configuration(new Dictionary<string, string?>
        {
            ["Webhooks:AllowedPrivateNetworks:0"] = "10.20.0.0/16",
            ["Webhooks:AllowedPrivateNetworks:1"] = network,
        });

        Assert.That(() => WebhookCatalogOptions.Load(configuration), Throws.InstanceOf<ArgumentException>().With.Message.Contains($"'{network}'"));
    }

    [Test]
    public async Task AddInfrastructure_WhenAllowedPrivateNetworksAreConfigured_RegistersACatalogWithThatPolicy()
    {
        using var temp = new TempFolder();
        await using var services = TestData.BuildServices(temp.Path, new Dictionary<string, string?>
        {
            ["Webhooks:AllowedPrivateNetworks:0"] = "10.20.0.0/16",
        });

        var catalog = services.GetRequiredService<WebhookCatalog>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(HttpsUrl.Create("https://10.20.0.1/hook", catalog.UrlPolicy).IsValid, Is.True);
            Assert.That(HttpsUrl.Create("https://10.21.0.1/hook", catalog.UrlPolicy).IsValid, Is.False);
        }
    }

    private static IConfiguration Configuration(IDictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
