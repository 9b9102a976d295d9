using Webhooks.Application.Common.Errors;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks;

/// <summary>
/// An endpoint's entity tag: strong, and different for every revision of every endpoint.
/// <c>If-Match</c> is compared with it (strong comparison; <c>*</c> matches any existing endpoint).
/// </summary>
public static class WebhookETag
{
    public static string For(Guid id, int revision) => $"\"{id:N}.{revision}\"";

    public static string For(WebhookEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return For(endpoint.Id, endpoint.Revision);
    }

    /// <exception cref="PreconditionFailedException"><paramref name="ifMatch"/> is given and matches no current tag.</exception>
    public static void EnsureMatches(IfMatch? ifMatch, WebhookEndpoint endpoint)
    {
        if (ifMatch is not null && !ifMatch.Matches(For(endpoint)))
        {
            throw new PreconditionFailedException();
        }
    }
}
