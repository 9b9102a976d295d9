using MediatR;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Clients;

namespace Webhooks.Application.Clients.CreateClient;

/// <summary>Admin: registers a device-API client. Its secrets are in the result, and nowhere else, ever.</summary>
[RequiresScope(Caller.OperatorScope)]
public sealed record CreateClientCommand(string CustomerId) : IRequest<ClientIssued>;

/// <param name="WebhookSecret">The secret that signs the client's webhooks (<c>whsec_...</c>), also shown only this once.</param>
public sealed record ClientIssued(Guid ClientId, string CustomerId, string ClientSecret, string WebhookSecret);

public sealed class CreateClientCommandHandler(
    IClientRepository clients, IUnitOfWork unitOfWork, ISecretHasher hasher, ISecretProtector protector, IIdGenerator ids, IClock clock)
    : IRequestHandler<CreateClientCommand, ClientIssued>
{
    public async Task<ClientIssued> Handle(CreateClientCommand request, CancellationToken cancellationToken)
    {
        var secret = Common.RandomSecrets.ClientSecret();
        var webhookSecret = Common.RandomSecrets.SigningSecret();
        var client = Client.Register(ids.NewId(), request.CustomerId, hasher.Hash(secret), protector.Protect(webhookSecret), clock.UtcNow);
        clients.Add(client);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return new ClientIssued(client.Id, client.CustomerId, secret, webhookSecret);
    }
}
