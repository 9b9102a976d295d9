using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Authentication;
using Webhooks.Api.Http;
using Webhooks.Application.Clients;
using Webhooks.Application.Clients.GetClientWebhookUrl;
using Webhooks.Application.Clients.UpdateClientWebhookUrl;

namespace Webhooks.Api.Controllers;

/// <summary>Clients API: the authenticated device-API client's webhook URL.</summary>
[ApiController]
[Route("clients/webhook-url")]
[Authorize(AuthenticationSchemes = BasicAuthenticationHandler.SchemeName)]
[Produces("application/json")]
public sealed class ClientsController(IMediator mediator) : ControllerBase
{
    private static readonly string[] ReadOnlyFields = ["client_id", "customer_id"];

    [HttpGet(Name = "GetClientWebhookUrl")]
    public async Task<ActionResult<ClientResponse>> Get(CancellationToken cancellationToken) =>
        await mediator.Send(new GetClientWebhookUrlQuery(), cancellationToken);

    [HttpPatch(Name = "UpdateClientWebhookUrl")]
    public async Task<ActionResult<ClientResponse>> Update(JsonBody body, CancellationToken cancellationToken)
    {
        var fields = new JsonObjectReader(body);
        var command = new UpdateClientWebhookUrlCommand(fields.Text("webhook_url")) { BodyErrors = fields.Problems(ReadOnlyFields) };
        return await mediator.Send(command, cancellationToken);
    }
}
