using static Webhooks.Domain.Tests.TestData;

namespace Webhooks.Domain.Tests.Webhooks;

/// <summary>
/// The SSRF rule as an endpoint's two checks apply it (<see cref="NewWebhookEndpoint.Check"/> and
/// <see cref="WebhookEndpointPatch.Check"/>): the catalog's <see cref="UrlPolicy"/> decides, a refusal
/// is reported under <c>url</c> beside every other violation. The rule itself is in <see cref="UrlPolicyTests"/>.
/// </summary>
public sealed class WebhookEndpointUrlPolicyTests
{
    private const string Localhost = UrlPolicy.LocalhostMessage;
    private const string NonPublic = UrlPolicy.NonPublicAddressMessage;

    /// <summary>The check a URL goes through.</summary>
    public enum Check
    {
        NewEndpoint,
        Patch,
    }

    [TestCase(Check.NewEndpoint, "https://localhost/hook", Localhost)]
    [TestCase(Check.NewEndpoint, "https://[::1]/hook", NonPublic)]
    [TestCase(Check.NewEndpoint, "https://0x7f.1/hook", NonPublic)]
    [TestCase(Check.Patch, "https://localhost/hook", Localhost)]
    [TestCase(Check.Patch, "https://10.20.0.1/hook", NonPublic)]
    [TestCase(Check.Patch, "https://[fd00:1::1]/hook", NonPublic)]
    public void Check_WhenCatalogHasNoAllowedNetworks_RefusesTheUrlUnderUrl(Check check, string url, string expectedMessage)
    {
        var errors = new ValidationErrors();

        var checkedUrl = CheckedUrl(check, url, Catalog, errors);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(checkedUrl, Is.Null);
            Assert.That(errors.Items, Is.EquivalentTo(new Dictionary<string, string> { ["url"] = expectedMessage }));
        }
    }

    [TestCase(Check.NewEndpoint)]
    [TestCase(Check.Patch)]
    public void Check_WhenCatalogAllowsTheNetwork_AcceptsThePrivateUrl(Check check)
    {
        var errors = new ValidationErrors();

        var checkedUrl = CheckedUrl(check, "https://10.20.0.1/hook", CatalogAllowing("10.20.0.0/16"), errors);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors.Items, Is.Empty);
            Assert.That(checkedUrl, Is.EqualTo("https://10.20.0.1/hook"));
        }
    }

    [TestCase(Check.NewEndpoint)]
    [TestCase(Check.Patch)]
    public void Check_WhenCatalogAllowsANetwork_StillRefusesLocalhost(Check check)
    {
        var errors = new ValidationErrors();

        CheckedUrl(check, "https://localhost/hook", CatalogAllowing("10.20.0.0/16", "127.0.0.0/8"), errors);

        Assert.That(errors.Items, Is.EquivalentTo(new Dictionary<string, string> { ["url"] = Localhost }));
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

    [Test]
    public void Register_WhenCatalogAllowsTheNetwork_StoresThePrivateUrl()
    {
        var endpoint = Endpoints.Register(
            EndpointId, OrgId, new NewWebhookEndpoint("https://10.20.0.1/hook", [BalanceLow]), CatalogAllowing("10.20.0.0/16"), ProtectedSecret, CreatedAt);

        Assert.That(endpoint.Url.Value, Is.EqualTo("https://10.20.0.1/hook"));
    }

    /// <summary>The URL the check kept, or <c>null</c> when it refused it (the patch's other field is valid).</summary>
    private static string? CheckedUrl(Check check, string url, WebhookCatalog catalog, ValidationErrors errors)
    {
        if (check == Check.NewEndpoint)
        {
            return new NewWebhookEndpoint(url, [BalanceLow]).Check(catalog, errors).Url?.Value;
        }

        var checkedPatch = Patch(url: url, description: "ok").Check(catalog, errors);
        return checkedPatch.Url.HasValue ? checkedPatch.Url.Value.Value : null;
    }

    private static WebhookCatalog CatalogAllowing(params string[] networks) =>
        new(Catalog.EventTypes, Catalog.ApiVersions, new UrlPolicy(networks));
}
