using Webhooks.Domain.Common;

namespace Webhooks.Domain.Webhooks;

/// <summary>
/// The event types an endpoint subscribes to: a non-empty list of known types, duplicates
/// collapsed with the first occurrence's order kept. It always replaces the whole set.
/// </summary>
public sealed class EventTypeSet
{
    public const string MissingMessage = "must be a non-empty array of event types";

    public const string EmptyMessage = "must contain at least one event type";

    public const string NotAStringMessage = "must be a string";

    private EventTypeSet(IReadOnlyList<string> items) => Items = items;

    public IReadOnlyList<string> Items { get; }

    public static Outcome<EventTypeSet> Create(IReadOnlyList<string?>? items, WebhookCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (items is null)
        {
            return Outcome<EventTypeSet>.Invalid(MissingMessage);
        }

        if (items.Count == 0)
        {
            return Outcome<EventTypeSet>.Invalid(EmptyMessage);
        }

        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var kept = new List<string>(items.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item is null)
            {
                errors[$"[{i}]"] = NotAStringMessage;
            }
            else if (!catalog.IsKnownEventType(item))
            {
                errors[$"[{i}]"] = WebhookCatalog.UnknownEventTypeMessage(item);
            }
            else if (seen.Add(item))
            {
                kept.Add(item);
            }
        }

        return errors.Count > 0 ? Outcome<EventTypeSet>.Invalid(errors) : Outcome<EventTypeSet>.Valid(new EventTypeSet(kept));
    }

    public bool Matches(IReadOnlyList<string> other) => Items.SequenceEqual(other, StringComparer.Ordinal);
}
