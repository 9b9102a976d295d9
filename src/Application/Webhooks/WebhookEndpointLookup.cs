using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks;

internal static class WebhookEndpointLookup
{
    /// <summary>
    /// The caller's organization's endpoint with this route id, or <see cref="NotFoundException"/>:
    /// an id that is not exactly a hyphenated UUID names no endpoint, and an unknown, deleted or
    /// another organization's endpoint is not told apart from it.
    /// </summary>
    public static async Task<WebhookEndpoint> GetOrNotFoundAsync(
        this IWebhookEndpointRepository endpoints, ICurrentCaller currentCaller, string id, CancellationToken cancellationToken)
    {
        var orgId = currentCaller.Caller!.RequireOrganization();
        return id.Length == 36 && Guid.TryParseExact(id, "D", out var guid)
            ? await endpoints.GetAsync(guid, orgId, cancellationToken) ?? throw new NotFoundException()
            : throw new NotFoundException();
    }
}
