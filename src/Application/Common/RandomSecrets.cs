using System.Security.Cryptography;

namespace Webhooks.Application.Common;

public static class RandomSecrets
{
    /// <summary><paramref name="prefix"/> and the base64url (no padding) of 32 random bytes: 43 URL-safe characters, 256 bits.</summary>
    public static string UrlSafe(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
