using Webhooks.Domain.Common;

namespace Webhooks.Domain.Organizations;

/// <summary>
/// A bearer API key of one organization. Only the SHA-256 hash of the key is kept; the key itself
/// is shown once, when it is issued.
/// </summary>
public sealed class ApiKey
{
    public const string Prefix = "am_live_";

    public const int MaxNameLength = 200;

    private List<string> _scopes = [];

    private ApiKey()
    {
        // For EF Core.
    }

    public Guid Id { get; private set; }

    public Guid OrgId { get; private set; }

    public string? Name { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the key.</summary>
    public string KeyHash { get; private set; } = null!;

    public IReadOnlyList<string> Scopes => _scopes;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsRevoked => RevokedAt is not null;

    public static ApiKey Issue(Guid id, Guid orgId, string? name, IEnumerable<string> scopes, string keyHash, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentException.ThrowIfNullOrEmpty(keyHash);
        var errors = new ValidationErrors();
        var list = scopes.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            errors.Add("scopes", $"must name at least one of: {string.Join(", ", Organizations.Scopes.ApiKeyScopes)}");
        }

        foreach (var unknown in list.Where(s => !Organizations.Scopes.ApiKeyScopes.Contains(s)))
        {
            errors.Add("scopes", $"unknown scope '{unknown}'; known: {string.Join(", ", Organizations.Scopes.ApiKeyScopes)}");
        }

        var trimmedName = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        if (trimmedName is { Length: > MaxNameLength })
        {
            errors.Add("name", $"must be at most {MaxNameLength} characters");
        }

        errors.ThrowIfAny();
        return new ApiKey { Id = id, OrgId = orgId, Name = trimmedName, KeyHash = keyHash, _scopes = list, CreatedAt = now };
    }

    /// <summary>Revokes the key; revoking a revoked key changes nothing.</summary>
    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;

    public bool HasScope(string required) => _scopes.Any(held => Organizations.Scopes.Grants(held, required));
}
