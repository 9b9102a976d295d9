using Webhooks.Domain.Common;

namespace Webhooks.Domain.Webhooks;

/// <summary>An event type that endpoints can subscribe to.</summary>
public sealed record EventType(string Name, string Description);

/// <summary>
/// The webhook configuration of the service: the event types and API versions that exist, and the
/// networks webhook URLs may point to. They are configuration, not code; the newest
/// API version (the greatest, as versions are ISO dates) is the default for new endpoints.
/// </summary>
public sealed class WebhookCatalog
{
    private readonly Dictionary<string, EventType> _eventTypes;

    public WebhookCatalog(IEnumerable<EventType> eventTypes, IEnumerable<string> apiVersions, UrlPolicy? urlPolicy = null)
    {
        UrlPolicy = urlPolicy ?? UrlPolicy.PublicInternetOnly;
        EventTypes = eventTypes.ToList();
        ApiVersions = apiVersions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (EventTypes.Count == 0 || ApiVersions.Count == 0)
        {
            throw new ArgumentException("The catalog needs at least one event type and one API version.");
        }

        _eventTypes = EventTypes.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<EventType> EventTypes { get; }

    /// <summary>Which hosts webhook URLs may name (the server-side-request-forgery rule).</summary>
    public UrlPolicy UrlPolicy { get; }

    /// <summary>The configured API versions, oldest first.</summary>
    public IReadOnlyList<string> ApiVersions { get; }

    public string LatestApiVersion => ApiVersions[^1];

    public bool IsKnownEventType(string name) => _eventTypes.ContainsKey(name);

    /// <summary>The message for an event type that is not in the catalog.</summary>
    public static string UnknownEventTypeMessage(string name) => $"unknown event type '{name}'";

    /// <summary>An event type of the catalog, or why not (<see cref="UnknownEventTypeMessage"/>).</summary>
    public Outcome<string> CheckEventType(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return IsKnownEventType(name) ? Outcome<string>.Valid(name) : Outcome<string>.Invalid(UnknownEventTypeMessage(name));
    }

    public bool IsKnownApiVersion(string version) => ApiVersions.Contains(version, StringComparer.Ordinal);
}
