using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Authentication;
using Webhooks.Application.Webhooks.ListEventTypes;

namespace Webhooks.Api.Controllers;

/// <summary>The event types endpoints may subscribe to.</summary>
[ApiController]
[Route("v1/event-types")]
[Authorize(AuthenticationSchemes = ApiKeyAuthenticationHandler.SchemeName)]
[Produces("application/json")]
public sealed class EventTypesController(IMediator mediator) : ControllerBase
{
    [HttpGet(Name = "ListEventTypes")]
    public async Task<ActionResult<EventTypeList>> List(CancellationToken cancellationToken) =>
        await mediator.Send(new ListEventTypesQuery(), cancellationToken);
}
