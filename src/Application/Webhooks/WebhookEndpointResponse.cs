namespace Webhooks.Application.Webhooks;

/// <summary>The webhook endpoint resource, as both the API and the admin commands show it.</summary>
public sealed record WebhookEndpointResponse(
    Guid Id,
    Guid OrgId,
    string Url,
    string? Description,
    IReadOnlyList<string> Events,
    bool Active,
    string ApiVersion,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeletedAt);
