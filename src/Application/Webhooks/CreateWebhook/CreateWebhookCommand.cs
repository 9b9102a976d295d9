using MediatR;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Common;
using Webhooks.Domain.Idempotency;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks.CreateWebhook;

/// <summary>A new endpoint, its fields already checked (<see cref="NewWebhookEndpoint.Check"/>).</summary>
/// <param name="ApiVersion">One of the catalog's versions.</param>
/// <param name="IdempotencyKey">With a key, a retry of the same request returns the first response.</param>
[RequiresScope(Scopes.WebhooksWrite)]
public sealed record CreateWebhookCommand(
    HttpsUrl Url,
    EventTypeSet Events,
    Description? Description,
    bool Active,
    string ApiVersion,
    IdempotencyKey? IdempotencyKey = null) : IRequest<WebhookEndpointResponse>
{
    /// <summary>The command for <paramref name="request"/>, for a caller that has no other errors to report with its violations.</summary>
    /// <exception cref="ValidationFailedException">A field breaks its rule; every violation is named.</exception>
    public static CreateWebhookCommand For(NewWebhookEndpoint request, WebhookCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new ValidationErrors();
        var fields = request.Check(catalog, errors);
        errors.ThrowIfAny();
        return new CreateWebhookCommand(fields.Url!, fields.Events!, fields.Description, request.Active, fields.ApiVersion);
    }
}
