using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Authentication;
using Webhooks.Api.Http;
using Webhooks.Api.OpenApi;
using Webhooks.Application.Deliveries;
using Webhooks.Application.Deliveries.GetDelivery;

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
}
