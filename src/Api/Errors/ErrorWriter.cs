using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Webhooks.Api.Http;

namespace Webhooks.Api.Errors;

/// <summary>
/// Writes an error in the format of the surface the request is on. <c>/v1</c> (and any path that is
/// not <c>/clients</c>) gets the <c>{"success":false,"error":{...}}</c> envelope.
/// </summary>
public sealed class ErrorWriter(IOptions<JsonOptions> jsonOptions)
{
    public Task WriteAsync(HttpContext context, ApiError error, IReadOnlyDictionary<string, string>? details = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        var response = context.Response;
        response.StatusCode = error.Status;
        if (error.Status == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Bearer";
        }

        var envelope = new ErrorEnvelope(new ErrorBody(error.Code, error.Message, context.TraceIdentifier, details));
        response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(response.Body, envelope, jsonOptions.Value.SerializerOptions, context.RequestAborted);
    }

    private sealed record ErrorEnvelope(ErrorBody Error)
    {
        [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
        public bool Success { get; } = false;
    }

    private sealed record ErrorBody(
        string Code,
        string Message,
        string RequestId,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        IReadOnlyDictionary<string, string>? Details);
}
