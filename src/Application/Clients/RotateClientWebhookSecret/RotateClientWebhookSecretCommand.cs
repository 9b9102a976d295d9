using MediatR;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Clients.RotateClientWebhookSecret;

/// <summary>Replaces the calling client's webhook signing secret; the new one is in the response only.</summary>
[RequiresScope(Scopes.ClientWebhookSecretWrite)]
public sealed record RotateClientWebhookSecretCommand : IRequest<ClientWebhookSecretResponse>;

/// <summary>The new signing secret (<c>whsec_...</c>), shown only in this response.</summary>
public sealed record ClientWebhookSecretResponse(string WebhookSecret);
