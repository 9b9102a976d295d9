using AutoMapper;
using MediatR;
using Webhooks.Application.Common;
using Webhooks.Application.Common.Idempotency;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks.CreateWebhook;

/// <summary>
/// Creates an endpoint with a new signing secret, shown in this response only. With an
/// <c>Idempotency-Key</c>, a retry with the same body gets this same response (same id, same
/// secret) for 24 hours, and the same key with another body is refused.
/// </summary>
public sealed class CreateWebhookCommandHandler(
    IWebhookEndpointRepository endpoints,
    IdempotentResponses idempotency,
    IUnitOfWork unitOfWork,
    ICurrentCaller currentCaller,
    ISecretProtector protector,
    IIdGenerator ids,
    IClock clock,
    IMapper mapper) : IRequestHandler<CreateWebhookCommand, WebhookEndpointResponse>
{
    public async Task<WebhookEndpointResponse> Handle(CreateWebhookCommand request, CancellationToken cancellationToken)
    {
        var orgId = currentCaller.Caller!.RequireOrganization();
        var now = clock.UtcNow;
        if (await idempotency.FindReplayAsync<WebhookEndpointResponse>(orgId, request.IdempotencyKey, now, cancellationToken) is { } replay)
        {
            // The first response described the endpoint at its first revision.
            return replay with { ETag = WebhookETag.For(replay.Id, 1) };
        }

        var secret = RandomSecrets.SigningSecret();
        var endpoint = WebhookEndpoint.Create(
            ids.NewId(), orgId, request.Url, request.Description, request.Events, request.Active, request.ApiVersion, protector.Protect(secret), now);
        endpoints.Add(endpoint);
        var response = mapper.Map<WebhookEndpointResponse>(endpoint) with { Secret = secret };
        idempotency.Remember(orgId, request.IdempotencyKey, response, now);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return response;
    }
}
