using System.Security.Cryptography;

namespace Webhooks.Application.Webhooks;

public static class SigningSecrets
{
    public const string Prefix = "whsec_";

    /// <summary><c>whsec_</c> and the base64 of 32 random bytes.</summary>
    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
