using MediatR;
using Webhooks.Application.Common;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;

namespace Webhooks.Application.Clients.RotateClientWebhookSecret;

/// <summary>
/// A new signing secret for the calling client, stored protected; the old one signs nothing more
/// (deliveries read the client's secret at each attempt). A client that no longer exists is 404.
/// </summary>
public sealed class RotateClientWebhookSecretCommandHandler(
    IClientRepository clients,
    IUnitOfWork unitOfWork,
    ICurrentCaller currentCaller,
    ISecretProtector protector,
    IClock clock) : IRequestHandler<RotateClientWebhookSecretCommand, ClientWebhookSecretResponse>
{
    public async Task<ClientWebhookSecretResponse> Handle(RotateClientWebhookSecretCommand request, CancellationToken cancellationToken)
    {
        var client = await clients.GetAsync(currentCaller.Caller!.Id, cancellationToken) ?? throw new NotFoundException();
        var secret = RandomSecrets.SigningSecret();
        client.RotateWebhookSecret(protector.Protect(secret), clock.UtcNow);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return new ClientWebhookSecretResponse(secret);
    }
}
