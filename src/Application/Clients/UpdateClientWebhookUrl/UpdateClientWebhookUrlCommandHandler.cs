using AutoMapper;
using MediatR;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;

namespace Webhooks.Application.Clients.UpdateClientWebhookUrl;

public sealed class UpdateClientWebhookUrlCommandHandler(
    IClientRepository clients,
    IUnitOfWork unitOfWork,
    ICurrentCaller currentCaller,
    IClock clock,
    IMapper mapper) : IRequestHandler<UpdateClientWebhookUrlCommand, ClientResponse>
{
    public async Task<ClientResponse> Handle(UpdateClientWebhookUrlCommand request, CancellationToken cancellationToken)
    {
        var client = await clients.GetAsync(currentCaller.Caller!.Id, cancellationToken) ?? throw new NotFoundException();
        if (client.SetWebhookUrl(request.WebhookUrl, clock.UtcNow))
        {
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }

        return mapper.Map<ClientResponse>(client);
    }
}
