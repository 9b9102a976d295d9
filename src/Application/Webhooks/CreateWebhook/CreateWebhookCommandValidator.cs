using FluentValidation;
using Webhooks.Application.Common;

namespace Webhooks.Application.Webhooks.CreateWebhook;

public sealed class CreateWebhookCommandValidator : BodyCommandValidator<CreateWebhookCommand>
{
    public CreateWebhookCommandValidator()
    {
        RuleFor(command => command.Url).Must(url => url.HasValue && url.Value is not null)
            .WithMessage("is required").OverridePropertyName("url");
        RuleFor(command => command.Events).Must(events => events.HasValue && events.Value is not null)
            .WithMessage("is required").OverridePropertyName("events");
        RuleFor(command => command.Active.Value).NotNull().WithMessage("must be a boolean")
            .OverridePropertyName("active").When(command => command.Active.HasValue);
    }
}
