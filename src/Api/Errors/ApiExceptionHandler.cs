using Microsoft.AspNetCore.Diagnostics;
using Webhooks.Application.Common.Errors;
using Webhooks.Domain.Common;

namespace Webhooks.Api.Errors;

/// <summary>
/// The one place where exceptions become HTTP errors. Anything unexpected is logged with the request
/// id and answered with a 500 that says nothing about internals.
/// </summary>
public sealed partial class ApiExceptionHandler(ErrorWriter writer, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true;
        }

        var (error, details) = Map(exception);
        if (error == ApiError.Internal)
        {
            LogUnexpected(logger, exception, httpContext.TraceIdentifier);
        }
        else if (error == ApiError.ServiceUnavailable)
        {
            LogUnavailable(logger, httpContext.TraceIdentifier, exception.GetType().Name);
        }

        await writer.WriteAsync(httpContext, error, details);
        return true;
    }

    public static (ApiError Error, IReadOnlyDictionary<string, string>? Details) Map(Exception exception) => exception switch
    {
        ValidationFailedException validation => (ApiError.ValidationFailed, validation.Errors),
        UnauthenticatedException => (ApiError.Unauthorized, null),
        ForbiddenException => (ApiError.Forbidden, null),
        NotFoundException => (ApiError.NotFound, null),
        ConflictException { Field: { } field, Reason: { } reason } => (ApiError.Conflict, new Dictionary<string, string> { [field] = reason }),
        ConflictException => (ApiError.Conflict, null),
        PreconditionFailedException => (ApiError.PreconditionFailed, null),
        ConcurrencyConflictException => (ApiError.ServiceUnavailable, null),
        ApiErrorException api => (api.Error, null),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (ApiError.PayloadTooLarge, null),
        _ when Infrastructure.Persistence.DatabaseFaults.IsUnavailable(exception) => (ApiError.ServiceUnavailable, null),
        _ => (ApiError.Internal, null),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable for request {RequestId} ({ExceptionType})")]
    private static partial void LogUnavailable(ILogger logger, string requestId, string exceptionType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error in request {RequestId}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string requestId);
}
