using System.Globalization;
using Webhooks.Application.Clients.UpdateClientWebhookUrl;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Idempotency;
using Webhooks.Application.Common.Paging;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Deliveries.ListDeliveries;
using Webhooks.Application.Deliveries.ListEvents;
using Webhooks.Application.Deliveries.PublishClientEvent;
using Webhooks.Application.Deliveries.PublishEvent;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.CreateWebhook;
using Webhooks.Application.Webhooks.ListWebhookHistory;
using Webhooks.Application.Webhooks.ListWebhooks;
using Webhooks.Application.Webhooks.PatchWebhook;
using Webhooks.Application.Webhooks.RotateWebhookSecret;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Common;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Idempotency;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Api.Http;

/// <summary>
/// Turns HTTP into the Application's typed requests: route ids into <see cref="Guid"/>s, the query
/// string into a page size and a decoded cursor, headers into <see cref="IfMatch"/> and
/// <see cref="IdempotencyKey"/>, bodies into checked domain values. Everything wrong with a request
/// is reported at once, as one <see cref="ValidationFailedException"/> that the surface's writer
/// formats; each rule runs here, once, through the domain's own factories.
/// </summary>
public sealed class RequestReader(WebhookCatalog catalog, IListCursorCodec cursors, ICurrentCaller currentCaller)
{
    public const string IsRequired = "is required";

    private static readonly string[] EndpointReadOnlyFields = ["id", "org_id", "created_at", "updated_at", "deleted_at", "secret"];

    private static readonly string[] ClientReadOnlyFields = ["client_id", "customer_id"];

    private static readonly string[] EventReadOnlyFields = ["id", "created_at", "deliveries"];

