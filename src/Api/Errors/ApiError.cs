namespace Webhooks.Api.Errors;

/// <summary>
/// One kind of error: its HTTP status, its stable code (the <c>/v1</c> envelope's <c>code</c>)
/// and its message. Both surfaces' writers start from these.
/// </summary>
public sealed record ApiError(int Status, string Code, string Message)
{
    /// <summary>A stable URI naming this kind of error (the problem-details <c>type</c>).</summary>
    public string TypeUri => "urn:webhooks:problem:" + Code.ToLowerInvariant().Replace('_', '-');

    /// <summary>A short, human-readable summary of this kind of error (the problem-details <c>title</c>).</summary>
    public string Title => Code switch
    {
        "VALIDATION_FAILED" => "Validation failed",
        "UNAUTHORIZED" => "Unauthorized",
        "FORBIDDEN" => "Forbidden",
        "NOT_FOUND" => "Not found",
        "METHOD_NOT_ALLOWED" => "Method not allowed",
        "CONFLICT" => "Conflict",
        "PRECONDITION_FAILED" => "Precondition failed",
        "PAYLOAD_TOO_LARGE" => "Payload too large",
        "UNSUPPORTED_MEDIA_TYPE" => "Unsupported media type",
        "RATE_LIMITED" => "Too many requests",
        "SERVICE_UNAVAILABLE" => "Service unavailable",
        _ => "Internal server error",
    };

    public static ApiError ValidationFailed { get; } = new(StatusCodes.Status400BadRequest, "VALIDATION_FAILED", "validation failed");

    public static ApiError Unauthorized { get; } = new(StatusCodes.Status401Unauthorized, "UNAUTHORIZED", "authentication failed");

    public static ApiError Forbidden { get; } = new(StatusCodes.Status403Forbidden, "FORBIDDEN", "missing required scope");

    public static ApiError NotFound { get; } = new(StatusCodes.Status404NotFound, "NOT_FOUND", "not found");

    public static ApiError MethodNotAllowed { get; } = new(StatusCodes.Status405MethodNotAllowed, "METHOD_NOT_ALLOWED", "method not allowed");

    public static ApiError Conflict { get; } = new(StatusCodes.Status409Conflict, "CONFLICT", "the resource's current state does not allow this");

    public static ApiError PreconditionFailed { get; } = new(StatusCodes.Status412PreconditionFailed, "PRECONDITION_FAILED", "precondition failed");

    public static ApiError PayloadTooLarge { get; } = new(StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE", "request body is too large");

    public static ApiError UnsupportedMediaType { get; } = new(StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "content type must be application/json");

    public static ApiError RateLimited { get; } = new(StatusCodes.Status429TooManyRequests, "RATE_LIMITED", "too many requests");

    public static ApiError Internal { get; } = new(StatusCodes.Status500InternalServerError, "INTERNAL_ERROR", "internal error");

    public static ApiError ServiceUnavailable { get; } = new(StatusCodes.Status503ServiceUnavailable, "SERVICE_UNAVAILABLE", "service unavailable");

    /// <summary>Every kind of error, in the order of their status codes.</summary>
    public static IReadOnlyList<ApiError> All { get; } =
    [
        ValidationFailed, Unauthorized, Forbidden, NotFound, MethodNotAllowed, Conflict, PreconditionFailed,
        PayloadTooLarge, UnsupportedMediaType, RateLimited, Internal, ServiceUnavailable,
    ];

    /// <summary>The error for a bodiless response of this status (an unmatched route, say).</summary>
    public static ApiError ForStatus(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status409Conflict => Conflict,
        StatusCodes.Status412PreconditionFailed => PreconditionFailed,
        StatusCodes.Status413PayloadTooLarge => PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        StatusCodes.Status429TooManyRequests => RateLimited,
        StatusCodes.Status503ServiceUnavailable => ServiceUnavailable,
        >= 400 and < 500 => ValidationFailed with { Status = status },
        _ => Internal,
    };
}

/// <summary>An error raised by the HTTP layer itself (a body too large, a media type not JSON).</summary>
public sealed class ApiErrorException(ApiError error) : Exception(error.Message)
{
    public ApiError Error { get; } = error;
}
