using MediatR;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;

namespace Webhooks.Application.Common.Behaviors;

/// <summary>
/// The outermost behavior: the caller must be authenticated and hold the scope the request
/// declares with <see cref="RequiresScopeAttribute"/>. A request that declares neither a scope nor
/// <see cref="AnyScopeAttribute"/> is refused, so a forgotten declaration fails closed. The API checks
/// the same declaration before it reads a body; this is the guard for every other caller.
/// </summary>
public sealed class ScopeBehavior<TRequest, TResponse>(ICurrentCaller currentCaller) : IPipelineBehavior<TRequest, TResponse>
    where TRequest : IRequest<TResponse>
{
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var caller = currentCaller.Caller ?? throw new UnauthenticatedException();
        if (!RequestScope.Of(typeof(TRequest)).Allows(caller))
        {
            throw new ForbiddenException();
        }

        return next();
    }
}
