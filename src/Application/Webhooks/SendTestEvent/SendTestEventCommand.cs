using System.Text.Json;
using AutoMapper;
using MediatR;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Deliveries;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Webhooks.SendTestEvent;

/// <summary>Sends one event of type <see cref="SendTestEventCommand.EventType"/> to this endpoint only, whatever it subscribes to.</summary>
[RequiresScope(Scopes.WebhooksWrite)]
public sealed record SendTestEventCommand(Guid Id) : IRequest<DeliveryDetailResponse>
{
    /// <summary>The test event's type; not in the catalog, so no endpoint subscribes to it and no caller can publish it.</summary>
    public const string EventType = "webhook.test";

    public const string Message = "This is a test event from the webhooks service.";

    /// <summary>The test event's <c>data</c>: the fixed message and the endpoint it was sent to.</summary>
    public static EventData DataFor(Guid endpointId) =>
        EventData.From(JsonSerializer.SerializeToElement(new Dictionary<string, string>
        {
            ["message"] = Message,
            ["endpoint_id"] = endpointId.ToString(),
        })).Value!;
}

/// <summary>
/// Stores a <c>webhook.test</c> event of the caller's organization with one pending delivery to the
/// endpoint (<see cref="EventPublisher"/>: one unit of work, then the worker is woken). An unknown,
/// deleted or another organization's endpoint is 404; an inactive one is 409, as nothing would be sent.
/// </summary>
public sealed class SendTestEventCommandHandler(
    IWebhookEndpointRepository endpoints,
    ICurrentCaller currentCaller,
    EventPublisher publisher,
    IIdGenerator ids,
    IMapper mapper) : IRequestHandler<SendTestEventCommand, DeliveryDetailResponse>
{
    public async Task<DeliveryDetailResponse> Handle(SendTestEventCommand request, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.ReadOrNotFoundAsync(currentCaller, request.Id, cancellationToken);
        if (!endpoint.ReceivesDeliveries)
        {
            throw new ConflictException();
        }

        Delivery? delivery = null;
        await publisher.PublishAsync(
            key: null,
            (orgId, now) =>
            {
                var evt = Event.ForOrganization(ids.NewId(), orgId, SendTestEventCommand.EventType, SendTestEventCommand.DataFor(endpoint.Id), now);
                delivery = evt.DeliverTo(ids.NewId(), DeliveryTarget.Endpoint(endpoint.Id));
                return Task.FromResult(new Publication(evt, [delivery]));
            },
            cancellationToken);
        return mapper.Map<DeliveryDetailResponse>(delivery!);
    }
}
