using System.Text.Json.Nodes;
using MediatR;
using Webhooks.Application.Common.Paging;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Webhooks.ListWebhookHistory;

/// <summary>A page of the history of one of the organization's endpoints (not deleted), newest first.</summary>
/// <param name="After">The decoded cursor: the id of the previous page's last entry; <c>null</c> for the first page.</param>
[RequiresScope(Scopes.WebhooksRead)]
public sealed record ListWebhookHistoryQuery(Guid Id, int Limit = ListPaging.DefaultLimit, Guid? After = null) : IRequest<WebhookHistoryPage>;

/// <summary>An unknown, deleted or another organization's endpoint is 404, as for every endpoint read.</summary>
public sealed class ListWebhookHistoryQueryHandler(
    IWebhookEndpointRepository endpoints, IWebhookHistoryReader history, IListCursorCodec cursors, ICurrentCaller currentCaller)
    : IRequestHandler<ListWebhookHistoryQuery, WebhookHistoryPage>
{
    public async Task<WebhookHistoryPage> Handle(ListWebhookHistoryQuery request, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.ReadOrNotFoundAsync(currentCaller, request.Id, cancellationToken);
        var items = await history.ListAsync(endpoint.Id, request.After, request.Limit + 1, cancellationToken);
        var (data, hasMore, nextCursor) = ListPaging.Page(items, request.Limit, ToResponse, entry => entry.Id, endpoint.OrgId, cursors);
        return new WebhookHistoryPage(data, hasMore, nextCursor);
    }

    private static WebhookHistoryEntryResponse ToResponse(WebhookHistoryRecord entry)
    {
        var actor = string.Equals(entry.ActorType, WebhookHistory.ApiKeyActor, StringComparison.Ordinal)
            ? new WebhookHistoryActorResponse(entry.ActorType, Id: entry.ActorId)
            : new WebhookHistoryActorResponse(entry.ActorType, Reason: entry.ActorReason);
        var changes = (JsonNode.Parse(entry.Changes) as JsonObject ?? [])
            .ToDictionary(
                field => field.Key,
                field => new WebhookFieldChangeResponse(field.Value?["from"]?.DeepClone(), field.Value?["to"]?.DeepClone()),
                StringComparer.Ordinal);
        return new WebhookHistoryEntryResponse(entry.At, actor, entry.Action, changes);
    }
}
