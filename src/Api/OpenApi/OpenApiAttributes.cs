using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Errors;

namespace Webhooks.Api.OpenApi;

/// <summary>
/// The schema of an action's JSON request body, for the OpenAPI document. The action itself reads the
/// body as a <see cref="Http.JsonBody"/>, which API Explorer does not see.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequestBodyAttribute(Type schemaType) : Attribute
{
    /// <summary>The media types every body-taking operation accepts (see <see cref="Http.JsonBody.IsJsonContentType"/>).</summary>
    public static IReadOnlyList<string> ContentTypes { get; } = ["application/json", "application/merge-patch+json"];

    public Type SchemaType { get; } = schemaType;

    /// <summary>Whether the operation needs a body; an optional one may be left out entirely.</summary>
    public bool Required { get; init; } = true;
}

/// <summary>An error response of the Webhooks API v1: the <see cref="ErrorEnvelope"/> as <c>application/json</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class EnvelopeErrorAttribute : ProducesResponseTypeAttribute
{
    public EnvelopeErrorAttribute(int statusCode)
        : base(typeof(ErrorEnvelope), statusCode, "application/json") =>
        Description = ErrorDescriptions.For(statusCode, clientsSurface: false);
}

/// <summary>An error response of the Clients API: RFC 7807 problem details as <c>application/problem+json</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class ProblemErrorAttribute : ProducesResponseTypeAttribute
{
    public ProblemErrorAttribute(int statusCode)
        : base(typeof(ClientsProblem), statusCode, "application/problem+json") =>
        Description = ErrorDescriptions.For(statusCode, clientsSurface: true);
}

/// <summary>A header an action sets on a response of the given status, for the OpenAPI document.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ResponseHeaderAttribute(int statusCode, string name, string description) : Attribute
{
    public int StatusCode { get; } = statusCode;

    public string Name { get; } = name;

    public string Description { get; } = description;
}

/// <summary>
/// A query parameter bound as text (so that the service, not model binding, words the error) that
/// holds an integer: the OpenAPI document describes it as one, with its range and default.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class IntegerParameterAttribute(int minimum, int maximum, int defaultValue) : Attribute
{
    public int Minimum { get; } = minimum;

    public int Maximum { get; } = maximum;

    public int Default { get; } = defaultValue;
}

/// <summary>The description of each error response, per surface.</summary>
internal static class ErrorDescriptions
{
    public static string For(int statusCode, bool clientsSurface)
    {
        var error = ApiError.ForStatus(statusCode);
        var what = statusCode switch
        {
            StatusCodes.Status400BadRequest => clientsSurface
                ? "The body is not a JSON object of the expected shape, or a field breaks a rule; `errors` names every failing field."
                : "The body is not a JSON object of the expected shape, a field breaks a rule, or a query parameter is invalid; `details` names every failing field at once.",
            StatusCodes.Status401Unauthorized => clientsSurface
                ? "Missing or wrong client credentials."
                : "Missing, malformed, unknown or revoked API key.",
            StatusCodes.Status403Forbidden => clientsSurface
                ? "The client is suspended."
                : "The API key lacks the operation's scope.",
            StatusCodes.Status404NotFound => clientsSurface
                ? "The authenticated client no longer exists."
                : "No such endpoint, event or delivery in the caller's organization (also: a deleted endpoint, or an id that is not a UUID).",
            StatusCodes.Status409Conflict => "The resource's current state does not allow this (an inactive endpoint: nothing would be sent); nothing was written.",
            StatusCodes.Status412PreconditionFailed => "`If-Match` does not match the endpoint's current `ETag`; nothing was written.",
            StatusCodes.Status413PayloadTooLarge => "The body is larger than 64 KiB.",
            StatusCodes.Status415UnsupportedMediaType => "The body is not `application/json` or `application/merge-patch+json` in UTF-8.",
            StatusCodes.Status429TooManyRequests => "Too many requests with this credential; retry after `Retry-After` seconds.",
            StatusCodes.Status503ServiceUnavailable => "The service cannot complete the request now (database unavailable, or a write kept conflicting); retry after `Retry-After` seconds.",
            _ => "An unexpected error; nothing about internals is revealed.",
        };
        return clientsSurface ? what : $"`{error.Code}`: {what}";
    }
}
