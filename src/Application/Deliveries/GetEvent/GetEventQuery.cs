using AutoMapper;
using MediatR;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Deliveries.GetEvent;

/// <summary>An event the caller's organization published, as the publication answered it.</summary>
[RequiresScope(Scopes.WebhooksRead)]
public sealed record GetEventQuery(Guid Id) : IRequest<EventResponse>;

/// <summary>Another organization's event, a client's event and an unknown id are all 404, not told apart.</summary>
public sealed class GetEventQueryHandler(IEventRepository events, ICurrentCaller currentCaller, IMapper mapper) : IRequestHandler<GetEventQuery, EventResponse>
{
    public async Task<EventResponse> Handle(GetEventQuery request, CancellationToken cancellationToken)
    {
        var orgId = currentCaller.Caller!.RequireOrganization();
        var evt = await events.FindAsync(request.Id, cancellationToken);
        return evt is not null && evt.OrgId == orgId ? mapper.Map<EventResponse>(evt) : throw new NotFoundException();
    }
}
