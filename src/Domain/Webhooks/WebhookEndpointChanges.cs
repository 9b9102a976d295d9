using Webhooks.Domain.Common;

namespace Webhooks.Domain.Webhooks;

/// <summary>
/// The fields of a partial update as the caller sent them: an absent field is left unchanged,
/// a present one (even <c>null</c>) is checked against its rule.
/// </summary>
public sealed record WebhookEndpointPatch(
    Optional<string?> Url,
    Optional<string?> Description,
    Optional<IReadOnlyList<string?>?> Events,
    Optional<bool?> Active,
    Optional<string?> ApiVersion)
{
    public static WebhookEndpointPatch Empty { get; } = new(default, default, default, default, default);
}

/// <summary>The fields of a new endpoint as the caller sent them.</summary>
public sealed record NewWebhookEndpoint(
    string? Url,
    IReadOnlyList<string?>? Events,
    string? Description = null,
    bool Active = true,
    string? ApiVersion = null);
