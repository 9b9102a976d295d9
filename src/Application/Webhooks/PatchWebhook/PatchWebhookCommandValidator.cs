using Webhooks.Application.Common;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks.PatchWebhook;

/// <summary>
/// The body's shape, and every rule that does not need the stored endpoint (the endpoint's own
/// checks, run early so that all violations are reported together and before the existence check).
/// The endpoint has the last word, including on <c>api_version</c>.
/// </summary>
public sealed class PatchWebhookCommandValidator : BodyCommandValidator<PatchWebhookCommand>
{
    public PatchWebhookCommandValidator(WebhookCatalog catalog)
    {
        RuleForDomainCheck((command, errors) => command.ToPatch().Check(catalog, errors));
    }
}
