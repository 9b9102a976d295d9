using FluentValidation;
using Webhooks.Application.Common;

namespace Webhooks.Application.Webhooks.PatchWebhook;

/// <summary>The shape of a PATCH body; the endpoint itself has the last word on every rule.</summary>
public sealed class PatchWebhookCommandValidator : BodyCommandValidator<PatchWebhookCommand>
{
    public PatchWebhookCommandValidator()
    {
        RuleFor(command => command.Url.Value).NotNull().WithMessage("must not be null")
            .OverridePropertyName("url").When(command => command.Url.HasValue);
        RuleFor(command => command.Events.Value).NotNull().WithMessage("must be a non-empty array of event types")
            .OverridePropertyName("events").When(command => command.Events.HasValue);
        RuleFor(command => command.Active.Value).NotNull().WithMessage("must be a boolean")
            .OverridePropertyName("active").When(command => command.Active.HasValue);
    }
}
