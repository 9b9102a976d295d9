using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks;

internal static class WebhookEndpointLookup
{
    /// <summary>
    /// The caller's organization's endpoint with this route id, tracked for a change, or
    /// <see cref="NotFoundException"/>: an id that is not exactly a hyphenated UUID names no endpoint,
    /// and an unknown, deleted or another organization's endpoint is not told apart from it.
    /// </summary>
    public static Task<WebhookEndpoint> GetOrNotFoundAsync(
        this IWebhookEndpointRepository endpoints, ICurrentCaller currentCaller, string id, CancellationToken cancellationToken) =>
        LoadAsync(endpoints.GetAsync, currentCaller, id, cancellationToken);

    /// <summary>As <see cref="GetOrNotFoundAsync"/>, untracked: for a request that only reads the endpoint.</summary>
    public static Task<WebhookEndpoint> ReadOrNotFoundAsync(
        this IWebhookEndpointRepository endpoints, ICurrentCaller currentCaller, string id, CancellationToken cancellationToken) =>
        LoadAsync(endpoints.ReadAsync, currentCaller, id, cancellationToken);

    private static async Task<WebhookEndpoint> LoadAsync(
        Func<Guid, Guid, CancellationToken, Task<WebhookEndpoint?>> load, ICurrentCaller currentCaller, string id, CancellationToken cancellationToken)
    {
        var orgId = currentCaller.Caller!.RequireOrganization();
        return id.Length == 36 && Guid.TryParseExact(id, "D", out var guid)
            ? await load(guid, orgId, cancellationToken) ?? throw new NotFoundException()
            : throw new NotFoundException();
    }
}
