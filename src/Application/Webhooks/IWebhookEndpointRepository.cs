using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks;

/// <summary>Loads and adds webhook endpoints; saving is the unit of work's job.</summary>
public interface IWebhookEndpointRepository
{
    /// <summary>The organization's endpoint with this id, or <c>null</c> if it does not exist, is deleted, or belongs to another organization.</summary>
    Task<WebhookEndpoint?> GetAsync(Guid id, Guid orgId, CancellationToken cancellationToken);

    void Add(WebhookEndpoint endpoint);
}
