using MediatR;
using Webhooks.Application.Common;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Common;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Clients.UpdateClientWebhookUrl;

/// <summary>Sets or (with <c>""</c>) clears the calling client's webhook URL.</summary>
[RequiresScope(Scopes.ClientWebhookUrlWrite)]
public sealed record UpdateClientWebhookUrlCommand(Optional<string?> WebhookUrl) : IRequest<ClientResponse>, IBodyCommand
{
    public IReadOnlyDictionary<string, string> BodyErrors { get; init; } = new Dictionary<string, string>();
}
