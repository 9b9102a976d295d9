using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Authentication;
using Webhooks.Api.Http;
using Webhooks.Api.OpenApi;
using Webhooks.Application.Deliveries;
using Webhooks.Application.Deliveries.GetDelivery;
using Webhooks.Application.Deliveries.RetryDelivery;

namespace Webhooks.Api.Controllers;

/// <summary>Webhooks API v1: what happened to an organization's deliveries.</summary>
[ApiController]
[Route("v1/deliveries")]
[Authorize(AuthenticationSchemes = ApiKeyAuthenticationHandler.SchemeName)]
[Produces("application/json")]
[Tags(OpenApiTags.Deliveries)]
[EnvelopeError(StatusCodes.Status401Unauthorized)]
[EnvelopeError(StatusCodes.Status403Forbidden)]
[EnvelopeError(StatusCodes.Status429TooManyRequests)]
[EnvelopeError(StatusCodes.Status500InternalServerError)]
[EnvelopeError(StatusCodes.Status503ServiceUnavailable)]
public sealed class DeliveriesController(IMediator mediator) : ControllerBase
{
    [HttpGet("{id}", Name = "GetDelivery")]
    [ScopeOf<GetDeliveryQuery>]
    [EndpointSummary("Get a delivery with its attempts")]
    [EndpointDescription("Scope `webhooks:read`. One delivery of an event to one of the organization's endpoints, with every attempt in number order: "
        + "its trigger, start, duration, the response status and the start of the response body, or the error.")]
    [ProducesResponseType<DeliveryDetailResponse>(StatusCodes.Status200OK, Description = "The delivery.")]
    [EnvelopeError(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<DeliveryDetailResponse>> Get(string id, CancellationToken cancellationToken) =>
        await mediator.Send(new GetDeliveryQuery(RequestReader.EndpointId(id)), cancellationToken);

    [HttpPost("{id}/retry", Name = "RetryDelivery")]
    [ScopeOf<RetryDeliveryCommand>]
    [EndpointSummary("Retry a delivery now")]
    [EndpointDescription("Scope `webhooks:write`. One manual attempt now, whatever the delivery's status, made and recorded before the answer "
        + "(bounded by the delivery time-out). A `2xx` makes the delivery `succeeded`; any other failure leaves its status and `next_attempt_at` "
        + "as they were (a manual attempt does not restart the retry schedule); a `410` deactivates the endpoint. "
        + "409 when the endpoint is inactive or deleted, or while another attempt of the delivery is in flight.")]
    [ProducesResponseType<DeliveryDetailResponse>(StatusCodes.Status200OK, Description = "The delivery after the attempt, with every attempt, as `GetDelivery` shows it.")]
    [EnvelopeError(StatusCodes.Status404NotFound)]
    [EnvelopeError(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<DeliveryDetailResponse>> Retry(string id, CancellationToken cancellationToken) =>
        await mediator.Send(new RetryDeliveryCommand(RequestReader.EndpointId(id)), cancellationToken);
}
