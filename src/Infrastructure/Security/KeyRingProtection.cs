using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace Webhooks.Infrastructure.Security;

/// <summary>
/// How the Data Protection key ring is kept at rest: encrypted with the X.509 certificate in
/// <c>DataProtection:CertificatePath</c> (a PKCS #12 / PFX file with its private key, relative to the
/// content root; password in <c>DataProtection:CertificatePassword</c>), or unencrypted when no
/// certificate is configured (the service then warns at start).
/// </summary>
public sealed class KeyRingProtection
{
    public const string CertificatePathKey = "DataProtection:CertificatePath";

    public const string CertificatePasswordKey = "DataProtection:CertificatePassword";

    /// <summary>How the message for a certificate without its private key ends (after the setting and the file).</summary>
    public const string NoPrivateKeyMessage = "has no private key, so the key ring could not be decrypted with it.";

    private KeyRingProtection(X509Certificate2? certificate) => Certificate = certificate;

    /// <summary>The certificate that encrypts new keys and decrypts stored ones; <c>null</c> when none is configured.</summary>
    public X509Certificate2? Certificate { get; }

    /// <exception cref="InvalidOperationException">The configured certificate cannot be loaded or has no private key.</exception>
    public static KeyRingProtection Load(IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var path = configuration[CertificatePathKey];
        if (string.IsNullOrWhiteSpace(path))
        {
            return new KeyRingProtection(null);
        }

        var file = Path.GetFullPath(Path.Combine(contentRoot, path.Trim()));
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(file, configuration[CertificatePasswordKey]);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{CertificatePathKey}: the certificate '{file}' cannot be loaded ({exception.Message}); it must be a PKCS #12 (PFX) file readable by the service, with {CertificatePasswordKey} as its password.",
                exception);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"{CertificatePathKey}: the certificate '{file}' {NoPrivateKeyMessage}");
        }

        return new KeyRingProtection(certificate);
    }
}
