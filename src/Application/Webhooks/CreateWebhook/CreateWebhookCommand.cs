using MediatR;
using Webhooks.Application.Common;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Common;
using Webhooks.Domain.Organizations;

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
}
