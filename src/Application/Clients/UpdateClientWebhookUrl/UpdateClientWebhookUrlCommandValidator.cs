using FluentValidation;
using Webhooks.Application.Common;
using Webhooks.Domain.Clients;

namespace Webhooks.Application.Clients.UpdateClientWebhookUrl;

public sealed class UpdateClientWebhookUrlCommandValidator : BodyCommandValidator<UpdateClientWebhookUrlCommand>
{
    public UpdateClientWebhookUrlCommandValidator()
    {
        RuleFor(command => command.WebhookUrl).Must(url => url.HasValue && url.Value is not null)
            .WithMessage(Client.WebhookUrlRequiredMessage).OverridePropertyName("webhook_url")
            .When(command => BodyIsObject(command) && !command.BodyErrors.ContainsKey("webhook_url"));
    }
}
