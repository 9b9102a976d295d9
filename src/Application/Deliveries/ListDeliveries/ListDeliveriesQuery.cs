using AutoMapper;
using MediatR;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Paging;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Webhooks;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Deliveries.ListDeliveries;

/// <summary>What a delivery list belongs to.</summary>
public enum DeliveryListParent
{
    Endpoint,
    Event,
}

/// <summary>A page of the deliveries of one of the organization's endpoints or events, newest first.</summary>
/// <param name="Status">Only deliveries in this status; <c>null</c> for all.</param>
/// <param name="After">The decoded cursor: the id of the previous page's last delivery; <c>null</c> for the first page.</param>
[RequiresScope(Scopes.WebhooksRead)]
public sealed record ListDeliveriesQuery(
    DeliveryListParent Parent, Guid ParentId, DeliveryStatus? Status = null, int Limit = ListPaging.DefaultLimit, Guid? After = null)
    : IRequest<DeliveryPage>
{
    public const string InvalidStatusMessage = "must be one of pending, succeeded, failed, canceled";

    /// <summary>The <c>status</c> filter as the API spells it (lower case); <c>null</c> for any other text.</summary>
    public static DeliveryStatus? StatusFrom(string text) =>
        Enum.GetValues<DeliveryStatus>().Select(status => (DeliveryStatus?)status)
            .FirstOrDefault(status => string.Equals(status.ToString()!.ToLowerInvariant(), text, StringComparison.Ordinal));
}

public sealed record DeliveryPage(IReadOnlyList<DeliveryResponse> Data, bool HasMore, string? NextCursor);

/// <summary>The parent must be the organization's (an endpoint not deleted; an event it published), else 404.</summary>
public sealed class ListDeliveriesQueryHandler(
    IDeliveryReader deliveries, IWebhookEndpointRepository endpoints, IEventRepository events, IListCursorCodec cursors, ICurrentCaller currentCaller, IMapper mapper)
    : IRequestHandler<ListDeliveriesQuery, DeliveryPage>
{
    public async Task<DeliveryPage> Handle(ListDeliveriesQuery request, CancellationToken cancellationToken)
    {
        var orgId = currentCaller.Caller!.RequireOrganization();
        var filter = request.Parent == DeliveryListParent.Endpoint
            ? await endpoints.ReadAsync(request.ParentId, orgId, cancellationToken) is not null ? new DeliveryFilter(orgId, request.ParentId, null, request.Status) : null
            : await events.FindAsync(request.ParentId, cancellationToken) is { } evt && evt.OrgId == orgId ? new DeliveryFilter(orgId, null, request.ParentId, request.Status) : null;
        if (filter is null)
        {
            throw new NotFoundException();
        }

        var items = await deliveries.ListAsync(filter, request.After, request.Limit + 1, cancellationToken);
        var (data, hasMore, nextCursor) = ListPaging.Page(items, request.Limit, mapper.Map<DeliveryResponse>, delivery => delivery.Id, orgId, cursors);
        return new DeliveryPage(data, hasMore, nextCursor);
    }
}
