using System.Security.Cryptography;
using System.Text;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Organizations;

/// <summary>Turns a presented API key into a caller, or into nothing.</summary>
public sealed class ApiKeyAuthenticator(IApiKeyRepository apiKeys, ISecretHasher hasher, CredentialCache? cache = null)
{
    /// <summary>The least number of random characters after the prefix.</summary>
    public const int MinRandomLength = 32;

    public const int MaxLength = 256;

    /// <summary>Whether the text looks like an API key: the prefix, then 32 to 248 URL-safe characters.</summary>
    public static bool IsWellFormed(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length > MaxLength || key.Length < ApiKey.Prefix.Length + MinRandomLength || !key.StartsWith(ApiKey.Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in key.AsSpan(ApiKey.Prefix.Length))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <returns>The caller the key stands for, or <c>null</c> for a malformed, unknown or revoked key.</returns>
    public async Task<Caller?> AuthenticateAsync(string key, CancellationToken cancellationToken)
    {
        if (!IsWellFormed(key))
        {
            return null;
        }

        var hash = hasher.Hash(key);
        var cacheKey = "key:" + hash;
        if (cache is not null && cache.TryGet(cacheKey, out var cached))
        {
            return cached;
        }

        var apiKey = await apiKeys.FindByHashAsync(hash, cancellationToken);
        if (apiKey is null || apiKey.IsRevoked
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(apiKey.KeyHash), Encoding.ASCII.GetBytes(hash)))
        {
            return null;
        }

        var caller = new Caller(CallerKind.ApiKey, apiKey.Id, apiKey.OrgId, apiKey.Scopes);
        cache?.Set(cacheKey, caller);
        return caller;
    }
}
