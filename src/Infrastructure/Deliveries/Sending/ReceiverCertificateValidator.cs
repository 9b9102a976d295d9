using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Webhooks.Infrastructure.Deliveries.Sending;

/// <summary>
/// TLS server certificate checks with extra roots (<c>Delivery:TrustedCertificatesPath</c>): the
/// system's verdict stands when it accepts the certificate or finds anything other than an
/// untrusted chain (a name mismatch, no certificate); an untrusted chain is built again with the
/// extra roots as the only trust anchors, still checking validity dates and the server-auth usage.
/// </summary>
public sealed class ReceiverCertificateValidator(X509Certificate2Collection extraRoots)
{
    /// <summary>Followed by the system's verdict (<c>RemoteCertificateNameMismatch</c>, <c>RemoteCertificateNotAvailable</c>).</summary>
    public const string RefusedMessage = "the certificate is refused";

    /// <summary>Followed by the chain's status in parentheses (<c>PartialChain</c>, <c>NotTimeValid</c>...).</summary>
    public const string UntrustedChainMessage = "the certificate chain is not trusted by the system's roots or " + SenderOptions.TrustedCertificatesPathKey;

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    /// <summary>A <see cref="RemoteCertificateValidationCallback"/>.</summary>
    /// <exception cref="AuthenticationException">The certificate is refused (the message says why).</exception>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            throw new AuthenticationException($"{RefusedMessage}: {errors}");
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(extraRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            foreach (var element in chain.ChainElements.Skip(1))
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (custom.Build(leaf))
        {
            return true;
        }

        var statuses = custom.ChainStatus.Select(s => s.Status.ToString()).Distinct();
        throw new AuthenticationException($"{UntrustedChainMessage} ({string.Join(", ", statuses)})");
    }
}
