using MediatR;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Clients.UpdateClientWebhookUrl;

/// <summary>Sets, or with <c>null</c> clears, the calling client's webhook URL (checked by <c>Client.WebhookUrlFrom</c>).</summary>
[RequiresScope(Scopes.ClientWebhookUrlWrite)]
public sealed record UpdateClientWebhookUrlCommand(HttpsUrl? WebhookUrl) : IRequest<ClientResponse>;
