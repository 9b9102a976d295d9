using AutoMapper;
using MediatR;
using Webhooks.Application.Common;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks.RotateWebhookSecret;

/// <summary>
/// Gives an endpoint a new signing secret, shown in this response only; the replaced one keeps
/// signing for <paramref name="Grace"/> (<see cref="SecretGrace.Default"/> when <c>null</c>).
/// </summary>
[RequiresScope(Scopes.WebhooksWrite)]
public sealed record RotateWebhookSecretCommand(Guid Id, IfMatch? IfMatch = null, SecretGrace? Grace = null) : IRequest<WebhookEndpointResponse>;

public sealed class RotateWebhookSecretCommandHandler(
    IWebhookEndpointRepository endpoints,
    IUnitOfWork unitOfWork,
    ICurrentCaller currentCaller,
    ISecretProtector protector,
    IClock clock,
    IMapper mapper) : IRequestHandler<RotateWebhookSecretCommand, WebhookEndpointResponse>
{
    public async Task<WebhookEndpointResponse> Handle(RotateWebhookSecretCommand request, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.GetOrNotFoundAsync(currentCaller, request.Id, cancellationToken);
        WebhookETag.EnsureMatches(request.IfMatch, endpoint);
        var secret = RandomSecrets.SigningSecret();
        endpoint.RotateSecret(protector.Protect(secret), request.Grace ?? SecretGrace.Default, clock.UtcNow);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return mapper.Map<WebhookEndpointResponse>(endpoint) with { Secret = secret };
    }
}
