using AutoMapper;
using MediatR;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Deliveries.GetDelivery;

/// <summary>One of the organization's deliveries with its attempts.</summary>
[RequiresScope(Scopes.WebhooksRead)]
public sealed record GetDeliveryQuery(Guid Id) : IRequest<DeliveryDetailResponse>;

/// <summary>Another organization's delivery, a client's delivery and an unknown id are all 404, not told apart.</summary>
public sealed class GetDeliveryQueryHandler(IDeliveryReader deliveries, ICurrentCaller currentCaller, IMapper mapper)
    : IRequestHandler<GetDeliveryQuery, DeliveryDetailResponse>
{
    public async Task<DeliveryDetailResponse> Handle(GetDeliveryQuery request, CancellationToken cancellationToken)
    {
        var orgId = currentCaller.Caller!.RequireOrganization();
        var delivery = await deliveries.FindWithAttemptsAsync(request.Id, orgId, cancellationToken);
        return delivery is not null ? mapper.Map<DeliveryDetailResponse>(delivery) : throw new NotFoundException();
    }
}
