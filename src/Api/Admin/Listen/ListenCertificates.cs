using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Webhooks.Api.Admin.Listen;

/// <summary>
/// The certificates of the <c>listen</c> command: a CA of its own, kept in its directory
/// (<see cref="CaFile"/>, the key in <see cref="CaKeyFile"/> readable by the owner only) and reused on
/// the next run, and a server certificate for <c>127.0.0.1</c> and <c>localhost</c> issued at each start.
/// </summary>
public static class ListenCertificates
{
    public const string CaFile = "ca.pem";

    public const string CaKeyFile = "ca-key.pem";

    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(365 * 5);

    private static readonly TimeSpan ServerLifetime = TimeSpan.FromDays(30);

    /// <summary>The server certificate (with its private key, usable by Kestrel), from the CA in <paramref name="directory"/>, made there if missing or expiring.</summary>
    public static X509Certificate2 ServerCertificate(string directory)
    {
        using var authority = LoadOrCreateAuthority(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        using var issued = request.Create(authority, notBefore, notBefore + ServerLifetime, RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(key);

        // Through PKCS#12 so that the key is usable by Kestrel on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
    }

    private static X509Certificate2 LoadOrCreateAuthority(string directory)
    {
        var certificateFile = Path.Combine(directory, CaFile);
        var keyFile = Path.Combine(directory, CaKeyFile);
        if (File.Exists(certificateFile) && File.Exists(keyFile))
        {
            var existing = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            if (existing.NotAfter.ToUniversalTime() > DateTime.UtcNow.Add(ServerLifetime))
            {
                return existing;
            }

            existing.Dispose();
        }

        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Webhooks listen CA (local development)", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        using var created = request.CreateSelfSigned(notBefore, notBefore + CaLifetime);
        OwnerOnlyFile.Write(keyFile, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificateFile, created.ExportCertificatePem());
        return X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
    }
}
