namespace Webhooks.Domain.Organizations;

/// <summary>The scopes an API key can carry, and what each one allows.</summary>
public static class Scopes
{
    public const string WebhooksRead = "webhooks:read";

    public const string WebhooksWrite = "webhooks:write";

    /// <summary>The scopes an API key may be given.</summary>
    public static IReadOnlyList<string> ApiKeyScopes { get; } = [WebhooksRead, WebhooksWrite];

    /// <summary>Whether holding <paramref name="held"/> grants <paramref name="required"/>; <c>webhooks:write</c> also allows reading.</summary>
    public static bool Grants(string held, string required) =>
        string.Equals(held, required, StringComparison.Ordinal)
        || (held == WebhooksWrite && required == WebhooksRead);
}
