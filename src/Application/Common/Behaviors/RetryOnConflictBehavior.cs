using MediatR;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;

namespace Webhooks.Application.Common.Behaviors;

/// <summary>
/// The innermost behavior: when another request changed the same data first, forget everything
/// loaded and run the handler again on fresh data, a bounded number of times. Two concurrent
/// PATCHes of different fields both take effect; with <c>If-Match</c>, the rerun sees the new
/// revision and answers 412.
/// </summary>
public sealed class RetryOnConflictBehavior<TRequest, TResponse>(IUnitOfWork unitOfWork) : IPipelineBehavior<TRequest, TResponse>
    where TRequest : IRequest<TResponse>
{
    public const int MaxAttempts = 10;

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await next();
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                unitOfWork.Reset();
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * attempt)), cancellationToken);
            }
        }
    }
}
