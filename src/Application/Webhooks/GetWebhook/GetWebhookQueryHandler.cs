using AutoMapper;
using MediatR;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;

namespace Webhooks.Application.Webhooks.GetWebhook;

public sealed class GetWebhookQueryHandler(IWebhookEndpointRepository endpoints, ICurrentCaller currentCaller, IMapper mapper)
    : IRequestHandler<GetWebhookQuery, WebhookEndpointResponse>
{
    public async Task<WebhookEndpointResponse> Handle(GetWebhookQuery request, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.ReadOrNotFoundAsync(currentCaller, request.Id, cancellationToken);
        return mapper.Map<WebhookEndpointResponse>(endpoint);
    }
}
