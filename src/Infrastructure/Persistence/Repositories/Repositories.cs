using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Organizations;
using Webhooks.Application.Webhooks;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Infrastructure.Persistence.Repositories;

internal sealed class WebhookEndpointRepository(WebhooksDbContext db) : IWebhookEndpointRepository
{
    public Task<WebhookEndpoint?> GetAsync(Guid id, Guid orgId, CancellationToken cancellationToken) =>
        db.Set<WebhookEndpoint>().FirstOrDefaultAsync(e => e.Id == id && e.OrgId == orgId && e.DeletedAt == null, cancellationToken);

    public void Add(WebhookEndpoint endpoint) => db.Add(endpoint);
}

internal sealed class OrganizationRepository(WebhooksDbContext db) : IOrganizationRepository
{
    public Task<bool> ExistsAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<Organization>().AnyAsync(o => o.Id == id, cancellationToken);

    public Task<bool> AnyAsync(CancellationToken cancellationToken) => db.Set<Organization>().AnyAsync(cancellationToken);

    public void Add(Organization organization) => db.Add(organization);
}

internal sealed class ApiKeyRepository(WebhooksDbContext db) : IApiKeyRepository
{
    public Task<ApiKey?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<ApiKey>().FirstOrDefaultAsync(k => k.Id == id, cancellationToken);

    public Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken) =>
        db.Set<ApiKey>().AsNoTracking().FirstOrDefaultAsync(k => k.KeyHash == keyHash, cancellationToken);

    public void Add(ApiKey apiKey) => db.Add(apiKey);
}
