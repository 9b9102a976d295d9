using System.Security.Cryptography;
using System.Text;
using Webhooks.Application.Common.Ports;

namespace Webhooks.Application.Tests.Support;

/// <summary>
/// A reversible stand-in for Data Protection: "protected:" + the base64 of the text, so the
/// protected form never contains the plain text. Remembers what it protected.
/// </summary>
internal sealed class FakeSecretProtector : ISecretProtector
{
    public const string Prefix = "protected:";

    public List<string> Protected { get; } = [];

    /// <summary>What <see cref="Protect"/> returns for <paramref name="plaintext"/>.</summary>
    public static string Of(string plaintext) => Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(plaintext));

    public string Protect(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        Protected.Add(plaintext);
        return Of(plaintext);
    }

    public string Unprotect(string protectedText)
    {
        ArgumentNullException.ThrowIfNull(protectedText);
        return protectedText.StartsWith(Prefix, StringComparison.Ordinal)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(protectedText[Prefix.Length..]))
            : throw new CryptographicException("not protected by this protector");
    }
}
