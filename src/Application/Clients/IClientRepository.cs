using Webhooks.Domain.Clients;

namespace Webhooks.Application.Clients;

public interface IClientRepository
{
    /// <summary>The client with this id, tracked for change; <c>null</c> if it does not exist.</summary>
    Task<Client?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The client's credentials and status for authentication, untracked; <c>null</c> if none.</summary>
    Task<ClientCredentials?> FindCredentialsAsync(Guid id, CancellationToken cancellationToken);

    void Add(Client client);
}

/// <summary>What authentication needs of a client, and nothing more.</summary>
public sealed record ClientCredentials(Guid Id, string SecretHash, bool IsSuspended);
