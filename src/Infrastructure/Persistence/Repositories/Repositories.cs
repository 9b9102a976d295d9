using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Webhooks.Application.Organizations;
using Webhooks.Application.Webhooks;
using Webhooks.Domain.Idempotency;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Infrastructure.Persistence.Repositories;

internal sealed class WebhookEndpointRepository(WebhooksDbContext db) : IWebhookEndpointRepository
{
    public Task<WebhookEndpoint?> GetAsync(Guid id, Guid orgId, CancellationToken cancellationToken) =>
        FindAsync(id, orgId, tracked: true, cancellationToken);

    public Task<WebhookEndpoint?> ReadAsync(Guid id, Guid orgId, CancellationToken cancellationToken) =>
        FindAsync(id, orgId, tracked: false, cancellationToken);

    private Task<WebhookEndpoint?> FindAsync(Guid id, Guid orgId, bool tracked, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var lookup = EndpointLookup.For(db);
        return (tracked ? lookup.Tracked : lookup.Untracked)(db, id, orgId);
    }

    // The hottest query (GET untracked, PATCH/DELETE/rotate tracked), compiled: it skips EF Core's
    // per-call expression comparison and cache lookup. A compiled query refuses to run against any
    // model but the one it first ran with, so there is one pair per model (one per provider's
    // context type in the service; tests that build contexts with other options get their own).
    private sealed class EndpointLookup
    {
        private static readonly ConditionalWeakTable<IModel, EndpointLookup> ByModel = new();

        public static EndpointLookup For(DbContext context) => ByModel.GetValue(context.Model, _ => new EndpointLookup());

        public Func<WebhooksDbContext, Guid, Guid, Task<WebhookEndpoint?>> Tracked { get; } = EF.CompileAsyncQuery(
            (WebhooksDbContext context, Guid id, Guid orgId) =>
                context.Set<WebhookEndpoint>().FirstOrDefault(e => e.Id == id && e.OrgId == orgId && e.DeletedAt == null));

        public Func<WebhooksDbContext, Guid, Guid, Task<WebhookEndpoint?>> Untracked { get; } = EF.CompileAsyncQuery(
            (WebhooksDbContext context, Guid id, Guid orgId) =>
                context.Set<WebhookEndpoint>().AsNoTracking().FirstOrDefault(e => e.Id == id && e.OrgId == orgId && e.DeletedAt == null));
    }

    public void Add(WebhookEndpoint endpoint)
    {
        db.Add(endpoint);
        ListPosition.Assign(db, endpoint, endpoint.Id);
    }

    public async Task<IReadOnlyList<WebhookEndpoint>> ListAsync(Guid orgId, Guid? afterId, int take, CancellationToken cancellationToken)
    {
        return await db.Set<WebhookEndpoint>().AsNoTracking().Where(e => e.OrgId == orgId && e.DeletedAt == null)
            .NewestFirst(afterId, take).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Guid>> ListReceivingAsync(Guid orgId, string eventType, CancellationToken cancellationToken)
    {
        // The subscription set is a JSON list in one column: the organization's few active endpoints
        // are read and filtered here, the same way on every provider.
        var active = await db.Set<WebhookEndpoint>().AsNoTracking()
            .Where(e => e.OrgId == orgId && e.Active && e.DeletedAt == null)
            .OrderBy(e => e.Id)
            .Select(e => new { e.Id, Events = EF.Property<List<string>>(e, "_events") })
            .ToListAsync(cancellationToken);
        return active.Where(e => e.Events.Contains(eventType, StringComparer.Ordinal)).Select(e => e.Id).ToList();
    }
}

internal sealed class EventRepository(WebhooksDbContext db) : Application.Deliveries.IEventRepository
{
    public void Add(Domain.Deliveries.Event evt, IEnumerable<Domain.Deliveries.Delivery> deliveries)
    {
        db.Add(evt);
        ListPosition.Assign(db, evt, evt.Id);
        foreach (var delivery in deliveries)
        {
            db.Add(delivery);
            ListPosition.Assign(db, delivery, delivery.Id);
        }
    }

    public Task<Domain.Deliveries.Event?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<Domain.Deliveries.Event>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);

    public async Task<IReadOnlyList<Domain.Deliveries.Event>> ListAsync(Guid orgId, string? type, Guid? afterId, int take, CancellationToken cancellationToken)
    {
        if (type?.Contains('\0', StringComparison.Ordinal) == true)
        {
            // No stored type holds a NUL, and PostgreSQL's text cannot even be compared with one.
            return [];
        }

        var query = db.Set<Domain.Deliveries.Event>().AsNoTracking().Where(e => e.OrgId == orgId);
        if (type is not null)
        {
            query = query.Where(e => e.Type == type);
        }

        return await query.NewestFirst(afterId, take).ToListAsync(cancellationToken);
    }
}

internal sealed class DeliveryReader(WebhooksDbContext db) : Application.Deliveries.IDeliveryReader
{
    public Task<Domain.Deliveries.Delivery?> FindWithAttemptsAsync(Guid id, Guid orgId, CancellationToken cancellationToken) =>
        db.Set<Domain.Deliveries.Delivery>().AsNoTracking().Include(d => d.Attempts)
            .FirstOrDefaultAsync(d => d.Id == id && d.OrgId == orgId && d.EndpointId != null, cancellationToken);

    public async Task<IReadOnlyList<Domain.Deliveries.Delivery>> ListAsync(
        Application.Deliveries.DeliveryFilter filter, Guid? afterId, int take, CancellationToken cancellationToken)
    {
        var query = db.Set<Domain.Deliveries.Delivery>().AsNoTracking().Where(d => d.OrgId == filter.OrgId && d.EndpointId != null);
        if (filter.EndpointId is { } endpointId)
        {
            query = query.Where(d => d.EndpointId == endpointId);
        }

        if (filter.EventId is { } eventId)
        {
            query = query.Where(d => d.EventId == eventId);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(d => d.Status == status);
        }

        return await query.NewestFirst(afterId, take).ToListAsync(cancellationToken);
    }
}

internal sealed class WebhookHistoryReader(WebhooksDbContext db) : Application.Webhooks.ListWebhookHistory.IWebhookHistoryReader
{
    public async Task<IReadOnlyList<Application.Webhooks.ListWebhookHistory.WebhookHistoryRecord>> ListAsync(
        Guid endpointId, Guid? afterId, int take, CancellationToken cancellationToken) =>
        await db.Set<Application.Webhooks.ListWebhookHistory.WebhookHistoryRecord>().AsNoTracking()
            .Where(h => h.EndpointId == endpointId).NewestFirst(afterId, take).ToListAsync(cancellationToken);
}

internal sealed class IdempotencyStore(WebhooksDbContext db) : IIdempotencyStore
{
    public Task<IdempotencyRecord?> FindAsync(Guid orgId, string key, CancellationToken cancellationToken) =>
        db.Set<IdempotencyRecord>().FirstOrDefaultAsync(r => r.OrgId == orgId && r.Key == key, cancellationToken);

    public void Add(IdempotencyRecord record) => db.Add(record);

    public void Remove(IdempotencyRecord record) => db.Remove(record);
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
