using AutoMapper;
using MediatR;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks.CreateWebhook;

public sealed class CreateWebhookCommandHandler(
    IWebhookEndpointRepository endpoints,
    IUnitOfWork unitOfWork,
    ICurrentCaller currentCaller,
    WebhookCatalog catalog,
    IIdGenerator ids,
    IClock clock,
    IMapper mapper) : IRequestHandler<CreateWebhookCommand, WebhookEndpointResponse>
{
    public async Task<WebhookEndpointResponse> Handle(CreateWebhookCommand request, CancellationToken cancellationToken)
    {
        var orgId = currentCaller.Caller!.RequireOrganization();
        var endpoint = WebhookEndpoint.Register(ids.NewId(), orgId, request.ToNewEndpoint(), catalog, clock.UtcNow);
        endpoints.Add(endpoint);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return mapper.Map<WebhookEndpointResponse>(endpoint);
    }
}
