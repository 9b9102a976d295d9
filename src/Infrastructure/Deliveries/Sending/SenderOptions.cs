using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Webhooks.Infrastructure.Deliveries.Sending;

/// <summary>
/// How webhook requests are sent (configuration section <c>Delivery</c>): <c>TimeoutSeconds</c>, the
/// limit on a whole attempt, and <c>TrustedCertificatesPath</c>, a PEM file of CA certificates that
/// are trusted beside the system's roots (receivers behind a private CA). Checked when the host
/// starts; a bad value stops it with a message that names the setting.
/// </summary>
public sealed class SenderOptions
{
    public const string Section = "Delivery";

    public const string TimeoutSecondsKey = Section + ":" + nameof(TimeoutSeconds);

    public const string TrustedCertificatesPathKey = Section + ":" + nameof(TrustedCertificatesPath);

    public const int DefaultTimeoutSeconds = 15;

    public const int MaxTimeoutSeconds = 300;

    /// <summary>The limit on one attempt: connecting, TLS, sending, the response headers and the capped body read.</summary>
    public int TimeoutSeconds { get; set; } = DefaultTimeoutSeconds;

    /// <summary>A PEM file with one or more CA certificates, added to the system's roots; relative to the content root. None by default.</summary>
    public string? TrustedCertificatesPath { get; set; }

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>Why <see cref="TimeoutSeconds"/> is not usable, or <c>null</c>.</summary>
    public string? CheckTimeout() =>
        TimeoutSeconds is >= 1 and <= MaxTimeoutSeconds
            ? null
            : $"{TimeoutSecondsKey} must be 1 to {MaxTimeoutSeconds} seconds, not {TimeoutSeconds}.";

    /// <summary>
    /// The certificates of <see cref="TrustedCertificatesPath"/> (a relative path is under
    /// <paramref name="contentRoot"/>); empty when none is configured.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file cannot be read or holds no certificate.</exception>
    public X509Certificate2Collection LoadTrustedCertificates(string contentRoot)
    {
        var roots = new X509Certificate2Collection();
        if (string.IsNullOrWhiteSpace(TrustedCertificatesPath))
        {
            return roots;
        }

        var file = Path.GetFullPath(Path.Combine(contentRoot, TrustedCertificatesPath.Trim()));
        try
        {
            roots.ImportFromPemFile(file);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{TrustedCertificatesPathKey}: '{file}' cannot be read as PEM certificates ({exception.Message}).", exception);
        }

        if (roots.Count == 0)
        {
            throw new InvalidOperationException(
                $"{TrustedCertificatesPathKey}: '{file}' holds no certificate; it must be a PEM file of one or more \"-----BEGIN CERTIFICATE-----\" blocks.");
        }

        return roots;
    }
}
