using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Webhooks.Api.Startup;
using Webhooks.Api.Tests.Http;
using Webhooks.Infrastructure.Security;

namespace Webhooks.Api.Tests.Startup;

/// <summary>
/// What the service warns about when it starts outside Development with default settings: each
/// warning names the setting that silences it, and that setting does silence it.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class StartupWarningsTests
{
    private const string Password = "startup-test-pfx";

    [Test]
    public async Task With_default_settings_each_warning_names_the_setting_that_silences_it()
    {
        var logs = new CapturedLogs();
        await using var factory = new ApiFactory { TestServices = logs.AddTo };

        await CreateEndpointAsync(factory); // creates the key ring, encrypts a secret, maps a response

        var own = OwnWarnings(logs);
        Assert.Multiple(() =>
        {
            Assert.That(own, Has.Count.EqualTo(2), string.Join(Environment.NewLine, own));
            Assert.That(own, Has.One.Contain(KeyRingProtection.CertificatePathKey).And.Contain(KeyRingProtection.CertificatePasswordKey).And.Contain(factory.KeysPath));
            Assert.That(own, Has.One.Contain(StartupWarnings.AutoMapperLicenseKey));
            Assert.That(Warnings(logs).Where(entry => entry.Category.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal)), Is.Empty, "Data Protection's own warning (which names no setting) is replaced by ours");
        });
    }

    [Test]
    public async Task A_certificate_silences_the_key_ring_warning()
    {
        var folder = Directory.CreateTempSubdirectory("webhooks-startup-");
        try
        {
            var pfx = Path.Combine(folder.FullName, "dp.pfx");
            using (var rsa = RSA.Create(2048))
            using (var certificate = new CertificateRequest("CN=webhooks-startup-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)))
            {
                await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pkcs12, Password));
            }

            var logs = new CapturedLogs();
            await using var factory = ApiHelpers.StartWithEnvironment(
                new Dictionary<string, string?> { [KeyRingProtection.CertificatePathKey] = pfx, [KeyRingProtection.CertificatePasswordKey] = Password },
                logs.AddTo);

            await CreateEndpointAsync(factory);

            Assert.That(OwnWarnings(logs), Has.None.Contain(KeyRingProtection.CertificatePathKey).And.Some.Contain(StartupWarnings.AutoMapperLicenseKey));
            Assert.That(await File.ReadAllTextAsync(Directory.GetFiles(factory.KeysPath, "key-*.xml").Single()), Does.Not.Contain("<masterKey"), "the key ring is encrypted");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public async Task Development_does_not_warn()
    {
        var logs = new CapturedLogs();
        await using var factory = new ApiFactory { TestServices = logs.AddTo, EnvironmentName = "Development" };

        await CreateEndpointAsync(factory);

        Assert.That(OwnWarnings(logs), Is.Empty);
    }

    private static async Task CreateEndpointAsync(ApiFactory factory)
    {
        var org = await factory.CreateOrganizationAsync();
        using var client = factory.CreateClient(org.Key);
        await ApiHelpers.CreateEndpointAsync(client);
    }

    private static IEnumerable<CapturedLogs.LogEntry> Warnings(CapturedLogs logs) => logs.Entries.Where(entry => entry.Level >= LogLevel.Warning);

    private static List<string> OwnWarnings(CapturedLogs logs) =>
        [.. Warnings(logs).Where(entry => entry.Category == typeof(StartupWarnings).FullName).Select(entry => entry.Message)];
}
