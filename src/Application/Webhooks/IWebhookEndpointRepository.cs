using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks;

/// <summary>Loads and adds webhook endpoints; saving is the unit of work's job.</summary>
public interface IWebhookEndpointRepository
{
    /// <summary>The organization's endpoint with this id, or <c>null</c> if it does not exist, is deleted, or belongs to another organization.</summary>
    Task<WebhookEndpoint?> GetAsync(Guid id, Guid orgId, CancellationToken cancellationToken);

    /// <summary>
    /// The same endpoint as <see cref="GetAsync"/>, untracked: for a request that only reads it
    /// (nothing it changes on the returned aggregate would be saved).
    /// </summary>
    Task<WebhookEndpoint?> ReadAsync(Guid id, Guid orgId, CancellationToken cancellationToken);

    void Add(WebhookEndpoint endpoint);

    /// <summary>
    /// Up to <paramref name="take"/> of the organization's endpoints that are not deleted, newest
    /// first, after <paramref name="afterId"/> in that order; untracked. Served by an index (keyset),
    /// so the cost does not grow with the pages skipped.
    /// </summary>
    Task<IReadOnlyList<WebhookEndpoint>> ListAsync(Guid orgId, Guid? afterId, int take, CancellationToken cancellationToken);

    /// <summary>
    /// The ids of the organization's endpoints that receive <paramref name="eventType"/> now: active,
    /// not deleted, subscribed to it. Read in the publishing transaction, for its fan-out.
    /// </summary>
    Task<IReadOnlyList<Guid>> ListReceivingAsync(Guid orgId, string eventType, CancellationToken cancellationToken);
}

/// <summary>Idempotency records of an organization's requests.</summary>
public interface IIdempotencyStore
{
    Task<Domain.Idempotency.IdempotencyRecord?> FindAsync(Guid orgId, string key, CancellationToken cancellationToken);

    void Add(Domain.Idempotency.IdempotencyRecord record);

    void Remove(Domain.Idempotency.IdempotencyRecord record);
}
