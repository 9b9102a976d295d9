using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Authentication;
using Webhooks.Api.OpenApi;
using Webhooks.Application.Webhooks.ListEventTypes;

namespace Webhooks.Api.Controllers;

/// <summary>The event types endpoints may subscribe to.</summary>
[ApiController]
[Route("v1/event-types")]
[Authorize(AuthenticationSchemes = ApiKeyAuthenticationHandler.SchemeName)]
[Produces("application/json")]
[Tags(OpenApiTags.Webhooks)]
public sealed class EventTypesController(IMediator mediator) : ControllerBase
{
    [HttpGet(Name = "ListEventTypes")]
    [ScopeOf<ListEventTypesQuery>]
    [EndpointSummary("List the event types")]
    [EndpointDescription("The configured event types endpoints may subscribe to. Any valid API key.")]
    [ProducesResponseType<EventTypeList>(StatusCodes.Status200OK, Description = "The catalog.")]
    [EnvelopeError(StatusCodes.Status401Unauthorized)]
    [EnvelopeError(StatusCodes.Status429TooManyRequests)]
    [EnvelopeError(StatusCodes.Status500InternalServerError)]
    [EnvelopeError(StatusCodes.Status503ServiceUnavailable)]
    public async Task<ActionResult<EventTypeList>> List(CancellationToken cancellationToken) =>
        await mediator.Send(new ListEventTypesQuery(), cancellationToken);
}
