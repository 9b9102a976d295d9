using System.Text.Json;
using AutoMapper;
using MediatR;
using Webhooks.Application.Common;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Common;
using Webhooks.Domain.Idempotency;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks.CreateWebhook;

/// <summary>
/// Creates an endpoint with a new signing secret, shown in this response only. With an
/// <c>Idempotency-Key</c>, a retry with the same body gets this same response (same id, same
/// secret) for 24 hours, and the same key with another body is refused.
/// </summary>
public sealed class CreateWebhookCommandHandler(
    IWebhookEndpointRepository endpoints,
    IIdempotencyStore idempotency,
    IUnitOfWork unitOfWork,
    ICurrentCaller currentCaller,
    ISecretProtector protector,
    IIdGenerator ids,
    IClock clock,
    IMapper mapper) : IRequestHandler<CreateWebhookCommand, WebhookEndpointResponse>
{
    public const string KeyReusedMessage = "was already used with a different request body";

    public async Task<WebhookEndpointResponse> Handle(CreateWebhookCommand request, CancellationToken cancellationToken)
    {
        var orgId = currentCaller.Caller!.RequireOrganization();
        var now = clock.UtcNow;
        if (request.IdempotencyKey is { } key)
        {
            var record = await idempotency.FindAsync(orgId, key.Value, cancellationToken);
            if (record is not null && !record.IsExpired(now))
            {
                return record.IsForSameRequest(key.RequestHash)
                    ? Replay(record)
                    : throw new ValidationFailedException(CreateWebhookCommand.IdempotencyKeyField, KeyReusedMessage);
            }

            if (record is not null)
            {
                idempotency.Remove(record);
            }
        }

        var secret = RandomSecrets.SigningSecret();
        var endpoint = WebhookEndpoint.Create(
            ids.NewId(), orgId, request.Url, request.Description, request.Events, request.Active, request.ApiVersion, protector.Protect(secret), now);
        endpoints.Add(endpoint);
        var response = mapper.Map<WebhookEndpointResponse>(endpoint) with { Secret = secret };
        if (request.IdempotencyKey is { } newKey)
        {
            var stored = protector.Protect(JsonSerializer.Serialize(response));
            idempotency.Add(IdempotencyRecord.Create(orgId, newKey.Value, newKey.RequestHash, stored, now));
        }

        await unitOfWork.SaveChangesAsync(cancellationToken);
        return response;
    }

    /// <summary>The first response again; it described the endpoint at its first revision.</summary>
    private WebhookEndpointResponse Replay(IdempotencyRecord record)
    {
        var response = JsonSerializer.Deserialize<WebhookEndpointResponse>(protector.Unprotect(record.ProtectedResponse))!;
        return response with { ETag = WebhookETag.For(response.Id, 1) };
    }
}
