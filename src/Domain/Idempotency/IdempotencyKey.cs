using Webhooks.Domain.Common;

namespace Webhooks.Domain.Idempotency;

/// <summary>
/// An <c>Idempotency-Key</c> as a caller sent it: 1 to 255 visible ASCII characters, with the hash
/// of the request it came with (a retry must carry the same request to get the first response).
/// </summary>
public sealed record IdempotencyKey
{
    public const string InvalidMessage = "must be 1 to 255 visible ASCII characters";

    private IdempotencyKey(string value, string requestHash)
    {
        Value = value;
        RequestHash = requestHash;
    }

    public string Value { get; }

    /// <summary>Lower-case hex SHA-256 of the request body in canonical form.</summary>
    public string RequestHash { get; }

    public static Outcome<IdempotencyKey> Create(string key, string requestHash)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(requestHash);
        return key.Length is > 0 and <= IdempotencyRecord.MaxKeyLength && key.All(c => c is >= '!' and <= '~')
            ? Outcome<IdempotencyKey>.Valid(new IdempotencyKey(key, requestHash))
            : Outcome<IdempotencyKey>.Invalid(InvalidMessage);
    }
}
