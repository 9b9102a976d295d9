using System.Security.Cryptography;
using System.Text;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Clients;

/// <summary>Turns presented client credentials into a caller, or into nothing.</summary>
public sealed class ClientAuthenticator(IClientRepository clients, ISecretHasher hasher, CredentialCache? cache = null)
{
    public const string SecretPrefix = "cs_live_";

    public const int MaxSecretLength = 256;

    /// <returns>
    /// The client as a caller (a suspended client authenticates but holds no scope), or <c>null</c>
    /// for an unknown client id or a wrong secret.
    /// </returns>
    public async Task<Caller?> AuthenticateAsync(string clientId, string secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(secret);
        if (!Guid.TryParseExact(clientId, "D", out var id) || secret.Length == 0 || secret.Length > MaxSecretLength)
        {
            return null;
        }

        var secretHash = hasher.Hash(secret);
        var cacheKey = "client:" + id.ToString("N") + ":" + secretHash;
        if (cache is not null && cache.TryGet(cacheKey, out var cached))
        {
            return cached;
        }

        var credentials = await clients.FindCredentialsAsync(id, cancellationToken);
        var presented = Encoding.ASCII.GetBytes(secretHash);
        if (credentials is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(credentials.SecretHash), presented))
        {
            return null;
        }

        var caller = new Caller(CallerKind.Client, credentials.Id, null, credentials.IsSuspended ? [] : Scopes.ActiveClientScopes);
        cache?.Set(cacheKey, caller);
        return caller;
    }
}
