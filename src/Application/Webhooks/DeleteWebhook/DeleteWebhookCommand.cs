using AutoMapper;
using MediatR;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Webhooks.DeleteWebhook;

/// <summary>Soft-deletes an endpoint: it then behaves as not found everywhere; its row stays for the record.</summary>
/// <param name="IfMatch">Delete only if the endpoint is unchanged since one of these ETags.</param>
[RequiresScope(Scopes.WebhooksWrite)]
public sealed record DeleteWebhookCommand(Guid Id, IfMatch? IfMatch = null) : IRequest<WebhookEndpointResponse>;

public sealed class DeleteWebhookCommandHandler(IWebhookEndpointRepository endpoints, IUnitOfWork unitOfWork, ICurrentCaller currentCaller, IClock clock, IMapper mapper)
    : IRequestHandler<DeleteWebhookCommand, WebhookEndpointResponse>
{
    public async Task<WebhookEndpointResponse> Handle(DeleteWebhookCommand request, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.GetOrNotFoundAsync(currentCaller, request.Id, cancellationToken);
        WebhookETag.EnsureMatches(request.IfMatch, endpoint);
        endpoint.Delete(clock.UtcNow);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return mapper.Map<WebhookEndpointResponse>(endpoint);
    }
}
