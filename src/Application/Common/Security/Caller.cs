using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Common.Security;

public enum CallerKind
{
    /// <summary>An organization's back end, authenticated by an API key.</summary>
    ApiKey,

    /// <summary>A device-API client, authenticated by its client credentials.</summary>
    Client,

    /// <summary>An operator running an admin command on the service's own machine.</summary>
    Operator,
}

/// <summary>Who sent the current request, and what they may do.</summary>
public sealed record Caller(CallerKind Kind, Guid Id, Guid? OrgId, IReadOnlyCollection<string> Scopes)
{
    public static Caller Operator { get; } = new(CallerKind.Operator, Guid.Empty, null, [OperatorScope]);

    /// <summary>The scope an operator holds; admin commands require it.</summary>
    public const string OperatorScope = "operator";

    public bool HasScope(string required) => Scopes.Any(held => Domain.Organizations.Scopes.Grants(held, required));

    /// <summary>The caller's organization; only API-key callers have one.</summary>
    public Guid RequireOrganization() => OrgId ?? throw new Errors.ForbiddenException();
}

/// <summary>The caller of the request being handled (set by the API from the authenticated principal).</summary>
public interface ICurrentCaller
{
    Caller? Caller { get; }
}
