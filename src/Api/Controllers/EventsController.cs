using System.ComponentModel;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Authentication;
using Webhooks.Api.Contracts;
using Webhooks.Api.Http;
using Webhooks.Api.OpenApi;
using Webhooks.Application.Deliveries;
using Webhooks.Application.Deliveries.GetClientEvent;
using Webhooks.Application.Common.Paging;
using Webhooks.Application.Deliveries.GetEvent;
using Webhooks.Application.Deliveries.ListDeliveries;
using Webhooks.Application.Deliveries.ListEvents;
using Webhooks.Application.Deliveries.PublishClientEvent;
using Webhooks.Application.Deliveries.PublishEvent;

namespace Webhooks.Api.Controllers;

/// <summary>Webhooks API v1: publishing events, an organization's and device-API clients'.</summary>
[ApiController]
[Route("v1")]
[Authorize(AuthenticationSchemes = ApiKeyAuthenticationHandler.SchemeName)]
[Produces("application/json")]
[Tags(OpenApiTags.Events)]
[EnvelopeError(StatusCodes.Status401Unauthorized)]
[EnvelopeError(StatusCodes.Status403Forbidden)]
[EnvelopeError(StatusCodes.Status429TooManyRequests)]
[EnvelopeError(StatusCodes.Status500InternalServerError)]
[EnvelopeError(StatusCodes.Status503ServiceUnavailable)]
public sealed class EventsController(IMediator mediator, RequestReader requests) : ControllerBase
{
    private const string IdempotencyKeyDescription = "1 to 255 visible ASCII characters; kept 24 hours per organization.";

