using MediatR;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks.PatchWebhook;

/// <summary>A partial update of one endpoint, its fields already checked: an absent field is left unchanged.</summary>
/// <param name="IfMatch">Apply only if the endpoint is unchanged since one of these ETags.</param>
[RequiresScope(Scopes.WebhooksWrite)]
public sealed record PatchWebhookCommand(Guid Id, WebhookEndpointChanges Changes, IfMatch? IfMatch = null) : IRequest<WebhookEndpointResponse>;
