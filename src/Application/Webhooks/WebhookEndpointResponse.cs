using System.Text.Json.Serialization;

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
    DateTimeOffset? DeletedAt)
{
    /// <summary>The signing secret: only in the response that created or rotated it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; init; }

    /// <summary>The endpoint's entity tag, sent as the <c>ETag</c> header rather than in the body.</summary>
    [JsonIgnore]
    public string ETag { get; init; } = string.Empty;
}

/// <summary>One page of the organization's endpoints, newest first.</summary>
public sealed record WebhookEndpointPage(IReadOnlyList<WebhookEndpointResponse> Data, bool HasMore, string? NextCursor);