    [HttpPost("events", Name = "PublishEvent")]
    [ScopeOf<PublishEventCommand>]
    [EndpointSummary("Publish an event")]
    [EndpointDescription("Scope `events:write`. Stores the event and, in the same transaction, one delivery for each of the organization's "
        + "endpoints that is active, not deleted and subscribed to the type. With `Idempotency-Key`, a retry with the same body "
        + "returns the first response and publishes nothing.")]
    [RequestBody(typeof(PublishEventRequest))]
    [ProducesResponseType<EventResponse>(StatusCodes.Status202Accepted, Description = "Accepted; `deliveries` is how many endpoints it is going to.")]
    [ResponseHeader(StatusCodes.Status202Accepted, "Location", "The event's path.")]
    [EnvelopeError(StatusCodes.Status400BadRequest)]
    [EnvelopeError(StatusCodes.Status413PayloadTooLarge)]
    [EnvelopeError(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<ActionResult<EventResponse>> Publish(
        JsonBody body,
        [FromHeader(Name = "Idempotency-Key")][Description(IdempotencyKeyDescription)] string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        var evt = await mediator.Send(requests.PublishEvent(body, idempotencyKey), cancellationToken);
        return Accepted($"/v1/events/{evt.Id}", evt);
    }

    [HttpGet("events", Name = "ListEvents")]
    [ScopeOf<ListEventsQuery>]
    [EndpointSummary("List events")]
    [EndpointDescription("Scope `webhooks:read`. The events the organization published, newest first, one page at a time, each as its publication answered.")]
    [ProducesResponseType<EventPage>(StatusCodes.Status200OK, Description = "One page; `next_cursor` fetches the next.")]
    [EnvelopeError(StatusCodes.Status400BadRequest)]
    public async Task<ActionResult<EventPage>> List(
        [FromQuery][Description("Only events of this type.")] string? type,
        [FromQuery][IntegerParameter(1, ListPaging.MaxLimit, ListPaging.DefaultLimit)][Description("Page size, 1 to 100.")] string? limit,
        [FromQuery][Description("The `next_cursor` of the previous page (opaque).")] string? cursor,
        CancellationToken cancellationToken) =>
        await mediator.Send(requests.ListEvents(type, limit, cursor), cancellationToken);

    [HttpGet("events/{id}", Name = "GetEvent")]
    [ScopeOf<GetEventQuery>]
    [EndpointSummary("Get an event")]
    [EndpointDescription("Scope `webhooks:read`. An event the organization published, as its publication answered.")]
    [ProducesResponseType<EventResponse>(StatusCodes.Status200OK, Description = "The event.")]
    [EnvelopeError(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<EventResponse>> Get(string id, CancellationToken cancellationToken) =>
        await mediator.Send(new GetEventQuery(RequestReader.EndpointId(id)), cancellationToken);

    [HttpGet("events/{id}/deliveries", Name = "ListEventDeliveries")]
    [ScopeOf<ListDeliveriesQuery>]
    [EndpointSummary("List an event's deliveries")]
    [EndpointDescription("Scope `webhooks:read`. The deliveries of one of the organization's events, one per endpoint it went to, newest first, "
        + "without their attempts (`GetDelivery` has them).")]
    [ProducesResponseType<DeliveryPage>(StatusCodes.Status200OK, Description = "One page; `next_cursor` fetches the next.")]
    [EnvelopeError(StatusCodes.Status400BadRequest)]
    [EnvelopeError(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<DeliveryPage>> ListDeliveries(
        string id,
        [FromQuery][IntegerParameter(1, ListPaging.MaxLimit, ListPaging.DefaultLimit)][Description("Page size, 1 to 100.")] string? limit,
        [FromQuery][Description("The `next_cursor` of the previous page (opaque).")] string? cursor,
        CancellationToken cancellationToken) =>
        await mediator.Send(requests.ListDeliveries(DeliveryListParent.Event, id, null, limit, cursor), cancellationToken);

    [HttpPost("clients/{client_id}/events", Name = "PublishClientEvent")]
    [ScopeOf<PublishClientEventCommand>]
    [EndpointSummary("Publish an event to a device-API client")]
    [EndpointDescription("Scope `clients:events:write`. `type` is any dotted lower-case name. One delivery to the client's webhook URL; "
        + "none (`deliveries: 0`, the event is still stored) when the client has no URL or is suspended. `Idempotency-Key` as on `PublishEvent`.")]
    [RequestBody(typeof(PublishEventRequest))]
    [ProducesResponseType<EventResponse>(StatusCodes.Status202Accepted, Description = "Accepted; `deliveries` is 1 or 0.")]
    [ResponseHeader(StatusCodes.Status202Accepted, "Location", "The event's path, under the client.")]
    [EnvelopeError(StatusCodes.Status400BadRequest)]
    [EnvelopeError(StatusCodes.Status404NotFound)]
    [EnvelopeError(StatusCodes.Status413PayloadTooLarge)]
    [EnvelopeError(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<ActionResult<EventResponse>> PublishToClient(
        [FromRoute(Name = "client_id")][Description("The client's `client_id`.")] string clientId,
        JsonBody body,
        [FromHeader(Name = "Idempotency-Key")][Description(IdempotencyKeyDescription)] string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        var command = requests.PublishClientEvent(clientId, body, idempotencyKey);
        var evt = await mediator.Send(command, cancellationToken);
        return Accepted($"/v1/clients/{command.ClientId}/events/{evt.Id}", evt);
    }

    [HttpGet("clients/{client_id}/events/{id}", Name = "GetClientEvent")]
    [ScopeOf<GetClientEventQuery>]
    [EndpointSummary("Get an event published to a device-API client")]
    [EndpointDescription("Scope `clients:events:write` (the scope that publishes them).")]
    [ProducesResponseType<EventResponse>(StatusCodes.Status200OK, Description = "The event.")]
    [EnvelopeError(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<EventResponse>> GetClientEvent(
        [FromRoute(Name = "client_id")][Description("The client's `client_id`.")] string clientId, string id, CancellationToken cancellationToken) =>
        await mediator.Send(new GetClientEventQuery(RequestReader.EndpointId(clientId), RequestReader.EndpointId(id)), cancellationToken);
}
