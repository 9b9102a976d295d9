using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Domain.Deliveries;

/// <summary>
/// The <c>webhook-signature</c> header of Standard Webhooks: <c>v1,</c> and the base64 of an
/// HMAC-SHA256 over <c>{webhook-id}.{webhook-timestamp}.{body}</c>, keyed with the bytes that the
/// base64 after <c>whsec_</c> encodes. Several secrets (a rotation's grace period) give several
/// entries, separated by a space; a receiver accepts the request when any entry matches its secret.
/// </summary>
public static class WebhookSignature
{
    /// <summary>How a signing secret begins; the rest is the base64 of the key.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>The scheme of each entry of the header.</summary>
    public const string Version = "v1";

    /// <summary>The header value for <paramref name="body"/>, signed with each of <paramref name="secrets"/> in turn.</summary>
    /// <exception cref="ArgumentException">A secret is not <c>whsec_</c> followed by non-empty base64.</exception>
    public static string Sign(IReadOnlyList<string> secrets, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        if (secrets.Count == 0)
        {
            throw new ArgumentException("at least one secret is needed", nameof(secrets));
        }

        var signed = SignedContent(messageId, timestamp, body);
        var header = new StringBuilder();
        foreach (var secret in secrets)
        {
            if (header.Length > 0)
            {
                header.Append(' ');
            }

            header.Append(Version).Append(',').Append(Convert.ToBase64String(HMACSHA256.HashData(Key(secret), signed)));
        }

        return header.ToString();
    }

    /// <summary>The header value for <paramref name="body"/> signed with one secret.</summary>
    public static string Sign(string secret, string messageId, long timestamp, ReadOnlySpan<byte> body) =>
        Sign([secret], messageId, timestamp, body);

    /// <summary>The key a secret stands for: the bytes of the base64 after <see cref="SecretPrefix"/>.</summary>
    public static byte[] Key(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : null;
        var key = new byte[encoded is null ? 0 : (encoded.Length * 3 / 4) + 3];
        if (encoded is null || encoded.Length == 0 || !Convert.TryFromBase64String(encoded, key, out var length))
        {
            throw new ArgumentException($"a signing secret is {SecretPrefix} followed by base64", nameof(secret));
        }

        return key[..length];
    }

    private static byte[] SignedContent(string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{messageId}.{timestamp}."));
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return content;
    }
}
