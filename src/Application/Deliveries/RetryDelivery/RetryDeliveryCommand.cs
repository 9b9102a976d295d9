using AutoMapper;
using MediatR;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Webhooks;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Deliveries.RetryDelivery;

/// <summary>One manual attempt of one of the organization's deliveries, now, whatever its status.</summary>
[RequiresScope(Scopes.WebhooksWrite)]
public sealed record RetryDeliveryCommand(Guid Id) : IRequest<DeliveryDetailResponse>
{
    public const string InactiveEndpointMessage = "is inactive or deleted; nothing would be sent";

    public const string InProgressMessage = "an attempt is in progress; retry when it has been recorded";
}

/// <summary>
/// An unknown, another organization's or a client's delivery is 404; one whose endpoint is inactive
/// or deleted is 409, as is one another attempt holds. The attempt is made and recorded before the
/// answer, which is the delivery as <c>GET /v1/deliveries/{id}</c> shows it afterwards.
/// </summary>
public sealed class RetryDeliveryCommandHandler(
    IDeliveryReader deliveries,
    IWebhookEndpointRepository endpoints,
    IManualAttempts manualAttempts,
    ICurrentCaller currentCaller,
    IMapper mapper) : IRequestHandler<RetryDeliveryCommand, DeliveryDetailResponse>
{
    public async Task<DeliveryDetailResponse> Handle(RetryDeliveryCommand request, CancellationToken cancellationToken)
    {
        var orgId = currentCaller.Caller!.RequireOrganization();
        var delivery = await deliveries.FindWithAttemptsAsync(request.Id, orgId, cancellationToken) ?? throw new NotFoundException();
        var endpoint = await endpoints.ReadAsync(delivery.EndpointId!.Value, orgId, cancellationToken);
        if (endpoint is not { ReceivesDeliveries: true })
        {
            throw new ConflictException("endpoint", RetryDeliveryCommand.InactiveEndpointMessage);
        }

        switch (await manualAttempts.AttemptAsync(delivery.Id, cancellationToken))
        {
            case ManualAttemptOutcome.InProgress:
                throw new ConflictException("delivery", RetryDeliveryCommand.InProgressMessage);
            case ManualAttemptOutcome.ReceiverStopped:
                throw new ConflictException("endpoint", RetryDeliveryCommand.InactiveEndpointMessage);
        }

        var attempted = await deliveries.FindWithAttemptsAsync(request.Id, orgId, cancellationToken) ?? throw new NotFoundException();
        return mapper.Map<DeliveryDetailResponse>(attempted);
    }
}
