using System.Buffers.Text;
using System.Security.Cryptography;
using Webhooks.Application.Clients;

namespace Webhooks.Application.Common;

/// <summary>
/// Every secret the service issues, from one generator: <see cref="ByteLength"/> bytes (256 bits)
/// from the operating system's cryptographic generator, behind the secret's prefix.
/// </summary>
public static class RandomSecrets
{
    public const int ByteLength = 32;

    /// <summary>The prefix of a webhook endpoint's signing secret (Standard Webhooks).</summary>
    public const string SigningSecretPrefix = "whsec_";

    /// <summary>An API key: <c>am_live_</c> and 43 URL-safe characters (base64url without padding).</summary>
    public static string ApiKey() => UrlSafe(Domain.Organizations.ApiKey.Prefix);

    /// <summary>A client secret: <c>cs_live_</c> and 43 URL-safe characters (base64url without padding).</summary>
    public static string ClientSecret() => UrlSafe(ClientAuthenticator.SecretPrefix);

    /// <summary>A signing secret: <c>whsec_</c> and the base64 of the bytes, as Standard Webhooks expects.</summary>
    public static string SigningSecret() => SigningSecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(ByteLength));

    private static string UrlSafe(string prefix) => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(ByteLength));
}
