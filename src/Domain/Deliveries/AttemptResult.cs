namespace Webhooks.Domain.Deliveries;

/// <summary>
/// What one attempt to deliver came back with: the receiver's status code (when it answered), how
/// long it took, the first <see cref="MaxResponseBodyBytes"/> bytes of its response body, an error
/// (when it did not answer: refused address, DNS, connection, TLS, time-out) and the
/// <c>Retry-After</c> it asked for, if any.
/// </summary>
public sealed record AttemptResult(
    int? StatusCode,
    TimeSpan Duration,
    string? ResponseBody,
    string? Error,
    TimeSpan? RetryAfter = null)
{
    /// <summary>How much of a response body is kept (and read at all).</summary>
    public const int MaxResponseBodyBytes = 4096;

    /// <summary>A <c>2xx</c> answer: the delivery succeeded. A <c>3xx</c> is not followed and is a failure.</summary>
    public bool IsSuccess => Error is null && StatusCode is >= 200 and <= 299;

    /// <summary><c>410 Gone</c>: the receiver says the endpoint is gone for good.</summary>
    public bool IsGone => Error is null && StatusCode == 410;

    /// <summary>An attempt that got no HTTP answer.</summary>
    public static AttemptResult Failed(string error, TimeSpan duration) => new(null, duration, null, error);
}
