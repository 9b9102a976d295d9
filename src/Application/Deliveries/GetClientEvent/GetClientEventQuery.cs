using AutoMapper;
using MediatR;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Deliveries.GetClientEvent;

/// <summary>
/// An event published to a device-API client, where its publication's <c>Location</c> points. The
/// scope is the one that publishes client events: clients belong to no organization, and the
/// platform's back end that publishes to them is the only reader.
/// </summary>
[RequiresScope(Scopes.ClientEventsWrite)]
public sealed record GetClientEventQuery(Guid ClientId, Guid Id) : IRequest<EventResponse>;

/// <summary>An organization's event, another client's event and an unknown id are all 404.</summary>
public sealed class GetClientEventQueryHandler(IEventRepository events, IMapper mapper) : IRequestHandler<GetClientEventQuery, EventResponse>
{
    public async Task<EventResponse> Handle(GetClientEventQuery request, CancellationToken cancellationToken)
    {
        var evt = await events.FindAsync(request.Id, cancellationToken);
        return evt is not null && evt.ClientId == request.ClientId ? mapper.Map<EventResponse>(evt) : throw new NotFoundException();
    }
}
