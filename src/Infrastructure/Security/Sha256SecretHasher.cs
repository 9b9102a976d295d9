using System.Security.Cryptography;
using System.Text;
using Webhooks.Application.Common.Ports;

namespace Webhooks.Infrastructure.Security;

/// <summary>
/// SHA-256 is right for long random secrets: they cannot be guessed, so a slow password hash
/// would only add tens of milliseconds to every request.
/// </summary>
public sealed class Sha256SecretHasher : ISecretHasher
{
    public string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }
}
