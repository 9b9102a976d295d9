using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Webhooks.Domain.Webhooks;

/// <summary>
/// The server-side-request-forgery part of the HTTPS rule: a webhook URL may not name
/// <c>localhost</c> (or a name under it) or an IP address outside the public internet, in any
/// spelling a URL parser accepts (dotted, decimal, hex and octal IPv4, trailing dots, bracketed
/// IPv6, IPv4 hidden in IPv4-mapped, -compatible, NAT64 and 6to4 IPv6). An operator may allow
/// chosen networks, for on-premises receivers.
/// </summary>
/// <remarks>
/// This is checked when a URL is configured. A host name can resolve to a private address, and DNS
/// can change after the check: a delivery component must check the address it connects to again,
/// with the same <see cref="IsPublic(IPAddress)"/> rule.
/// </remarks>
public sealed class UrlPolicy
{
    public const string LocalhostMessage = "must not point to localhost";

    public const string NonPublicAddressMessage = "must not point to a private, loopback, link-local or other non-public address";

    /// <summary>
    /// A host that is not a valid name: one that fails IDNA conversion, or that ends in a number
    /// (WHATWG URL) without being an IPv4 address (<c>127.0.0.09</c>, <c>10.0.0.08</c>, <c>1.2.3.4.5</c>).
    /// </summary>
    public const string InvalidHostMessage = "must have a valid host name";

    private readonly IReadOnlyList<(IPAddress Network, int PrefixLength)> _allowedNetworks;

    public UrlPolicy(IEnumerable<string>? allowedNetworks = null)
    {
        _allowedNetworks = (allowedNetworks ?? []).Select(ParseNetwork).ToList();
    }

    /// <summary>Only the public internet.</summary>
    public static UrlPolicy PublicInternetOnly { get; } = new();

