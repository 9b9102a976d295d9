using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Authentication;
using Webhooks.Api.Contracts;
using Webhooks.Api.Http;
using Webhooks.Api.OpenApi;
using Webhooks.Application.Clients;
using Webhooks.Application.Clients.GetClientWebhookUrl;
using Webhooks.Application.Clients.RotateClientWebhookSecret;
using Webhooks.Application.Clients.UpdateClientWebhookUrl;

namespace Webhooks.Api.Controllers;

/// <summary>Clients API: the authenticated device-API client's webhook URL and signing secret.</summary>
[ApiController]
[Route("clients/webhook-url")]
[Authorize(AuthenticationSchemes = BasicAuthenticationHandler.SchemeName)]
[Produces("application/json")]
[Tags(OpenApiTags.Clients)]
[ProblemError(StatusCodes.Status401Unauthorized)]
[ProblemError(StatusCodes.Status403Forbidden)]
[ProblemError(StatusCodes.Status429TooManyRequests)]
[ProblemError(StatusCodes.Status404NotFound)]
[ProblemError(StatusCodes.Status500InternalServerError)]
[ProblemError(StatusCodes.Status503ServiceUnavailable)]
public sealed class ClientsController(IMediator mediator, RequestReader requests) : ControllerBase
{
    [HttpGet(Name = "GetClientWebhookUrl")]
    [ScopeOf<GetClientWebhookUrlQuery>]
    [EndpointSummary("Get the client's webhook URL")]
    [EndpointDescription("`webhook_url` is `\"\"` when none is set.")]
    [ProducesResponseType<ClientResponse>(StatusCodes.Status200OK, Description = "The client and its webhook URL.")]
    public async Task<ActionResult<ClientResponse>> Get(CancellationToken cancellationToken) =>
        await mediator.Send(new GetClientWebhookUrlQuery(), cancellationToken);

    [HttpPatch(Name = "UpdateClientWebhookUrl")]
    [ScopeOf<UpdateClientWebhookUrlCommand>]
    [EndpointSummary("Set or clear the client's webhook URL")]
    [EndpointDescription("An https URL sets it; `\"\"` clears it. After a change, webhooks are no longer sent to the previous URL.")]
    [RequestBody(typeof(UpdateClientWebhookUrlRequest))]
    [ProducesResponseType<ClientResponse>(StatusCodes.Status200OK, Description = "The client and its new webhook URL.")]
    [ProblemError(StatusCodes.Status400BadRequest)]
    [ProblemError(StatusCodes.Status413PayloadTooLarge)]
    [ProblemError(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<ActionResult<ClientResponse>> Update(JsonBody body, CancellationToken cancellationToken) =>
        await mediator.Send(requests.UpdateClientWebhookUrl(body), cancellationToken);

    [HttpPost("~/clients/webhook-secret/rotate", Name = "RotateClientWebhookSecret")]
    [ScopeOf<RotateClientWebhookSecretCommand>]
    [EndpointSummary("Rotate the client's webhook signing secret")]
    [EndpointDescription("A new signing secret (`whsec_...`) for the webhooks sent to the client, shown only in this response; the old one signs nothing more.")]
    [ProducesResponseType<ClientWebhookSecretResponse>(StatusCodes.Status200OK, Description = "The new signing secret.")]
    public async Task<ActionResult<ClientWebhookSecretResponse>> RotateWebhookSecret(CancellationToken cancellationToken) =>
        await mediator.Send(new RotateClientWebhookSecretCommand(), cancellationToken);
}
