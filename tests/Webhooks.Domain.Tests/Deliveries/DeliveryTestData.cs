using System.Text.Json;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Domain.Tests.Deliveries;

/// <summary>Events and deliveries as the publishing side makes them, at fixed instants.</summary>
internal static class DeliveryTestData
{
    public static readonly Guid EventId = Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3c0");
    public static readonly Guid DeliveryId = Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3c1");
    public static readonly Guid ClientId = Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3c2");

    /// <summary>An event's <c>data</c> as it was published.</summary>
    public static EventData Data(string json)
    {
        using var document = JsonDocument.Parse(json);
        return EventData.From(document.RootElement).Value!;
    }

    public static Event OrganizationEvent(string data = """{"wallet_id":"w_1"}""") =>
        Event.ForOrganization(EventId, TestData.OrgId, TestData.BalanceLow, Data(data), TestData.CreatedAt);

    public static Event ClientEvent() =>
        Event.ForClient(EventId, ClientId, "device.online", Data("""{"device":"d_1"}"""), TestData.CreatedAt);

    /// <summary>A new pending delivery of <see cref="OrganizationEvent"/> to <see cref="TestData.EndpointId"/>.</summary>
    public static Delivery ToEndpoint() => OrganizationEvent().DeliverTo(DeliveryId, DeliveryTarget.Endpoint(TestData.EndpointId));

    /// <summary>An answer with this status after <paramref name="milliseconds"/>.</summary>
    public static AttemptResult Answer(int status, double milliseconds = 250, string? body = "ok", TimeSpan? retryAfter = null) =>
        new(status, TimeSpan.FromMilliseconds(milliseconds), body, null, retryAfter);
}
