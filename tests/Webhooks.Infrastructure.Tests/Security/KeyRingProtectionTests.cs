using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Webhooks.Application.Common.Ports;
using Webhooks.Infrastructure.Security;

namespace Webhooks.Infrastructure.Tests.Security;

/// <summary>
/// <c>DataProtection:CertificatePath</c> / <c>CertificatePassword</c>: the key ring encrypted at rest
/// with an X.509 certificate (one the test makes), readable again after a restart with it, not without it.
/// </summary>
[TestFixture]
public sealed class KeyRingProtectionTests : TempFolderTests
{
    private const string Secret = "whsec_3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    private const string Password = "test-pfx-password";

    private string KeysFolder => Path.Combine(Temp.Path, "data", "keys");

    [Test]
    public async Task WithACertificate_TheKeyRingIsEncryptedAtRestAndReadableAfterARestart()
    {
        var settings = CertificateSettings(WriteCertificate("dp.pfx"));
        string protectedText;
        await using (var services = Build(settings))
        {
            Assert.That(services.GetRequiredService<KeyRingProtection>().Certificate, Is.Not.Null);
            protectedText = services.GetRequiredService<ISecretProtector>().Protect(Secret);
        }

        var keyXml = await File.ReadAllTextAsync(Directory.GetFiles(KeysFolder, "key-*.xml").Single());
        Assert.Multiple(() =>
        {
            Assert.That(keyXml, Does.Contain(nameof(EncryptedXmlDecryptor)).And.Contain("X509Certificate"));
            Assert.That(keyXml, Does.Not.Contain("<masterKey"), "the key material is not in clear");
        });

        await using var restarted = Build(settings);
        Assert.That(restarted.GetRequiredService<ISecretProtector>().Unprotect(protectedText), Is.EqualTo(Secret));
    }

    [Test]
    public async Task WithoutTheCertificate_AnEncryptedKeyRingCannotBeRead()
    {
        string protectedText;
        await using (var services = Build(CertificateSettings(WriteCertificate("dp.pfx"))))
        {
            protectedText = services.GetRequiredService<ISecretProtector>().Protect(Secret);
        }

        await using var withoutCertificate = Build(new Dictionary<string, string?>());
        Assert.That(() => withoutCertificate.GetRequiredService<ISecretProtector>().Unprotect(protectedText), Throws.InstanceOf<CryptographicException>());
    }

    [Test]
    public async Task WithoutACertificate_TheKeyRingIsKeptInClearOnPurpose()
    {
        await using var services = Build(new Dictionary<string, string?>());

        services.GetRequiredService<ISecretProtector>().Protect(Secret);

        Assert.Multiple(() =>
        {
            Assert.That(services.GetRequiredService<KeyRingProtection>().Certificate, Is.Null);
            Assert.That(services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlEncryptor, Is.InstanceOf<NullXmlEncryptor>(), "explicitly, so Data Protection does not warn without naming the setting");
            Assert.That(File.ReadAllText(Directory.GetFiles(KeysFolder, "key-*.xml").Single()), Does.Contain("<masterKey"));
        });
    }

    [Test]
    public void Load_ARelativePath_IsUnderTheContentRoot()
    {
        WriteCertificate("dp.pfx");

        var protection = KeyRingProtection.Load(Configuration(CertificateSettings("dp.pfx")), Temp.Path);

        Assert.That(protection.Certificate?.HasPrivateKey, Is.True);
    }

    [Test]
    public void Load_AWrongPassword_StopsTheServiceNamingBothSettings()
    {
        var settings = CertificateSettings(WriteCertificate("dp.pfx"));
        settings[KeyRingProtection.CertificatePasswordKey] = "wrong";

        Assert.That(
            () => KeyRingProtection.Load(Configuration(settings), Temp.Path),
            Throws.InvalidOperationException.With.Message.StartsWith(KeyRingProtection.CertificatePathKey + ": the certificate '")
                .And.Message.Contain(KeyRingProtection.CertificatePasswordKey));
    }

    [Test]
    public void Load_AMissingFile_StopsTheServiceNamingTheSetting()
    {
        Assert.That(
            () => KeyRingProtection.Load(Configuration(CertificateSettings(Temp.File("absent.pfx"))), Temp.Path),
            Throws.InvalidOperationException.With.Message.Contain(Temp.File("absent.pfx")).And.Message.StartsWith(KeyRingProtection.CertificatePathKey));
    }

    [Test]
    public void Load_ACertificateWithoutItsPrivateKey_IsRefused()
    {
        using var withKey = NewCertificate();
        using var publicOnly = X509CertificateLoader.LoadCertificate(withKey.RawData);
        File.WriteAllBytes(Temp.File("public.pfx"), publicOnly.Export(X509ContentType.Pkcs12, Password));

        Assert.That(
            () => KeyRingProtection.Load(Configuration(CertificateSettings(Temp.File("public.pfx"))), Temp.Path),
            Throws.InvalidOperationException.With.Message.EndsWith(KeyRingProtection.NoPrivateKeyMessage));
    }

    private ServiceProvider Build(Dictionary<string, string?> settings) =>
        TestData.BuildServices(Temp.Path, settings, services => services.AddKeyRingProtection(Configuration(settings), Temp.Path));

    private static IConfiguration Configuration(Dictionary<string, string?> settings) => new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    private static Dictionary<string, string?> CertificateSettings(string path) => new()
    {
        [KeyRingProtection.CertificatePathKey] = path,
        [KeyRingProtection.CertificatePasswordKey] = Password,
    };

    private string WriteCertificate(string name)
    {
        using var certificate = NewCertificate();
        File.WriteAllBytes(Temp.File(name), certificate.Export(X509ContentType.Pkcs12, Password));
        return Temp.File(name);
    }

    private static X509Certificate2 NewCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=webhooks-data-protection-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }
}
