using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Webhooks.Api.Http;

/// <summary>
/// ULIDs (https://github.com/ulid/spec): 48 bits of Unix time in milliseconds, then 80 random bits,
/// written as 26 characters of Crockford base32. Sortable by time, unique without coordination.
/// </summary>
public static class Ulid
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string NewUlid() => Create(DateTimeOffset.UtcNow);

    public static string Create(DateTimeOffset time)
    {
        Span<byte> bytes = stackalloc byte[16];
        var milliseconds = (ulong)time.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)milliseconds;
            milliseconds >>= 8;
        }

        RandomNumberGenerator.Fill(bytes[6..]);
        var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return string.Create(26, value, static (chars, v) =>
        {
            for (var i = chars.Length - 1; i >= 0; i--)
            {
                chars[i] = Alphabet[(int)(v & 31)];
                v >>= 5;
            }
        });
    }

    public static bool IsValid(string? text) =>
        text is { Length: 26 } && text[0] <= '7' && text.All(c => Alphabet.Contains(c, StringComparison.Ordinal));
}