    /// <summary>The endpoint a route names: an id that is not exactly a hyphenated UUID names none (404).</summary>
    public static Guid EndpointId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.Length == 36 && Guid.TryParseExact(id, "D", out var guid) ? guid : throw new NotFoundException();
    }

    public static IfMatch? IfMatchOf(string? header) => header is null ? null : IfMatch.Parse(header);

    public CreateWebhookCommand CreateWebhook(JsonBody body, string? idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(body);
        var fields = new JsonObjectReader(body);
        var url = fields.Text("url");
        var events = fields.StringArray("events");
        var description = fields.Text("description");
        var active = fields.Boolean("active");
        var apiVersion = fields.Text("api_version");

        var errors = new ValidationErrors();
        var checkedFields = new CheckedNewEndpoint(null, null, null, catalog.LatestApiVersion);
        if (fields.IsObject)
        {
            Require(errors, "url", url.HasValue && url.Value is not null);
            Require(errors, "events", events.HasValue && events.Value is not null);
            if (active.HasValue && active.Value is null)
            {
                errors.Add("active", JsonObjectReader.MustBeBooleanMessage);
            }

            var request = new NewWebhookEndpoint(
                ValueOrNull(url), ValueOrNull(events), ValueOrNull(description), active.HasValue ? active.Value ?? true : true, ValueOrNull(apiVersion));
            checkedFields = request.Check(catalog, errors);
        }

        var key = IdempotencyKeyOf(idempotencyKey, () => body.CanonicalHash(), errors);
        fields.ThrowIfInvalid(errors, EndpointReadOnlyFields);
        return new CreateWebhookCommand(
            checkedFields.Url!, checkedFields.Events!, checkedFields.Description, active.HasValue ? active.Value ?? true : true, checkedFields.ApiVersion, key);
    }

    /// <summary><c>POST /v1/events</c>: <c>type</c> from the catalog, <c>data</c> a JSON object.</summary>
    public PublishEventCommand PublishEvent(JsonBody body, string? idempotencyKey)
    {
        var (type, data, key) = ReadEvent(body, catalog.CheckEventType, idempotencyKey, "POST /v1/events");
        return new PublishEventCommand(type, data, key);
    }

    /// <summary>
    /// <c>POST /v1/clients/{client_id}/events</c>: <c>type</c> any dotted lower-case name. The body
    /// first (400), then the client id (404); the idempotency hash covers the client id.
    /// </summary>
    public PublishClientEventCommand PublishClientEvent(string clientId, JsonBody body, string? idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        var (type, data, key) = ReadEvent(body, Event.CheckClientType, idempotencyKey, $"POST /v1/clients/{clientId.ToUpperInvariant()}/events");
        return new PublishClientEventCommand(EndpointId(clientId), type, data, key);
    }

    /// <summary>The body first (shape and rules, 400), then the id (404): the contract checks the body before existence.</summary>
    public PatchWebhookCommand PatchWebhook(string id, JsonBody body, string? ifMatch)
    {
        ArgumentNullException.ThrowIfNull(body);
        var fields = new JsonObjectReader(body);
        var patch = new WebhookEndpointPatch(fields.Text("url"), fields.Text("description"), fields.StringArray("events"), fields.Boolean("active"), fields.Text("api_version"));
        var errors = new ValidationErrors();
        var changes = fields.IsObject ? patch.Check(catalog, errors) : WebhookEndpointChanges.None;
        fields.ThrowIfInvalid(errors, EndpointReadOnlyFields);
        return new PatchWebhookCommand(EndpointId(id), changes, IfMatchOf(ifMatch));
    }

    /// <summary>
    /// <c>POST /v1/webhooks/{id}/secret/rotate</c>: the body is optional; <c>grace_seconds</c>, when
    /// given, is how long the replaced secret keeps signing. The body first (400), then the id (404).
    /// </summary>
    public RotateWebhookSecretCommand RotateWebhookSecret(string id, JsonBody body, string? ifMatch)
    {
        ArgumentNullException.ThrowIfNull(body);
        SecretGrace? grace = null;
        if (!body.IsEmpty)
        {
            var fields = new JsonObjectReader(body);
            var graceSeconds = fields.WholeNumber("grace_seconds");
            var errors = new ValidationErrors();
            grace = graceSeconds.HasValue ? errors.Add("grace_seconds", SecretGrace.FromSeconds(graceSeconds.Value)) : null;
            fields.ThrowIfInvalid(errors);
        }

        return new RotateWebhookSecretCommand(EndpointId(id), IfMatchOf(ifMatch), grace);
    }

    /// <summary><c>limit</c> and <c>cursor</c> as sent in the query string, both checked and reported together.</summary>
    public ListWebhooksQuery ListWebhooks(string? limit, string? cursor)
    {
        var errors = new ValidationErrors();
        var (pageSize, after) = Page(limit, cursor, errors);
        errors.ThrowIfAny();
        return new ListWebhooksQuery(pageSize, after);
    }

    /// <summary>The deliveries of an endpoint or an event: the parent's id, <c>status</c> (when given), <c>limit</c> and <c>cursor</c>.</summary>
    public ListDeliveriesQuery ListDeliveries(DeliveryListParent parent, string id, string? status, string? limit, string? cursor)
    {
        var parentId = EndpointId(id);
        var errors = new ValidationErrors();
        DeliveryStatus? statusFilter = null;
        if (status is not null && (statusFilter = ListDeliveriesQuery.StatusFrom(status)) is null)
        {
            errors.Add("status", ListDeliveriesQuery.InvalidStatusMessage);
        }

        var (pageSize, after) = Page(limit, cursor, errors);
        errors.ThrowIfAny();
        return new ListDeliveriesQuery(parent, parentId, statusFilter, pageSize, after);
    }

    /// <summary>An endpoint's history: <c>limit</c> and <c>cursor</c>.</summary>
    public ListWebhookHistoryQuery ListWebhookHistory(string id, string? limit, string? cursor)
    {
        var endpointId = EndpointId(id);
        var errors = new ValidationErrors();
        var (pageSize, after) = Page(limit, cursor, errors);
        errors.ThrowIfAny();
        return new ListWebhookHistoryQuery(endpointId, pageSize, after);
    }

    /// <summary>The organization's events: <c>type</c> (when given), <c>limit</c> and <c>cursor</c>.</summary>
    public ListEventsQuery ListEvents(string? type, string? limit, string? cursor)
    {
        var errors = new ValidationErrors();
        var (pageSize, after) = Page(limit, cursor, errors);
        errors.ThrowIfAny();
        return new ListEventsQuery(type, pageSize, after);
    }

    /// <summary>A list's page size and decoded cursor (for the caller's organization); problems go to <paramref name="errors"/>.</summary>
    private (int Limit, Guid? After) Page(string? limit, string? cursor, ValidationErrors errors)
    {
        var pageSize = ListPaging.DefaultLimit;
        if (limit is not null && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && ListPaging.IsValidLimit(pageSize)))
        {
            errors.Add("limit", ListPaging.InvalidLimitMessage);
        }

        Guid? after = null;
        if (cursor is not null)
        {
            after = cursor.Length is > 0 and <= ListPaging.MaxCursorLength && currentCaller.Caller?.OrgId is { } orgId ? cursors.Decode(orgId, cursor) : null;
            if (after is null)
            {
                errors.Add("cursor", ListPaging.InvalidCursorMessage);
            }
        }

        return (pageSize, after);
    }

    public UpdateClientWebhookUrlCommand UpdateClientWebhookUrl(JsonBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var fields = new JsonObjectReader(body);
        var webhookUrl = fields.Text("webhook_url");
        var errors = new ValidationErrors();
        var url = fields.IsObject ? errors.Add("webhook_url", Client.WebhookUrlFrom(ValueOrNull(webhookUrl), catalog.UrlPolicy)) : null;
        fields.ThrowIfInvalid(errors, ClientReadOnlyFields);
        return new UpdateClientWebhookUrlCommand(url);
    }

    /// <summary>An event's <c>{"type", "data"}</c>, every problem reported at once (with the <c>Idempotency-Key</c>'s).</summary>
    private static (string Type, EventData Data, IdempotencyKey? Key) ReadEvent(
        JsonBody body, Func<string, Outcome<string>> checkType, string? idempotencyKey, string target)
    {
        ArgumentNullException.ThrowIfNull(body);
        var fields = new JsonObjectReader(body);
        var type = fields.Text("type");
        var data = fields.Value("data");
        var errors = new ValidationErrors();
        string? checkedType = null;
        EventData? checkedData = null;
        if (fields.IsObject)
        {
            Require(errors, "type", type.HasValue && type.Value is not null);
            Require(errors, "data", data.HasValue && data.Value is not null);
            checkedType = type is { HasValue: true, Value: { } text } ? errors.Add("type", checkType(text)) : null;
            checkedData = data is { HasValue: true, Value: { } element } ? errors.Add("data", EventData.From(element)) : null;
        }

        var key = IdempotencyKeyOf(idempotencyKey, () => body.CanonicalHash(target), errors);
        fields.ThrowIfInvalid(errors, EventReadOnlyFields);
        return (checkedType!, checkedData!, key);
    }

    /// <summary>The <c>Idempotency-Key</c> header with the request's hash (taken only when there is a key).</summary>
    private static IdempotencyKey? IdempotencyKeyOf(string? header, Func<string> requestHash, ValidationErrors errors) =>
        header is null ? null : errors.Add(IdempotentResponses.KeyField, IdempotencyKey.Create(header, requestHash()));

    private static void Require(ValidationErrors errors, string field, bool present)
    {
        if (!present)
        {
            errors.Add(field, IsRequired);
        }
    }

    private static T? ValueOrNull<T>(Optional<T> optional) => optional.HasValue ? optional.Value : default;
}
