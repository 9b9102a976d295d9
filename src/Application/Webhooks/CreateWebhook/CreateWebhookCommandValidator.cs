using FluentValidation;
using Webhooks.Application.Common;
using Webhooks.Domain.Idempotency;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks.CreateWebhook;

/// <summary>The body's shape and presence, then every rule of a new endpoint, all reported together.</summary>
public sealed class CreateWebhookCommandValidator : BodyCommandValidator<CreateWebhookCommand>
{
    public CreateWebhookCommandValidator(WebhookCatalog catalog)
    {
        RuleFor(command => command.Url).Must(url => url.HasValue && url.Value is not null)
            .WithMessage("is required").OverridePropertyName("url").When(BodyIsObject);
        RuleFor(command => command.Events).Must(events => events.HasValue && events.Value is not null)
            .WithMessage("is required").OverridePropertyName("events").When(BodyIsObject);
        RuleFor(command => command.Active.Value).NotNull().WithMessage("must be a boolean")
            .OverridePropertyName("active").When(command => command.Active.HasValue && BodyIsObject(command));
        RuleForDomainCheck((command, errors) => command.ToNewEndpoint().Check(catalog, errors));
        RuleFor(command => command.IdempotencyKey)
            .Must(key => key!.Length is > 0 and <= IdempotencyRecord.MaxKeyLength && key.All(c => c is >= '!' and <= '~'))
            .WithMessage($"must be 1 to {IdempotencyRecord.MaxKeyLength} visible ASCII characters")
            .OverridePropertyName(CreateWebhookCommand.IdempotencyKeyField)
            .When(command => command.IdempotencyKey is not null);
    }
}
