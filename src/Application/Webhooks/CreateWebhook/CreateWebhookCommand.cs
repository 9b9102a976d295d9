using MediatR;
using Webhooks.Application.Common;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Common;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks.CreateWebhook;

[RequiresScope(Scopes.WebhooksWrite)]
public sealed record CreateWebhookCommand(
    Optional<string?> Url = default,
    Optional<IReadOnlyList<string?>?> Events = default,
    Optional<string?> Description = default,
    Optional<bool?> Active = default,
    Optional<string?> ApiVersion = default) : IRequest<WebhookEndpointResponse>, IBodyCommand
{
    /// <summary>The name under which a problem with the <c>Idempotency-Key</c> header is reported.</summary>
    public const string IdempotencyKeyField = "Idempotency-Key";

    public IReadOnlyDictionary<string, string> BodyErrors { get; init; } = new Dictionary<string, string>();

    /// <summary>The <c>Idempotency-Key</c> header, if sent.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The hash of the body in canonical form; set with <see cref="IdempotencyKey"/>.</summary>
    public string? RequestHash { get; init; }

    public NewWebhookEndpoint ToNewEndpoint() => new(
        Url.HasValue ? Url.Value : null,
        Events.HasValue ? Events.Value : null,
        Description.HasValue ? Description.Value : null,
        Active.HasValue ? Active.Value ?? true : true,
        ApiVersion.HasValue ? ApiVersion.Value : null);
}
