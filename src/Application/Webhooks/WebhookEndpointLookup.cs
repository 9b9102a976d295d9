using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks;

internal static class WebhookEndpointLookup
{
    /// <summary>
    /// The caller's organization's endpoint with this id, tracked for a change, or
    /// <see cref="NotFoundException"/>: an unknown, deleted or another organization's endpoint is
    /// not told apart.
    /// </summary>
    public static async Task<WebhookEndpoint> GetOrNotFoundAsync(
        this IWebhookEndpointRepository endpoints, ICurrentCaller currentCaller, Guid id, CancellationToken cancellationToken) =>
        await endpoints.GetAsync(id, currentCaller.Caller!.RequireOrganization(), cancellationToken) ?? throw new NotFoundException();

    /// <summary>As <see cref="GetOrNotFoundAsync"/>, untracked: for a request that only reads the endpoint.</summary>
    public static async Task<WebhookEndpoint> ReadOrNotFoundAsync(
        this IWebhookEndpointRepository endpoints, ICurrentCaller currentCaller, Guid id, CancellationToken cancellationToken) =>
        await endpoints.ReadAsync(id, currentCaller.Caller!.RequireOrganization(), cancellationToken) ?? throw new NotFoundException();
}
