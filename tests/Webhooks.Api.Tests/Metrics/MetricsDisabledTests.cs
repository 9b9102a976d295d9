using Microsoft.Extensions.Configuration;
using Webhooks.Api.Startup;

namespace Webhooks.Api.Tests.Metrics;

/// <summary><c>Metrics:Enabled</c>: <c>false</c> takes <c>GET /metrics</c> away; a value that is not a boolean stops the service.</summary>
[TestFixture]
public sealed class MetricsDisabledTests : ApiFixture
{
    protected override ApiFactory CreateFactory() => new(new Dictionary<string, string?> { [MetricsSetup.EnabledKey] = "false" });

    [Test]
    public async Task Get_WhenMetricsAreDisabled_Is404Envelope()
    {
        using var anonymous = Factory.CreateClient(key: null);

        using var response = await anonymous.GetAsync(new Uri(MetricsSetup.Path, UriKind.Relative));

        await ApiAssert.NotFound(response);
    }

    [TestCase("", true)]
    [TestCase(" true ", true)]
    [TestCase("False", false)]
    public void IsEnabled_ReadsTheSetting_DefaultOn(string value, bool enabled) =>
        Assert.That(MetricsSetup.IsEnabled(Settings(value)), Is.EqualTo(enabled));

    [TestCase("yes")]
    [TestCase("1")]
    public void IsEnabled_WhenNotABoolean_ThrowsNamingTheSetting(string value)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => MetricsSetup.IsEnabled(Settings(value)));

        Assert.That(exception!.Message, Is.EqualTo($"Metrics:Enabled must be true or false, not '{value}'."));
    }

    private static IConfiguration Settings(string value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [MetricsSetup.EnabledKey] = value }).Build();
}
