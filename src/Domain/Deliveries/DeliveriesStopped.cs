using Webhooks.Domain.Common;

namespace Webhooks.Domain.Deliveries;

/// <summary>
/// A receiver no longer takes deliveries: an endpoint was deactivated or deleted, or a client's
/// webhook URL was cleared or the client suspended. Its pending deliveries are canceled in the same
/// transaction, and nothing more is sent there (contract, "The request a receiver gets").
/// </summary>
public sealed record DeliveriesStopped(DeliveryTarget Target) : IDomainEvent;

/// <summary>Where a delivery goes: one webhook endpoint of an organization, or one device-API client's webhook URL.</summary>
public sealed record DeliveryTarget
{
    private DeliveryTarget(Guid? endpointId, Guid? clientId)
    {
        EndpointId = endpointId;
        ClientId = clientId;
    }

    public Guid? EndpointId { get; }

    public Guid? ClientId { get; }

    public static DeliveryTarget Endpoint(Guid endpointId) => new(endpointId, null);

    public static DeliveryTarget Client(Guid clientId) => new(null, clientId);
}
