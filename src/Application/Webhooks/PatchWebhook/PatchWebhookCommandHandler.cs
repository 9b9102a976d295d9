using AutoMapper;
using MediatR;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;

namespace Webhooks.Application.Webhooks.PatchWebhook;

public sealed class PatchWebhookCommandHandler(
    IWebhookEndpointRepository endpoints,
    IUnitOfWork unitOfWork,
    ICurrentCaller currentCaller,
    IClock clock,
    IMapper mapper) : IRequestHandler<PatchWebhookCommand, WebhookEndpointResponse>
{
    public async Task<WebhookEndpointResponse> Handle(PatchWebhookCommand request, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.GetOrNotFoundAsync(currentCaller, request.Id, cancellationToken);

        WebhookETag.EnsureMatches(request.IfMatch, endpoint);
        if (endpoint.Patch(request.Changes, clock.UtcNow))
        {
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }

        return mapper.Map<WebhookEndpointResponse>(endpoint);
    }
}
