using Webhooks.Domain.Common;

namespace Webhooks.Domain.Webhooks;

/// <summary>
/// How long an endpoint's replaced signing secret keeps signing after a rotation (contract: "Rotation
/// with grace"): 0 to 7 days, one day unless the caller says otherwise. During it every webhook
/// carries a second <c>v1,</c> entry, made with the old secret.
/// </summary>
public sealed record SecretGrace
{
    public const long MaxSeconds = 7 * 24 * 60 * 60;

    public const long DefaultSeconds = 24 * 60 * 60;

    public const string OutOfRangeMessage = "must be a whole number of seconds from 0 to 604800";

    private SecretGrace(TimeSpan duration) => Duration = duration;

    /// <summary>One day: what a rotation without <c>grace_seconds</c> gives.</summary>
    public static SecretGrace Default { get; } = new(TimeSpan.FromSeconds(DefaultSeconds));

    public TimeSpan Duration { get; }

    public static Outcome<SecretGrace> FromSeconds(long seconds) =>
        seconds is >= 0 and <= MaxSeconds
            ? Outcome<SecretGrace>.Valid(new SecretGrace(TimeSpan.FromSeconds(seconds)))
            : Outcome<SecretGrace>.Invalid(OutOfRangeMessage);
}
