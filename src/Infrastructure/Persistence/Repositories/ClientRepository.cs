using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Clients;
using Webhooks.Domain.Clients;

namespace Webhooks.Infrastructure.Persistence.Repositories;

internal sealed class ClientRepository(WebhooksDbContext db) : IClientRepository
{
    public Task<Client?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<Client>().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);

    public Task<ClientCredentials?> FindCredentialsAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<Client>().AsNoTracking()
            .Where(c => c.Id == id)
            .Select(c => new ClientCredentials(c.Id, c.SecretHash, c.SuspendedAt != null))
            .FirstOrDefaultAsync(cancellationToken);

    public void Add(Client client) => db.Add(client);
}
