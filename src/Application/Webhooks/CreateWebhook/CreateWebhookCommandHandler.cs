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
        var fields = new NewWebhookEndpoint(
            request.Url.Value,
            request.Events.Value,
            request.Description.HasValue ? request.Description.Value : null,
            request.Active.HasValue ? request.Active.Value ?? true : true,
            request.ApiVersion.HasValue ? request.ApiVersion.Value : null);
        var endpoint = WebhookEndpoint.Register(ids.NewId(), orgId, fields, catalog, clock.UtcNow);
        endpoints.Add(endpoint);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return mapper.Map<WebhookEndpointResponse>(endpoint);
    }
}
