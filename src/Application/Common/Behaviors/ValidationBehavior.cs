using FluentValidation;
using MediatR;
using Webhooks.Domain.Common;

namespace Webhooks.Application.Common.Behaviors;

/// <summary>
/// Runs every validator of the request (shape only: presence, types, nulls) and reports all
/// failures together, one message per field, before the handler runs.
/// </summary>
public sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators) : IPipelineBehavior<TRequest, TResponse>
    where TRequest : IRequest<TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var errors = new ValidationErrors();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(request, cancellationToken);
            foreach (var failure in result.Errors)
            {
                errors.Add(failure.PropertyName, failure.ErrorMessage);
            }
        }

        errors.ThrowIfAny();
        return await next();
    }
}
