using System.ComponentModel;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Authentication;
using Webhooks.Api.Contracts;
using Webhooks.Api.Http;
using Webhooks.Api.OpenApi;
using Webhooks.Application.Deliveries;
using Webhooks.Application.Deliveries.ListDeliveries;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.CreateWebhook;
using Webhooks.Application.Webhooks.DeleteWebhook;
using Webhooks.Application.Webhooks.GetWebhook;
using Webhooks.Application.Webhooks.ListWebhookHistory;
using Webhooks.Application.Webhooks.ListWebhooks;
using Webhooks.Application.Webhooks.PatchWebhook;
using Webhooks.Application.Webhooks.RotateWebhookSecret;
using Webhooks.Application.Webhooks.SendTestEvent;

namespace Webhooks.Api.Controllers;

/// <summary>Webhooks API v1: an organization's webhook endpoints.</summary>
[ApiController]
[Route("v1/webhooks")]
[Authorize(AuthenticationSchemes = ApiKeyAuthenticationHandler.SchemeName)]
[Produces("application/json")]
[Tags(OpenApiTags.Webhooks)]
[EnvelopeError(StatusCodes.Status401Unauthorized)]
[EnvelopeError(StatusCodes.Status403Forbidden)]
[EnvelopeError(StatusCodes.Status429TooManyRequests)]
[EnvelopeError(StatusCodes.Status500InternalServerError)]
[EnvelopeError(StatusCodes.Status503ServiceUnavailable)]
public sealed class WebhooksController(IMediator mediator, RequestReader requests) : ControllerBase
{
    private const string ETagDescription = "The endpoint's entity tag, for `If-Match`.";
    private const string IfMatchDescription = "Apply only if the endpoint still has this `ETag` (a list, or `*`); otherwise 412 and nothing is written.";

