using System.Security.Cryptography;
using System.Text;
using Webhooks.Application.Common.Ports;

namespace Webhooks.Application.Tests.Support;

/// <summary>What the port promises: lower-case hex SHA-256 of the UTF-8 bytes.</summary>
internal static class Sha256Hasher
{
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static Moq.Mock<ISecretHasher> Mock()
    {
        var hasher = new Moq.Mock<ISecretHasher>(Moq.MockBehavior.Strict);
        hasher.Setup(h => h.Hash(Moq.It.IsAny<string>())).Returns<string>(Hash);
        return hasher;
    }
}