    /// <summary>The networks an operator allowed, in CIDR notation.</summary>
    public IReadOnlyList<string> AllowedNetworks =>
        _allowedNetworks.Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.Network}/{n.PrefixLength}")).ToList();

    /// <summary>Why a URL's ASCII host is refused, or <c>null</c> when it may receive webhooks.</summary>
    public string? Check(string asciiHost)
    {
        ArgumentNullException.ThrowIfNull(asciiHost);
        var host = asciiHost.TrimEnd('.').ToLowerInvariant();
        var address = ParseAddress(host);
        if (address is null)
        {
            if (EndsInANumber(host))
            {
                return InvalidHostMessage; // some resolvers still read such a name as an address
            }

            return host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal) ? LocalhostMessage : null;
        }

        return Permits(address) ? null : NonPublicAddressMessage;
    }

    /// <summary>
    /// Whether webhooks may go to <paramref name="address"/>: it is public, or in a network the
    /// operator allowed. The one address test, for a URL's IP literal when it is configured and for
    /// every address a host name resolves to when a delivery connects.
    /// </summary>
    public bool Permits(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return IsPublic(address) || IsAllowed(address);
    }

    /// <summary>Whether an address is on the public internet (the rule a delivery component applies again at connect time).</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return IsPublicV4(address.GetAddressBytes());
        }

        var b = address.GetAddressBytes();
        if (b.Take(12).All(x => x == 0))
        {
            return false; // unspecified, loopback and IPv4-compatible (deprecated) addresses
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublicV4(b[12..16]);
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
        {
            // NAT64: only 64:ff9b::/96 carries an IPv4 address; the rest of 64:ff9b::/32
            // (64:ff9b:1::/48 is for local use) is not public.
            return b[4..12].All(x => x == 0) && IsPublicV4(b[12..16]);
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsPublicV4(b[2..6]); // 6to4: 2002::/16 carries an IPv4 address
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] < 0x02)
        {
            return false; // 2001::/23: IETF protocol assignments (Teredo, benchmarking, ORCHID...)
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
        {
            return false; // 2001:db8::/32: documentation
        }

        // Only 2000::/3 is global unicast; this excludes unique-local fc00::/7, link-local fe80::/10,
        // site-local fec0::/10, multicast ff00::/8 and discard 100::/64.
        return (b[0] & 0xE0) == 0x20;
    }

    private static bool IsPublicV4(byte[] b) => !(
        b[0] == 0                                   // 0.0.0.0/8 "this network", unspecified
        || b[0] == 10                               // private
        || (b[0] == 100 && (b[1] & 0xC0) == 64)     // 100.64.0.0/10 carrier-grade NAT
        || b[0] == 127                              // loopback
        || (b[0] == 169 && b[1] == 254)             // link-local, incl. the metadata address 169.254.169.254
        || (b[0] == 172 && (b[1] & 0xF0) == 16)     // private
        || (b[0] == 192 && b[1] == 0 && b[2] == 0)  // IETF protocol assignments
        || (b[0] == 192 && b[1] == 0 && b[2] == 2)  // documentation
        || (b[0] == 192 && b[1] == 88 && b[2] == 99) // 6to4 relay anycast
        || (b[0] == 192 && b[1] == 168)             // private
        || (b[0] == 198 && (b[1] & 0xFE) == 18)     // benchmarking
        || (b[0] == 198 && b[1] == 51 && b[2] == 100) // documentation
        || (b[0] == 203 && b[1] == 0 && b[2] == 113) // documentation
        || b[0] >= 224);                            // multicast, reserved, broadcast

    /// <summary>
    /// The address a host names, if it is an IP literal in any spelling URL parsers accept: bracketed
    /// IPv6 (a zone id is ignored), or IPv4 with one to four parts, each decimal, hex (<c>0x</c>) or
    /// octal (leading <c>0</c>), the last part filling the remaining bytes.
    /// </summary>
    private static IPAddress? ParseAddress(string host)
    {
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            var literal = host[1..^1];
            var zone = literal.IndexOf('%', StringComparison.Ordinal);
            return IPAddress.TryParse(zone >= 0 ? literal[..zone] : literal, out var v6) ? v6 : null;
        }

        var parts = host.Split('.');
        if (parts.Length > 4)
        {
            return null;
        }

        var numbers = new ulong[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParseIPv4Part(parts[i], out numbers[i]))
            {
                return null;
            }
        }

        ulong value = 0;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (numbers[i] > 255)
            {
                return null;
            }

            value |= numbers[i] << (8 * (3 - i));
        }

        var last = numbers[^1];
        if (last >= 1UL << (8 * (5 - parts.Length)))
        {
            return null;
        }

        value |= last;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }

    /// <summary>
    /// WHATWG's "ends in a number": the last label is all ASCII digits, or <c>0x</c> followed by hex
    /// digits only. Such a host must be an IPv4 address, or it is no host.
    /// </summary>
    private static bool EndsInANumber(string host)
    {
        var last = host[(host.LastIndexOf('.') + 1)..];
        return last.Length > 0 && (last.All(char.IsAsciiDigit) || (last.StartsWith("0x", StringComparison.Ordinal) && last[2..].All(char.IsAsciiHexDigit)));
    }

    private static bool TryParseIPv4Part(string part, out ulong value)
    {
        value = 0;
        if (part.Length == 0)
        {
            return false;
        }

        if (part.StartsWith("0x", StringComparison.Ordinal))
        {
            return part.Length == 2 || ulong.TryParse(part.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        if (part.Length > 1 && part[0] == '0')
        {
            foreach (var c in part)
            {
                if (c is < '0' or > '7' || value > uint.MaxValue)
                {
                    return false;
                }

                value = (value * 8) + (ulong)(c - '0');
            }

            return true;
        }

        return part.All(char.IsAsciiDigit) && ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private bool IsAllowed(IPAddress address)
    {
        var candidates = address.IsIPv4MappedToIPv6 ? [address, address.MapToIPv4()] : new[] { address };
        return _allowedNetworks.Any(n => candidates.Any(a => InNetwork(a, n.Network, n.PrefixLength)));
    }

    private static bool InNetwork(IPAddress address, IPAddress network, int prefixLength)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        for (var bit = 0; bit < prefixLength; bit++)
        {
            var mask = (byte)(0x80 >> (bit % 8));
            if ((a[bit / 8] & mask) != (n[bit / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }

    private static (IPAddress, int) ParseNetwork(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        var text = slash < 0 ? cidr : cidr[..slash];
        if (!IPAddress.TryParse(text.Trim(), out var network))
        {
            throw new ArgumentException($"'{cidr}' is not a network in CIDR notation.", nameof(cidr));
        }

        var maxPrefix = network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0 && (!int.TryParse(cidr.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix))
        {
            throw new ArgumentException($"'{cidr}' has an invalid prefix length.", nameof(cidr));
        }

        return (network, prefix);
    }
}
