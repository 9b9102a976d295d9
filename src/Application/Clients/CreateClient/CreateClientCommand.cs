using MediatR;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Clients;

namespace Webhooks.Application.Clients.CreateClient;

/// <summary>Admin: registers a device-API client. The secret is in the result, and nowhere else, ever.</summary>
[RequiresScope(Caller.OperatorScope)]
public sealed record CreateClientCommand(string CustomerId) : IRequest<ClientIssued>;

public sealed record ClientIssued(Guid ClientId, string CustomerId, string ClientSecret);

public sealed class CreateClientCommandHandler(IClientRepository clients, IUnitOfWork unitOfWork, ISecretHasher hasher, IIdGenerator ids, IClock clock)
    : IRequestHandler<CreateClientCommand, ClientIssued>
{
    public async Task<ClientIssued> Handle(CreateClientCommand request, CancellationToken cancellationToken)
    {
        var secret = Common.RandomSecrets.ClientSecret();
        var client = Client.Register(ids.NewId(), request.CustomerId, hasher.Hash(secret), clock.UtcNow);
        clients.Add(client);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return new ClientIssued(client.Id, client.CustomerId, secret);
    }
}
