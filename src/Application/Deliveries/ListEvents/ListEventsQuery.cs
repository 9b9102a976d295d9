using AutoMapper;
using MediatR;
using Webhooks.Application.Common.Paging;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Deliveries.ListEvents;

/// <summary>A page of the organization's events, newest first, each as its publication answered.</summary>
/// <param name="Type">Only events of this type; <c>null</c> for all.</param>
/// <param name="After">The decoded cursor: the id of the previous page's last event; <c>null</c> for the first page.</param>
[RequiresScope(Scopes.WebhooksRead)]
public sealed record ListEventsQuery(string? Type = null, int Limit = ListPaging.DefaultLimit, Guid? After = null) : IRequest<EventPage>;

public sealed record EventPage(IReadOnlyList<EventResponse> Data, bool HasMore, string? NextCursor);

public sealed class ListEventsQueryHandler(IEventRepository events, IListCursorCodec cursors, ICurrentCaller currentCaller, IMapper mapper)
    : IRequestHandler<ListEventsQuery, EventPage>
{
    public async Task<EventPage> Handle(ListEventsQuery request, CancellationToken cancellationToken)
    {
        var orgId = currentCaller.Caller!.RequireOrganization();
        var items = await events.ListAsync(orgId, request.Type, request.After, request.Limit + 1, cancellationToken);
        var (data, hasMore, nextCursor) = ListPaging.Page(items, request.Limit, mapper.Map<EventResponse>, evt => evt.Id, orgId, cursors);
        return new EventPage(data, hasMore, nextCursor);
    }
}
