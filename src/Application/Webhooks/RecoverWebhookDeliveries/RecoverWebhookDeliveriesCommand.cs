using FluentValidation;
using MediatR;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Deliveries;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Webhooks.RecoverWebhookDeliveries;

/// <summary>
/// Puts every <c>failed</c> delivery of one endpoint created in [<paramref name="Since"/>,
/// <paramref name="Until"/>) back in the queue; <paramref name="Until"/> defaults to now.
/// </summary>
[RequiresScope(Scopes.WebhooksWrite)]
public sealed record RecoverWebhookDeliveriesCommand(Guid Id, DateTimeOffset Since, DateTimeOffset? Until) : IRequest<RecoverResponse>
{
    /// <summary>How far back a recover may reach.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(14);

    /// <summary>How far ahead of this service's clock an instant may be (the caller's clock may run a little fast).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public const string TooOldMessage = "must be at most 14 days back";

    public const string InFutureMessage = "must not be in the future";

    public const string NotAfterSinceMessage = "must be after since";

    public const string InactiveEndpointMessage = "is inactive; activate it first (requeued deliveries would only be canceled)";
}

/// <summary><c>{"requeued": n}</c>: how many failed deliveries went back to pending.</summary>
public sealed record RecoverResponse(int Requeued);

/// <summary>The window's rules against the service's clock: at most 14 days back, not in the future, <c>since</c> before <c>until</c>.</summary>
public sealed class RecoverWebhookDeliveriesCommandValidator : AbstractValidator<RecoverWebhookDeliveriesCommand>
{
    public RecoverWebhookDeliveriesCommandValidator(IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        RuleFor(command => command.Since)
            .Must(since => since >= clock.UtcNow - RecoverWebhookDeliveriesCommand.MaxAge).WithMessage(RecoverWebhookDeliveriesCommand.TooOldMessage)
            .Must(since => since <= clock.UtcNow + RecoverWebhookDeliveriesCommand.ClockSkew).WithMessage(RecoverWebhookDeliveriesCommand.InFutureMessage)
            .OverridePropertyName("since");
        RuleFor(command => command.Until)
            .Must(until => until <= clock.UtcNow + RecoverWebhookDeliveriesCommand.ClockSkew).WithMessage(RecoverWebhookDeliveriesCommand.InFutureMessage)
            .Must((command, until) => until > command.Since).WithMessage(RecoverWebhookDeliveriesCommand.NotAfterSinceMessage)
            .When(command => command.Until is not null)
            .OverridePropertyName("until");
    }
}

/// <summary>
/// An unknown, deleted or another organization's endpoint is 404; an inactive one is 409. The
/// requeue runs in bounded batches (<see cref="IDeliveryRecovery"/>), then the worker is woken.
/// </summary>
public sealed class RecoverWebhookDeliveriesCommandHandler(
    IWebhookEndpointRepository endpoints,
    IDeliveryRecovery recovery,
    IDeliverySignal signal,
    ICurrentCaller currentCaller,
    IClock clock) : IRequestHandler<RecoverWebhookDeliveriesCommand, RecoverResponse>
{
    public async Task<RecoverResponse> Handle(RecoverWebhookDeliveriesCommand request, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.ReadOrNotFoundAsync(currentCaller, request.Id, cancellationToken);
        if (!endpoint.ReceivesDeliveries)
        {
            throw new ConflictException("endpoint", RecoverWebhookDeliveriesCommand.InactiveEndpointMessage);
        }

        var now = clock.UtcNow;
        var requeued = await recovery.RequeueFailedAsync(endpoint.Id, request.Since, request.Until ?? now, now, cancellationToken);
        if (requeued > 0)
        {
            signal.Notify();
        }

        return new RecoverResponse(requeued);
    }
}
