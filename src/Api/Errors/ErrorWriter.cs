using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Webhooks.Api.Errors;

/// <summary>
/// Writes an error in the format of the surface the request is on: RFC 7807 problem details on
/// <c>/clients</c>, the <c>{"success":false,"error":{...}}</c> envelope everywhere else (<c>/v1</c>).
/// </summary>
public sealed class ErrorWriter(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions)
{
    public const string ClientsBasePath = "/clients";

    public static bool IsClientsSurface(HttpContext context) =>
        context?.Request.Path.StartsWithSegments(ClientsBasePath, StringComparison.OrdinalIgnoreCase) == true;

    public Task WriteAsync(HttpContext context, ApiError error, IReadOnlyDictionary<string, string>? details = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        context.Response.StatusCode = error.Status;
        if (error.Status is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status429TooManyRequests
            && !context.Response.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.RetryAfter))
        {
            context.Response.Headers.RetryAfter = "1";
        }

        return IsClientsSurface(context) ? WriteProblemAsync(context, error, details) : WriteEnvelopeAsync(context, error, details);
    }

    private Task WriteEnvelopeAsync(HttpContext context, ApiError error, IReadOnlyDictionary<string, string>? details)
    {
        if (error.Status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        var envelope = new ErrorEnvelope(new ErrorEnvelopeError(error.Code, error.Message, context.TraceIdentifier, details));
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, envelope, jsonOptions.Value.SerializerOptions, context.RequestAborted);
    }

    private Task WriteProblemAsync(HttpContext context, ApiError error, IReadOnlyDictionary<string, string>? details)
    {
        if (error.Status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"clients\"";
        }

        var problem = new ClientsProblem(
            error.TypeUri,
            error.Title,
            error.Status,
            ClientsDetail(error, details),
            context.Request.Path.Value ?? ClientsBasePath,
            context.TraceIdentifier,
            details?.ToDictionary(pair => pair.Key, pair => new[] { pair.Value }, StringComparer.Ordinal));

        context.Response.ContentType = "application/problem+json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, problem, jsonOptions.Value.SerializerOptions, context.RequestAborted);
    }

    /// <summary>What went wrong, for a person reading a Clients API error.</summary>
    private static string ClientsDetail(ApiError error, IReadOnlyDictionary<string, string>? details) => error.Code switch
    {
        "VALIDATION_FAILED" when details is { Count: > 0 } => string.Join("; ", details.Select(pair => $"{pair.Key} {pair.Value}")),
        "VALIDATION_FAILED" => "The request is invalid.",
        "UNAUTHORIZED" => "Missing or invalid client credentials.",
        "FORBIDDEN" => "The client is suspended.",
        "NOT_FOUND" => "The client or resource does not exist.",
        "INTERNAL_ERROR" => "An unexpected error occurred.",
        _ => char.ToUpperInvariant(error.Message[0]) + error.Message[1..] + ".",
    };
}