    /// <summary>Creates an endpoint; the response carries its signing secret, shown only here. Scope <c>webhooks:write</c>.</summary>
    [HttpPost(Name = "CreateWebhook")]
    [ScopeOf<CreateWebhookCommand>]
    [EndpointSummary("Create a webhook endpoint")]
    [EndpointDescription("Scope `webhooks:write`. The response carries the signing `secret` (`whsec_...`), shown only here. "
        + "With `Idempotency-Key`, a retry with the same body returns the first response instead of creating a second endpoint.")]
    [RequestBody(typeof(CreateWebhookRequest))]
    [ProducesResponseType<WebhookEndpointResponse>(StatusCodes.Status201Created, Description = "Created, with the signing `secret`.")]
    [ResponseHeader(StatusCodes.Status201Created, "Location", "The new endpoint's path.")]
    [ResponseHeader(StatusCodes.Status201Created, "ETag", ETagDescription)]
    [EnvelopeError(StatusCodes.Status400BadRequest)]
    [EnvelopeError(StatusCodes.Status413PayloadTooLarge)]
    [EnvelopeError(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<ActionResult<WebhookEndpointResponse>> Create(
        JsonBody body,
        [FromHeader(Name = "Idempotency-Key")][Description("1 to 255 visible ASCII characters; kept 24 hours per organization.")] string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        var endpoint = WithETag(await mediator.Send(requests.CreateWebhook(body, idempotencyKey), cancellationToken));
        return Created($"/v1/webhooks/{endpoint.Id}", endpoint);
    }

    [HttpGet(Name = "ListWebhooks")]
    [ScopeOf<ListWebhooksQuery>]
    [EndpointSummary("List webhook endpoints")]
    [EndpointDescription("Scope `webhooks:read`. The organization's endpoints that are not deleted, newest first, one page at a time.")]
    [ProducesResponseType<WebhookEndpointPage>(StatusCodes.Status200OK, Description = "One page; `next_cursor` fetches the next.")]
    [EnvelopeError(StatusCodes.Status400BadRequest)]
    public async Task<ActionResult<WebhookEndpointPage>> List(
        [FromQuery][IntegerParameter(1, ListWebhooksQuery.MaxLimit, ListWebhooksQuery.DefaultLimit)][Description("Page size, 1 to 100.")] string? limit,
        [FromQuery][Description("The `next_cursor` of the previous page (opaque).")] string? cursor,
        CancellationToken cancellationToken) =>
        await mediator.Send(requests.ListWebhooks(limit, cursor), cancellationToken);

    [HttpGet("{id}", Name = "GetWebhook")]
    [ScopeOf<GetWebhookQuery>]
    [EndpointSummary("Get a webhook endpoint")]
    [EndpointDescription("Scope `webhooks:read`.")]
    [ProducesResponseType<WebhookEndpointResponse>(StatusCodes.Status200OK, Description = "The endpoint.")]
    [ResponseHeader(StatusCodes.Status200OK, "ETag", ETagDescription)]
    [EnvelopeError(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<WebhookEndpointResponse>> Get(string id, CancellationToken cancellationToken) =>
        WithETag(await mediator.Send(new GetWebhookQuery(RequestReader.EndpointId(id)), cancellationToken));

    [HttpGet("{id}/deliveries", Name = "ListWebhookDeliveries")]
    [ScopeOf<ListDeliveriesQuery>]
    [EndpointSummary("List an endpoint's deliveries")]
    [EndpointDescription("Scope `webhooks:read`. The deliveries to one of the organization's endpoints, newest first, "
        + "without their attempts (`GetDelivery` has them).")]
    [ProducesResponseType<DeliveryPage>(StatusCodes.Status200OK, Description = "One page; `next_cursor` fetches the next.")]
    [EnvelopeError(StatusCodes.Status400BadRequest)]
    [EnvelopeError(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<DeliveryPage>> ListDeliveries(
        string id,
        [FromQuery][Description("Only deliveries in this status: `pending`, `succeeded`, `failed` or `canceled`.")] string? status,
        [FromQuery][IntegerParameter(1, ListWebhooksQuery.MaxLimit, ListWebhooksQuery.DefaultLimit)][Description("Page size, 1 to 100.")] string? limit,
        [FromQuery][Description("The `next_cursor` of the previous page (opaque).")] string? cursor,
        CancellationToken cancellationToken) =>
        await mediator.Send(requests.ListDeliveries(DeliveryListParent.Endpoint, id, status, limit, cursor), cancellationToken);

    [HttpGet("{id}/history", Name = "ListWebhookHistory")]
    [ScopeOf<ListWebhookHistoryQuery>]
    [EndpointSummary("List an endpoint's history")]
    [EndpointDescription("Scope `webhooks:read`. Every change to one of the organization's endpoints, newest first: when, who "
        + "(`{\"type\": \"api_key\", \"id\"}` or `{\"type\": \"system\", \"reason\"}`), the action (`created`, `updated`, `deleted`, "
        + "`secret_rotated`, `deactivated`) and the changed fields (`{\"field\": {\"from\", \"to\"}}`). No secret ever appears.")]
    [ProducesResponseType<WebhookHistoryPage>(StatusCodes.Status200OK, Description = "One page; `next_cursor` fetches the next.")]
    [EnvelopeError(StatusCodes.Status400BadRequest)]
    [EnvelopeError(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<WebhookHistoryPage>> ListHistory(
        string id,
        [FromQuery][IntegerParameter(1, ListWebhooksQuery.MaxLimit, ListWebhooksQuery.DefaultLimit)][Description("Page size, 1 to 100.")] string? limit,
        [FromQuery][Description("The `next_cursor` of the previous page (opaque).")] string? cursor,
        CancellationToken cancellationToken) =>
        await mediator.Send(requests.ListWebhookHistory(id, limit, cursor), cancellationToken);

    [HttpPatch("{id}", Name = "PatchWebhook")]
    [ScopeOf<PatchWebhookCommand>]
    [EndpointSummary("Update a webhook endpoint")]
    [EndpointDescription("Scope `webhooks:write`. A partial update: an absent field is left unchanged; `{}` changes nothing. "
        + "Every rule is checked and all violations are reported together; nothing is written unless all pass.")]
    [RequestBody(typeof(PatchWebhookRequest))]
    [ProducesResponseType<WebhookEndpointResponse>(StatusCodes.Status200OK, Description = "The endpoint after the update.")]
    [ResponseHeader(StatusCodes.Status200OK, "ETag", ETagDescription)]
    [EnvelopeError(StatusCodes.Status400BadRequest)]
    [EnvelopeError(StatusCodes.Status404NotFound)]
    [EnvelopeError(StatusCodes.Status412PreconditionFailed)]
    [EnvelopeError(StatusCodes.Status413PayloadTooLarge)]
    [EnvelopeError(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<ActionResult<WebhookEndpointResponse>> Patch(
        string id,
        JsonBody body,
        [FromHeader(Name = "If-Match")][Description(IfMatchDescription)] string? ifMatch,
        CancellationToken cancellationToken) =>
        WithETag(await mediator.Send(requests.PatchWebhook(id, body, ifMatch), cancellationToken));

    [HttpDelete("{id}", Name = "DeleteWebhook")]
    [ScopeOf<DeleteWebhookCommand>]
    [EndpointSummary("Delete a webhook endpoint")]
    [EndpointDescription("Scope `webhooks:write`. Sets `deleted_at`; the endpoint then behaves as not found everywhere.")]
    [ProducesResponseType<WebhookEndpointResponse>(StatusCodes.Status200OK, Description = "The final resource, with `deleted_at` set.")]
    [EnvelopeError(StatusCodes.Status404NotFound)]
    [EnvelopeError(StatusCodes.Status412PreconditionFailed)]
    public async Task<ActionResult<WebhookEndpointResponse>> Delete(
        string id,
        [FromHeader(Name = "If-Match")][Description(IfMatchDescription)] string? ifMatch,
        CancellationToken cancellationToken) =>
        await mediator.Send(new DeleteWebhookCommand(RequestReader.EndpointId(id), RequestReader.IfMatchOf(ifMatch)), cancellationToken);

    [HttpPost("{id}/secret/rotate", Name = "RotateWebhookSecret")]
    [ScopeOf<RotateWebhookSecretCommand>]
    [EndpointSummary("Rotate a webhook endpoint's signing secret")]
    [EndpointDescription("Scope `webhooks:write`. The new `secret` is shown only in this response. The body is optional: "
        + "the replaced secret keeps signing for `grace_seconds` (default 86400), as a second `v1,` entry of `webhook-signature`.")]
    [RequestBody(typeof(RotateWebhookSecretRequest), Required = false)]
    [ProducesResponseType<WebhookEndpointResponse>(StatusCodes.Status200OK, Description = "The endpoint, with its new signing `secret`.")]
    [ResponseHeader(StatusCodes.Status200OK, "ETag", ETagDescription)]
    [EnvelopeError(StatusCodes.Status400BadRequest)]
    [EnvelopeError(StatusCodes.Status404NotFound)]
    [EnvelopeError(StatusCodes.Status412PreconditionFailed)]
    [EnvelopeError(StatusCodes.Status413PayloadTooLarge)]
    [EnvelopeError(StatusCodes.Status415UnsupportedMediaType)]
    public async Task<ActionResult<WebhookEndpointResponse>> RotateSecret(
        string id,
        JsonBody body,
        [FromHeader(Name = "If-Match")][Description(IfMatchDescription)] string? ifMatch,
        CancellationToken cancellationToken) =>
        WithETag(await mediator.Send(requests.RotateWebhookSecret(id, body, ifMatch), cancellationToken));

    [HttpPost("{id}/test", Name = "SendTestEvent")]
    [ScopeOf<SendTestEventCommand>]
    [EndpointSummary("Send a test event to a webhook endpoint")]
    [EndpointDescription("Scope `webhooks:write`. Publishes one `webhook.test` event with one delivery to this endpoint only, "
        + "whatever it subscribes to; the event is listed with the organization's events. An inactive endpoint is 409: nothing would be sent.")]
    [ProducesResponseType<DeliveryDetailResponse>(StatusCodes.Status202Accepted, Description = "The pending delivery, as `GetDelivery` shows it.")]
    [ResponseHeader(StatusCodes.Status202Accepted, "Location", "The delivery's path.")]
    [EnvelopeError(StatusCodes.Status404NotFound)]
    [EnvelopeError(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<DeliveryDetailResponse>> SendTestEvent(string id, CancellationToken cancellationToken)
    {
        var delivery = await mediator.Send(new SendTestEventCommand(RequestReader.EndpointId(id)), cancellationToken);
        return Accepted($"/v1/deliveries/{delivery.Id}", delivery);
    }

    private WebhookEndpointResponse WithETag(WebhookEndpointResponse endpoint)
    {
        Response.Headers.ETag = endpoint.ETag;
        return endpoint;
    }
}
