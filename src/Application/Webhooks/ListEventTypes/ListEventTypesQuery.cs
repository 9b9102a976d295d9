using MediatR;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks.ListEventTypes;

/// <summary>The configured event types, each with a one-line description; any valid key may read it.</summary>
[AnyScope]
public sealed record ListEventTypesQuery : IRequest<EventTypeList>;

public sealed record EventTypeList(IReadOnlyList<EventTypeResponse> Data);

public sealed record EventTypeResponse(string Name, string Description);

public sealed class ListEventTypesQueryHandler(WebhookCatalog catalog) : IRequestHandler<ListEventTypesQuery, EventTypeList>
{
    public Task<EventTypeList> Handle(ListEventTypesQuery request, CancellationToken cancellationToken) =>
        Task.FromResult(new EventTypeList(catalog.EventTypes.Select(type => new EventTypeResponse(type.Name, type.Description)).ToList()));
}
