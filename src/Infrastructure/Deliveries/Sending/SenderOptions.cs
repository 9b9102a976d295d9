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

    public const string ListenCaPathKey = Section + ":" + nameof(ListenCaPath);

    public const int DefaultTimeoutSeconds = 15;

    public const int MaxTimeoutSeconds = 300;

    /// <summary>The limit on one attempt: connecting, TLS, sending, the response headers and the capped body read.</summary>
    public int TimeoutSeconds { get; set; } = DefaultTimeoutSeconds;

    /// <summary>A PEM file with one or more CA certificates, added to the system's roots; relative to the content root. None by default.</summary>
    public string? TrustedCertificatesPath { get; set; }

    /// <summary>
    /// Development only: the CA file the <c>listen</c> command writes (<c>data/listen/ca.pem</c> in
    /// <c>appsettings.Development.json</c>), trusted like <see cref="TrustedCertificatesPath"/> when the
    /// file exists and ignored when it does not (the receiver may not have run yet). Ignored outside Development.
    /// </summary>
    public string? ListenCaPath { get; set; }

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
    public X509Certificate2Collection LoadTrustedCertificates(string contentRoot) =>
        string.IsNullOrWhiteSpace(TrustedCertificatesPath)
            ? []
            : LoadPem(FullPath(contentRoot, TrustedCertificatesPath), TrustedCertificatesPathKey);

    /// <summary>The certificates of <see cref="ListenCaPath"/>; empty when none is configured or the file does not exist (yet).</summary>
    /// <exception cref="InvalidOperationException">The file exists but cannot be read or holds no certificate.</exception>
    public X509Certificate2Collection LoadListenCertificates(string contentRoot) =>
        ListenCaFile(contentRoot) is { } file && File.Exists(file) ? LoadPem(file, ListenCaPathKey) : [];

    /// <summary>The full path of <see cref="ListenCaPath"/> (relative to <paramref name="contentRoot"/>), or <c>null</c>.</summary>
    public string? ListenCaFile(string contentRoot) =>
        string.IsNullOrWhiteSpace(ListenCaPath) ? null : FullPath(contentRoot, ListenCaPath);

    private static string FullPath(string contentRoot, string path) => Path.GetFullPath(Path.Combine(contentRoot, path.Trim()));

    private static X509Certificate2Collection LoadPem(string file, string key)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(file);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{key}: '{file}' cannot be read as PEM certificates ({exception.Message}).", exception);
        }

        if (roots.Count == 0)
        {
            throw new InvalidOperationException(
                $"{key}: '{file}' holds no certificate; it must be a PEM file of one or more \"-----BEGIN CERTIFICATE-----\" blocks.");
        }

        return roots;
    }
}
