namespace Webhooks.Infrastructure.Deliveries.Sending;

/// <summary>
/// The reasons an attempt got no HTTP answer, as recorded in <see cref="Domain.Deliveries.AttemptResult.Error"/>:
/// a short, stable text, then <c>": "</c> and a detail where one helps (an address, the operating
/// system's words). Never a secret: no header and no body is quoted.
/// </summary>
public static class SendErrors
{
    /// <summary>The host resolved to an address outside the public internet and outside <c>Webhooks:AllowedPrivateNetworks</c>; no connection was made.</summary>
    public const string RefusedAddressMessage = "refused address";

    /// <summary>The URL is not an https URL (it passed the HTTPS rule when it was set, so this is a guard, not a user error).</summary>
    public const string NotHttpsMessage = "not an https URL";

    public const string NameResolutionFailedMessage = "name resolution failed";

    public const string ConnectionFailedMessage = "connection failed";

    public const string TlsFailedMessage = "TLS failed";

    /// <summary>Followed by the limit: <c>timed out after 15 s</c>.</summary>
    public const string TimedOutMessage = "timed out after";

    /// <summary>The connection ended, or the receiver sent something that is not HTTP, before a complete response.</summary>
    public const string NoValidResponseMessage = "no valid response";

    /// <summary>The response body could not be read to the end (or to the 4 KiB cap).</summary>
    public const string ResponseBodyFailedMessage = "response body could not be read";

    public static string With(string message, string detail) => $"{message}: {detail}";

    public static string TimedOut(TimeSpan limit) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{TimedOutMessage} {limit.TotalSeconds:0.###} s");
}
