using System.Text.Json;
using System.Text.RegularExpressions;
using Webhooks.Domain.Common;

namespace Webhooks.Domain.Deliveries;

/// <summary>
/// Something that happened, published once and delivered to every receiver it fans out to (contract,
/// "Publishing events"). Either an organization's event (to its subscribed endpoints) or a device-API
/// client's (to its webhook URL). <see cref="Data"/> is kept as the JSON text that was published, so
/// that every envelope carries it exactly as sent.
/// </summary>
public sealed partial class Event
{
    /// <summary>A client event type's longest form.</summary>
    public const int MaxClientTypeLength = 100;

    public const string ClientTypeMessage = "must be a dotted lower-case name such as device.online (at most 100 characters)";

    public const string DataNotObjectMessage = "must be a JSON object";

    public const string DataNotTextMessage = "must be valid Unicode text";

    private Event()
    {
        // For EF Core.
    }

    public Guid Id { get; private set; }

    /// <summary>The publishing organization; <c>null</c> for a client's event.</summary>
    public Guid? OrgId { get; private set; }

    /// <summary>The device-API client the event is for; <c>null</c> for an organization's event.</summary>
    public Guid? ClientId { get; private set; }

    public string Type { get; private set; } = null!;

    /// <summary>The published <c>data</c> object, as JSON text exactly as it was sent.</summary>
    public string Data { get; private set; } = null!;

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>How many deliveries the event fanned out to when it was published.</summary>
    public int DeliveryCount { get; private set; }

    /// <summary>An organization's event of a catalog type (checked by the caller).</summary>
    public static Event ForOrganization(Guid id, Guid orgId, string type, EventData data, DateTimeOffset now) =>
        Create(id, orgId, null, type, data, now);

    /// <summary>A device-API client's event; <paramref name="type"/> passed <see cref="CheckClientType"/>.</summary>
    public static Event ForClient(Guid id, Guid clientId, string type, EventData data, DateTimeOffset now) =>
        Create(id, null, clientId, type, data, now);

    /// <summary>A client event type: any dotted lower-case name, at most <see cref="MaxClientTypeLength"/> characters.</summary>
    public static Outcome<string> CheckClientType(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Length <= MaxClientTypeLength && ClientTypePattern().IsMatch(type)
            ? Outcome<string>.Valid(type)
            : Outcome<string>.Invalid(ClientTypeMessage);
    }

    /// <summary>Creates a delivery of this event to <paramref name="target"/> and counts it.</summary>
    public Delivery DeliverTo(Guid deliveryId, DeliveryTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if ((target.ClientId is null) != (ClientId is null) || (ClientId is { } client && target.ClientId != client))
        {
            throw new InvalidOperationException("An organization's event goes to its endpoints; a client's event to that client.");
        }

        DeliveryCount++;
        return Delivery.Create(deliveryId, this, target);
    }

    private static Event Create(Guid id, Guid? orgId, Guid? clientId, string type, EventData data, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(data);
        return new Event { Id = id, OrgId = orgId, ClientId = clientId, Type = type, Data = data.Json, CreatedAt = now };
    }

    // \z, not $: a .NET $ also matches before a final line feed.
    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+\\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ClientTypePattern();
}

/// <summary>An event's <c>data</c>: a JSON object, kept as the text it was sent as.</summary>
public sealed class EventData
{
    private EventData(string json) => Json = json;

    public string Json { get; }

    /// <summary>
    /// A JSON object whose every name and string is Unicode text: JSON lets a string escape a lone
    /// surrogate (<c>"\ud800"</c>), which no receiver could decode and no writer can re-write.
    /// </summary>
    public static Outcome<EventData> From(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Outcome<EventData>.Invalid(Event.DataNotObjectMessage);
        }

        return IsText(element)
            ? Outcome<EventData>.Valid(new EventData(element.GetRawText()))
            : Outcome<EventData>.Invalid(Event.DataNotTextMessage);
    }

    private static bool IsText(JsonElement element)
    {
        try
        {
            return element.ValueKind switch
            {
                JsonValueKind.Object => element.EnumerateObject().All(property => property.Name is not null && IsText(property.Value)),
                JsonValueKind.Array => element.EnumerateArray().All(IsText),
                JsonValueKind.String => element.GetString() is not null,
                _ => true,
            };
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
