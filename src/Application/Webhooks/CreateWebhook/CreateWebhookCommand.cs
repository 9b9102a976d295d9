using MediatR;
using Webhooks.Application.Common;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Common;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks.CreateWebhook;

[RequiresScope(Scopes.WebhooksWrite)]
public sealed record CreateWebhookCommand(
    Optional<string?> Url = default,
    Optional<IReadOnlyList<string?>?> Events = default,
    Optional<string?> Description = default,
    Optional<bool?> Active = default,
    Optional<string?> ApiVersion = default) : IRequest<WebhookEndpointResponse>, IBodyCommand
{
    public IReadOnlyDictionary<string, string> BodyErrors { get; init; } = new Dictionary<string, string>();

    public NewWebhookEndpoint ToNewEndpoint() => new(
        Url.HasValue ? Url.Value : null,
        Events.HasValue ? Events.Value : null,
        Description.HasValue ? Description.Value : null,
        Active.HasValue ? Active.Value ?? true : true,
        ApiVersion.HasValue ? ApiVersion.Value : null);
}
