using Microsoft.AspNetCore.Authorization;
using Webhooks.Application.Common.Security;

namespace Webhooks.Api.Authentication;

/// <summary>
/// The action sends <typeparamref name="TRequest"/>: the authorization middleware checks the scope
/// that request declares (<see cref="RequiresScopeAttribute"/>) right after authentication, before
/// model binding reads a body, so that a caller without the scope gets 403 whatever it sent (the
/// contract's order: authentication, scope, then the body). The scope is declared once, on the request.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ScopeOfAttribute<TRequest> : Attribute, IAuthorizationRequirementData
{
    public IEnumerable<IAuthorizationRequirement> GetRequirements() => [new ScopeRequirement(RequestScope.Of(typeof(TRequest)))];
}

/// <summary>The authenticated caller holds the scope of a request; it is its own handler.</summary>
public sealed class ScopeRequirement(RequestScope scope) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public RequestScope Scope { get; } = scope;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        if (CallerClaims.FromPrincipal(context.User) is { } caller && requirement.Scope.Allows(caller))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
