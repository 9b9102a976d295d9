using MediatR;
using Webhooks.Application.Common;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Common;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks.PatchWebhook;

/// <summary>A partial update of one endpoint: an absent field is left unchanged.</summary>
[RequiresScope(Scopes.WebhooksWrite)]
public sealed record PatchWebhookCommand(
    string Id,
    Optional<string?> Url = default,
    Optional<string?> Description = default,
    Optional<IReadOnlyList<string?>?> Events = default,
    Optional<bool?> Active = default,
    Optional<string?> ApiVersion = default) : IRequest<WebhookEndpointResponse>, IBodyCommand
{
    public IReadOnlyDictionary<string, string> BodyErrors { get; init; } = new Dictionary<string, string>();

    /// <summary>The <c>If-Match</c> header: apply only if the endpoint is unchanged since that ETag.</summary>
    public string? IfMatch { get; init; }

    public WebhookEndpointPatch ToPatch() => new(Url, Description, Events, Active, ApiVersion);
}
