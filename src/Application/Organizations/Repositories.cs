using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Organizations;

public interface IOrganizationRepository
{
    Task<bool> ExistsAsync(Guid id, CancellationToken cancellationToken);

    Task<bool> AnyAsync(CancellationToken cancellationToken);

    void Add(Organization organization);
}

public interface IApiKeyRepository
{
    Task<ApiKey?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The key whose hash this is, revoked or not; <c>null</c> if none.</summary>
    Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken);

    void Add(ApiKey apiKey);
}
