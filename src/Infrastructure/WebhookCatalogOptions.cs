using Microsoft.Extensions.Configuration;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Infrastructure;

/// <summary>
/// Configuration section <c>Webhooks</c>: <c>EventTypes</c> (a list of <c>Name</c> and
/// <c>Description</c>) and <c>ApiVersions</c>. Without it, the seed's four event types and
/// API version <c>2026-04-01</c>. <c>AllowedPrivateNetworks</c> lists CIDR networks that webhook URLs may
/// point to although they are not on the public internet (none by default).
/// </summary>
public sealed class WebhookCatalogOptions
{
    public const string Section = "Webhooks";

    public List<EventTypeOption> EventTypes { get; set; } = [];

    public List<string> ApiVersions { get; set; } = [];

    /// <summary>Private networks (CIDR) that webhook URLs may point to, for on-premises receivers. None by default.</summary>
    public List<string> AllowedPrivateNetworks { get; set; } = [];

    public static IReadOnlyList<EventType> DefaultEventTypes { get; } =
    [
        new("wallet.balance_low", "A wallet's balance fell below its low-balance threshold."),
        new("wallet.balance_zero", "A wallet's balance reached zero."),
        new("subscription.past_due", "A subscription's payment is past due."),
        new("subscription.canceled", "A subscription was canceled."),
    ];

    public const string DefaultApiVersion = "2026-04-01";

    public static WebhookCatalog Load(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<WebhookCatalogOptions>() ?? new WebhookCatalogOptions();
        var eventTypes = options.EventTypes.Count > 0
            ? options.EventTypes.Select(e => new EventType(e.Name, e.Description)).ToList()
            : DefaultEventTypes;
        var apiVersions = options.ApiVersions.Count > 0 ? options.ApiVersions : [DefaultApiVersion];
        return new WebhookCatalog(eventTypes, apiVersions, new UrlPolicy(options.AllowedPrivateNetworks));
    }

    public sealed class EventTypeOption
    {
        public string Name { get; set; } = string.Empty;

        public string Description { get; set; } = string.Empty;
    }
}
