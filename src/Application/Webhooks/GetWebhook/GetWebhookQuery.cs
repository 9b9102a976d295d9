using MediatR;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Webhooks.GetWebhook;

[RequiresScope(Scopes.WebhooksRead)]
public sealed record GetWebhookQuery(Guid Id) : IRequest<WebhookEndpointResponse>;
