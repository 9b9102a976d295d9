namespace Webhooks.Domain.Idempotency;

/// <summary>
/// The first outcome of a request sent with an <c>Idempotency-Key</c>: a retry with the same key and
/// the same body gets the same response; the same key with another body is refused. Keys belong
/// to one organization and expire after <see cref="Lifetime"/>.
/// </summary>
public sealed class IdempotencyRecord
{
    public const int MaxKeyLength = 255;

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private IdempotencyRecord()
    {
        // For EF Core.
    }

    public Guid OrgId { get; private set; }

    public string Key { get; private set; } = null!;

    /// <summary>Lower-case hex SHA-256 of the request body in canonical form.</summary>
    public string RequestHash { get; private set; } = null!;

    /// <summary>The response, protected (it may hold a secret shown only to this request's sender).</summary>
    public string ProtectedResponse { get; private set; } = null!;

    public DateTimeOffset CreatedAt { get; private set; }

    public static IdempotencyRecord Create(Guid orgId, string key, string requestHash, string protectedResponse, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(requestHash);
        ArgumentException.ThrowIfNullOrEmpty(protectedResponse);
        return new IdempotencyRecord { OrgId = orgId, Key = key, RequestHash = requestHash, ProtectedResponse = protectedResponse, CreatedAt = now };
    }

    public bool IsExpired(DateTimeOffset now) => now - CreatedAt >= Lifetime;

    public bool IsForSameRequest(string requestHash) => string.Equals(RequestHash, requestHash, StringComparison.Ordinal);
}
