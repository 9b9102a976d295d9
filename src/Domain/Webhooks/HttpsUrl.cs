using Webhooks.Domain.Common;

namespace Webhooks.Domain.Webhooks;

/// <summary>
/// A webhook URL that passed the HTTPS rule, the one rule every surface uses: an absolute
/// <c>https</c> URL with a host, no user name or password, no fragment, at most 2048 characters.
/// The stored form has the scheme and host in lower case and an internationalized host in punycode;
/// the port, path and query are kept as sent. The host must be on the public internet
/// (<see cref="UrlPolicy"/>), unless an operator allowed its network.
/// </summary>
public sealed record HttpsUrl
{
    public const int MaxLength = 2048;

    public const string NullMessage = "must not be null";

    public const string NotAbsoluteMessage = "must be an absolute https URL";

    public const string TooLongMessage = "must be at most 2048 characters";

    public const string WhiteSpaceMessage = "must not contain white space, control characters or backslashes";

    public const string NotHttpsMessage = "must use https";

    public const string UserInfoMessage = "must not contain a user name or password";

    public const string FragmentMessage = "must not contain a fragment";

    public const string NoHostMessage = "must have a host";

    private const string Prefix = "https://";

    // UTS #46 processing without the STD3 rules (an underscore, as in "_dmarc", stays allowed).
    private static readonly System.Globalization.IdnMapping Idna = new();

    private HttpsUrl(string value) => Value = value;

    public string Value { get; }

    /// <summary>Checks <paramref name="raw"/> against the HTTPS rule with no private network allowed.</summary>
    public static Outcome<HttpsUrl> Create(string? raw) => Create(raw, UrlPolicy.PublicInternetOnly);

    /// <summary>Checks <paramref name="raw"/> against the HTTPS rule, with the operator's <paramref name="policy"/> for private networks.</summary>
    public static Outcome<HttpsUrl> Create(string? raw, UrlPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (raw is null)
        {
            return Outcome<HttpsUrl>.Invalid(NullMessage);
        }

        var text = raw.Trim();
        if (text.Length == 0)
        {
            return Outcome<HttpsUrl>.Invalid(NotAbsoluteMessage);
        }

        if (text.Length > MaxLength)
        {
            return Outcome<HttpsUrl>.Invalid(TooLongMessage);
        }

        foreach (var c in text)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\')
            {
                return Outcome<HttpsUrl>.Invalid(WhiteSpaceMessage);
            }
        }

        // An absolute URL starts with a scheme; without one, some platforms would read a rooted
        // path ("/hooks") as a file URL.
        var schemeEnd = text.IndexOf(':', StringComparison.Ordinal);
        if (schemeEnd <= 0 || !IsScheme(text.AsSpan(0, schemeEnd)))
        {
            return Outcome<HttpsUrl>.Invalid(NotAbsoluteMessage);
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return Outcome<HttpsUrl>.Invalid(NotAbsoluteMessage);
        }

        if (!string.Equals(uri.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase))
        {
            return Outcome<HttpsUrl>.Invalid(NotHttpsMessage);
        }

        if (!text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return Outcome<HttpsUrl>.Invalid(NotAbsoluteMessage);
        }

        var authorityEnd = text.IndexOfAny(['/', '?', '#'], Prefix.Length);
        if (authorityEnd < 0)
        {
            authorityEnd = text.Length;
        }

        if (text.AsSpan(Prefix.Length, authorityEnd - Prefix.Length).Contains('@') || uri.UserInfo.Length > 0)
        {
            return Outcome<HttpsUrl>.Invalid(UserInfoMessage);
        }

        if (text.Contains('#', StringComparison.Ordinal))
        {
            return Outcome<HttpsUrl>.Invalid(FragmentMessage);
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            return Outcome<HttpsUrl>.Invalid(NoHostMessage);
        }

        if (AsciiHost(uri) is not { } host)
        {
            return Outcome<HttpsUrl>.Invalid(UrlPolicy.InvalidHostMessage);
        }

        if (policy.Check(host) is { } refusal)
        {
            return Outcome<HttpsUrl>.Invalid(refusal);
        }

        var port = uri.IsDefaultPort ? string.Empty : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var value = Prefix + host + port + text[authorityEnd..];
        if (value.Length > MaxLength)
        {
            return Outcome<HttpsUrl>.Invalid(TooLongMessage);
        }

        return Outcome<HttpsUrl>.Valid(new HttpsUrl(value));
    }

    /// <summary>
    /// The host in lower case, a name in its ASCII (punycode) form; <c>null</c> when a name is not a
    /// valid IDNA name (a label that does not convert, such as one with a zero-width joiner, a
    /// malformed <c>xn--</c> label, a leading or trailing hyphen, a label over 63 characters).
    /// </summary>
    private static string? AsciiHost(Uri uri)
    {
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            return uri.Host.ToLowerInvariant();
        }

        try
        {
            return Idna.GetAscii(uri.Host).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool IsScheme(ReadOnlySpan<char> text)
    {
        if (!char.IsAsciiLetter(text[0]))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '-' && c != '.')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Rebuilds a value that was validated before it was stored.</summary>
    public static HttpsUrl FromStored(string value) => new(value);

    public override string ToString() => Value;
}
