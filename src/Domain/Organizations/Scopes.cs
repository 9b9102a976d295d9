namespace Webhooks.Domain.Organizations;

/// <summary>The scopes an API key can carry, and what each one allows.</summary>
public static class Scopes
{
    public const string WebhooksRead = "webhooks:read";

    public const string WebhooksWrite = "webhooks:write";

    /// <summary>Publishes the organization's events (<c>POST /v1/events</c>); implies nothing else.</summary>
    public const string EventsWrite = "events:write";

    /// <summary>Publishes events to device-API clients (<c>POST /v1/clients/{client_id}/events</c>): the platform's own back end.</summary>
    public const string ClientEventsWrite = "clients:events:write";

    /// <summary>A device-API client may read its webhook URL.</summary>
    public const string ClientWebhookUrlRead = "client:webhook_url:read";

    /// <summary>A device-API client may change its webhook URL.</summary>
    public const string ClientWebhookUrlWrite = "client:webhook_url:write";

    /// <summary>A device-API client may replace its webhook signing secret.</summary>
    public const string ClientWebhookSecretWrite = "client:webhook_secret:write";

    /// <summary>What an active client holds; a suspended one holds nothing.</summary>
    public static IReadOnlyList<string> ActiveClientScopes { get; } = [ClientWebhookUrlRead, ClientWebhookUrlWrite, ClientWebhookSecretWrite];

    /// <summary>The scopes an API key may be given.</summary>
    public static IReadOnlyList<string> ApiKeyScopes { get; } = [WebhooksRead, WebhooksWrite, EventsWrite, ClientEventsWrite];

    /// <summary>Whether holding <paramref name="held"/> grants <paramref name="required"/>; a <c>...:write</c> scope also allows the matching <c>...:read</c>
    /// and nothing else (<c>webhooks:write</c> does not publish events).</summary>
    public static bool Grants(string held, string required)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(required);
        return string.Equals(held, required, StringComparison.Ordinal)
            || (held.EndsWith(":write", StringComparison.Ordinal) && required.EndsWith(":read", StringComparison.Ordinal)
                && held.AsSpan(0, held.Length - ":write".Length).SequenceEqual(required.AsSpan(0, required.Length - ":read".Length)));
    }
}
