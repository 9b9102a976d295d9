using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Authentication;
using Webhooks.Api.Http;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.CreateWebhook;
using Webhooks.Application.Webhooks.DeleteWebhook;
using Webhooks.Application.Webhooks.GetWebhook;
using Webhooks.Application.Webhooks.ListWebhooks;
using Webhooks.Application.Webhooks.PatchWebhook;
using Webhooks.Application.Webhooks.RotateWebhookSecret;

namespace Webhooks.Api.Controllers;

/// <summary>Webhooks API v1: an organization's webhook endpoints.</summary>
[ApiController]
[Route("v1/webhooks")]
[Authorize(AuthenticationSchemes = ApiKeyAuthenticationHandler.SchemeName)]
[Produces("application/json")]
public sealed class WebhooksController(IMediator mediator) : ControllerBase
{
    private static readonly string[] ReadOnlyFields = ["id", "org_id", "created_at", "updated_at", "deleted_at", "secret"];

    [HttpPost(Name = "CreateWebhook")]
    public async Task<ActionResult<WebhookEndpointResponse>> Create(JsonBody body, CancellationToken cancellationToken)
    {
        // Read the header itself: model binding would turn an empty key into no key.
        string? idempotencyKey = Request.Headers.TryGetValue("Idempotency-Key", out var keyValues) ? keyValues.ToString() : null;
        var fields = new JsonObjectReader(body);
        var command = new CreateWebhookCommand(
            fields.Text("url"), fields.StringArray("events"), fields.Text("description"), fields.Boolean("active"), fields.Text("api_version"))
        {
            BodyErrors = fields.Problems(ReadOnlyFields),
            IdempotencyKey = idempotencyKey,
            RequestHash = idempotencyKey is null ? null : body.CanonicalHash(),
        };
        var endpoint = WithETag(await mediator.Send(command, cancellationToken));
        return Created($"/v1/webhooks/{endpoint.Id}", endpoint);
    }

    [HttpGet(Name = "ListWebhooks")]
    public async Task<ActionResult<WebhookEndpointPage>> List([FromQuery] string? limit, [FromQuery] string? cursor, CancellationToken cancellationToken) =>
        await mediator.Send(new ListWebhooksQuery(limit, cursor), cancellationToken);

    [HttpGet("{id}", Name = "GetWebhook")]
    public async Task<ActionResult<WebhookEndpointResponse>> Get(string id, CancellationToken cancellationToken) =>
        WithETag(await mediator.Send(new GetWebhookQuery(id), cancellationToken));

    [HttpPatch("{id}", Name = "PatchWebhook")]
    public async Task<ActionResult<WebhookEndpointResponse>> Patch(
        string id,
        JsonBody body,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        CancellationToken cancellationToken)
    {
        var fields = new JsonObjectReader(body);
        var command = new PatchWebhookCommand(
            id, fields.Text("url"), fields.Text("description"), fields.StringArray("events"), fields.Boolean("active"), fields.Text("api_version"))
        {
            BodyErrors = fields.Problems(ReadOnlyFields),
            IfMatch = ifMatch,
        };
        return WithETag(await mediator.Send(command, cancellationToken));
    }

    [HttpDelete("{id}", Name = "DeleteWebhook")]
    public async Task<ActionResult<WebhookEndpointResponse>> Delete(string id, [FromHeader(Name = "If-Match")] string? ifMatch, CancellationToken cancellationToken) =>
        await mediator.Send(new DeleteWebhookCommand(id) { IfMatch = ifMatch }, cancellationToken);

    [HttpPost("{id}/secret/rotate", Name = "RotateWebhookSecret")]
    public async Task<ActionResult<WebhookEndpointResponse>> RotateSecret(string id, [FromHeader(Name = "If-Match")] string? ifMatch, CancellationToken cancellationToken) =>
        WithETag(await mediator.Send(new RotateWebhookSecretCommand(id) { IfMatch = ifMatch }, cancellationToken));

    private WebhookEndpointResponse WithETag(WebhookEndpointResponse endpoint)
    {
        Response.Headers.ETag = endpoint.ETag;
        return endpoint;
    }
}
