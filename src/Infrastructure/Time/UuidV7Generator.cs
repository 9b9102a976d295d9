using System.Buffers.Binary;
using System.Security.Cryptography;
using Webhooks.Application.Common.Ports;

namespace Webhooks.Infrastructure.Time;

/// <summary>
/// Version-7 UUIDs (RFC 9562) that are strictly increasing within one process, even inside one
/// millisecond: RFC 9562 §6.2 method 1, a 12-bit counter in <c>rand_a</c>. Each new millisecond seeds
/// the counter with 11 random bits (its top bit clear, so at least 2048 ids fit before it
/// overflows); an overflow carries into the timestamp, which then runs up to a few milliseconds
/// ahead of the clock until the clock catches up. A clock that goes back never makes ids go back.
/// <c>rand_b</c> (62 bits) is random for every id.
/// </summary>
/// <remarks>
/// Increasing ids mean increasing text (<c>ToString("D")</c> is the big-endian byte order in
/// lower-case hex), which is what endpoint listings sort by. Lock-free: the last timestamp and
/// counter are one 64-bit state advanced by compare-and-swap.
/// </remarks>
public sealed class UuidV7Generator(TimeProvider timeProvider) : IIdGenerator
{
    private const int CounterBits = 12;
    private const long CounterMask = (1L << CounterBits) - 1;
    private const long SeedMask = CounterMask >> 1;

    // (unix milliseconds << 12) | counter of the last id handed out.
    private long _state;

    public Guid NewId()
    {
        var state = NextState();
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[8..]);
        var timestamp = state >> CounterBits;
        var counter = (int)(state & CounterMask);
        BinaryPrimitives.WriteInt64BigEndian(bytes, timestamp << 16);
        bytes[6] = (byte)(0x70 | (counter >> 8));   // version 7, then the counter's top 4 bits
        bytes[7] = (byte)counter;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F)); // variant 10
        return new Guid(bytes, bigEndian: true);
    }

    private long NextState()
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        while (true)
        {
            var last = Volatile.Read(ref _state);
            var next = now > last >> CounterBits
                ? (now << CounterBits) | (RandomNumberGenerator.GetInt32((int)SeedMask + 1) & SeedMask)
                : last + 1; // the same (or an earlier) millisecond: count on; an overflow carries into the timestamp
            if (Interlocked.CompareExchange(ref _state, next, last) == last)
            {
                return next;
            }
        }
    }
}
