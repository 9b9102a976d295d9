using Webhooks.Application.Tests.Support;
using Webhooks.Application.Webhooks.CreateWebhook;
using Webhooks.Application.Webhooks.PatchWebhook;
using Webhooks.Domain.Common;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Tests.Webhooks;

/// <summary>
/// The server-side-request-forgery part of the HTTPS rule in the <c>/v1</c> validators: reported
/// under <c>url</c>, together with every other violation, with the catalog's <see cref="UrlPolicy"/>.
/// </summary>
public sealed class UrlPolicyValidatorTests
{
    private const string Localhost = UrlPolicy.LocalhostMessage;
    private const string NonPublic = UrlPolicy.NonPublicAddressMessage;

    [TestCase("https://localhost/hook", Localhost)]
    [TestCase("https://a.localhost./hook", Localhost)]
    [TestCase("https://10.0.0.1/hook", NonPublic)]
    [TestCase("https://169.254.169.254/latest/meta-data", NonPublic)]
    [TestCase("https://[::1]/hook", NonPublic)]
    [TestCase("https://0x7f.1/hook", NonPublic)]
    [TestCase("https://[64:ff9b::a00:1]/hook", NonPublic)]
    public void PatchValidate_WhenUrlIsLocalAndOtherFieldsAreWrong_ThenReportsThemTogether(string url, string message)
    {
        var command = new PatchWebhookCommand(
            TestData.EndpointId.ToString(),
            Url: url,
            Events: Optional<IReadOnlyList<string?>?>.Of(["no.such_event"]),
            Active: Optional<bool?>.Of(null));

        Assert.That(PatchErrors(command, TestData.Catalog()), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["url"] = message,
            ["events[0]"] = "unknown event type 'no.such_event'",
            ["active"] = "must be a boolean",
        }));
    }

    [TestCase("https://localhost/hook", Localhost)]
    [TestCase("https://192.168.1.1/hook", NonPublic)]
    [TestCase("https://[fe80::1%25eth0]/hook", NonPublic)]
    public void PatchValidate_WhenOnlyTheUrlIsLocal_ThenReportsOnlyUrl(string url, string message)
    {
        var command = new PatchWebhookCommand(TestData.EndpointId.ToString(), Url: url, Description: "ok");

        Assert.That(PatchErrors(command, TestData.Catalog()), Is.EquivalentTo(new Dictionary<string, string> { ["url"] = message }));
    }

    [Test]
    public void PatchValidate_WhenCatalogAllowsTheNetwork_ThenHasNoErrors()
    {
        var command = new PatchWebhookCommand(TestData.EndpointId.ToString(), Url: "https://10.0.0.1/hook");

        Assert.That(PatchErrors(command, CatalogAllowing("10.0.0.0/8")), Is.Empty);
    }

    [TestCase("https://localhost/hook", Localhost)]
    [TestCase("https://127.0.0.1/hook", NonPublic)]
    [TestCase("https://169.254.169.254./latest/meta-data", NonPublic)]
    [TestCase("https://[::ffff:10.0.0.1]/hook", NonPublic)]
    [TestCase("https://\uFF11\uFF12\uFF17.0.0.1/hook", NonPublic)]
    public void CreateValidate_WhenUrlIsLocalAndOtherFieldsAreWrong_ThenReportsThemTogether(string url, string message)
    {
        var command = new CreateWebhookCommand(Url: url, Description: new string('d', 201), ApiVersion: "1999-01-01");

        Assert.That(CreateErrors(command, TestData.Catalog()), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["url"] = message,
            ["events"] = "is required",
            ["description"] = "must be at most 200 characters",
            ["api_version"] = "must be one of: " + TestData.ApiVersion,
        }));
    }

    [Test]
    public void CreateValidate_WhenOnlyTheUrlIsLocal_ThenReportsOnlyUrl()
    {
        var command = new CreateWebhookCommand(Url: "https://localhost:8443/hook", Events: Optional<IReadOnlyList<string?>?>.Of(["wallet.balance_low"]));

        Assert.That(CreateErrors(command, TestData.Catalog()), Is.EquivalentTo(new Dictionary<string, string> { ["url"] = Localhost }));
    }

    [TestCase("https://10.0.0.1/hook", true)]
    [TestCase("https://[::ffff:10.1.2.3]/hook", true)]
    [TestCase("https://11.0.0.1/hook", true)]
    [TestCase("https://172.16.0.1/hook", false)]
    [TestCase("https://localhost/hook", false)]
    public void CreateValidate_WhenCatalogAllowsANetwork_ThenOnlyThatNetworkIsAccepted(string url, bool accepted)
    {
        var command = new CreateWebhookCommand(Url: url, Events: Optional<IReadOnlyList<string?>?>.Of(["wallet.balance_low"]));

        Assert.That(CreateErrors(command, CatalogAllowing("10.0.0.0/8")).ContainsKey("url"), Is.EqualTo(!accepted));
    }

    private static WebhookCatalog CatalogAllowing(params string[] networks)
    {
        var seed = TestData.Catalog();
        return new WebhookCatalog(seed.EventTypes, seed.ApiVersions, new UrlPolicy(networks));
    }

    /// <summary>The failures as the validation behavior reports them: the first message of each field.</summary>
    private static Dictionary<string, string> PatchErrors(PatchWebhookCommand command, WebhookCatalog catalog) =>
        new PatchWebhookCommandValidator(catalog).Validate(command).Errors
            .GroupBy(e => e.PropertyName)
            .ToDictionary(g => g.Key, g => g.First().ErrorMessage);

    private static Dictionary<string, string> CreateErrors(CreateWebhookCommand command, WebhookCatalog catalog) =>
        new CreateWebhookCommandValidator(catalog).Validate(command).Errors
            .GroupBy(e => e.PropertyName)
            .ToDictionary(g => g.Key, g => g.First().ErrorMessage);
}
