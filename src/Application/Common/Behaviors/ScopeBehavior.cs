using System.Reflection;
using MediatR;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;

namespace Webhooks.Application.Common.Behaviors;

/// <summary>
/// The outermost behavior: the caller must be authenticated and hold the scope the request
/// declares with <see cref="RequiresScopeAttribute"/>. A request that declares neither a scope nor
/// <see cref="AnyScopeAttribute"/> is refused, so a forgotten declaration fails closed.
/// </summary>
public sealed class ScopeBehavior<TRequest, TResponse>(ICurrentCaller currentCaller) : IPipelineBehavior<TRequest, TResponse>
    where TRequest : IRequest<TResponse>
{
    private static readonly string? RequiredScope = typeof(TRequest).GetCustomAttribute<RequiresScopeAttribute>()?.Scope;

    private static readonly bool AnyScope = typeof(TRequest).IsDefined(typeof(AnyScopeAttribute), inherit: false);

    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var caller = currentCaller.Caller ?? throw new UnauthenticatedException();
        if (RequiredScope is null && !AnyScope)
        {
            throw new InvalidOperationException($"{typeof(TRequest).Name} declares no required scope.");
        }

        if (RequiredScope is not null && !caller.HasScope(RequiredScope))
        {
            throw new ForbiddenException();
        }

        return next();
    }
}
