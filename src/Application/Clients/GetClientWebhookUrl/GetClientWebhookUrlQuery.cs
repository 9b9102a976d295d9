using AutoMapper;
using MediatR;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Clients.GetClientWebhookUrl;

/// <summary>The calling client, with its webhook URL.</summary>
[RequiresScope(Scopes.ClientWebhookUrlRead)]
public sealed record GetClientWebhookUrlQuery : IRequest<ClientResponse>;

public sealed class GetClientWebhookUrlQueryHandler(IClientRepository clients, ICurrentCaller currentCaller, IMapper mapper)
    : IRequestHandler<GetClientWebhookUrlQuery, ClientResponse>
{
    public async Task<ClientResponse> Handle(GetClientWebhookUrlQuery request, CancellationToken cancellationToken)
    {
        var client = await clients.GetAsync(currentCaller.Caller!.Id, cancellationToken) ?? throw new NotFoundException();
        return mapper.Map<ClientResponse>(client);
    }
}
