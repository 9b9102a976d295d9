using MediatR;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;

namespace Webhooks.Application.Clients.SuspendClient;

/// <summary>Admin: suspends a client; it then gets 403 on every request.</summary>
[RequiresScope(Caller.OperatorScope)]
public sealed record SuspendClientCommand(Guid ClientId) : IRequest<ClientSuspended>;

public sealed record ClientSuspended(Guid ClientId, DateTimeOffset SuspendedAt);

public sealed class SuspendClientCommandHandler(IClientRepository clients, IUnitOfWork unitOfWork, IClock clock)
    : IRequestHandler<SuspendClientCommand, ClientSuspended>
{
    public async Task<ClientSuspended> Handle(SuspendClientCommand request, CancellationToken cancellationToken)
    {
        var client = await clients.GetAsync(request.ClientId, cancellationToken) ?? throw new NotFoundException();
        client.Suspend(clock.UtcNow);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return new ClientSuspended(client.Id, client.SuspendedAt!.Value);
    }
}
