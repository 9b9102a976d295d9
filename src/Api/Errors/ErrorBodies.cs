using System.Text.Json.Serialization;

namespace Webhooks.Api.Errors;

/// <summary>
/// The <c>/v1</c> error body: <c>{"success": false, "error": {...}}</c>. <see cref="ErrorWriter"/>
/// writes exactly this type, and the OpenAPI document describes it, so the two cannot drift apart.
/// </summary>
public sealed record ErrorEnvelope(ErrorEnvelopeError Error)
{
    /// <summary>Always <c>false</c>.</summary>
    [JsonPropertyOrder(-1)]
    public bool Success { get; } = false;
}

/// <summary>What went wrong: a stable code, a message, the request id, and for validation errors every failing field.</summary>
/// <param name="Code">The stable error code, such as <c>VALIDATION_FAILED</c> or <c>NOT_FOUND</c>.</param>
/// <param name="Message">A short, human-readable message, stable per code.</param>
/// <param name="RequestId">The request's id, as in its <c>X-Request-Id</c> header (a ULID).</param>
/// <param name="Details">Only in <c>VALIDATION_FAILED</c>: each failing field (by its JSON name, <c>events[2]</c> for an item) and why.</param>
public sealed record ErrorEnvelopeError(
    string Code,
    string Message,
    string RequestId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, string>? Details);

/// <summary>
/// The Clients API error body (RFC 7807, <c>application/problem+json</c>). <see cref="ErrorWriter"/>
/// writes exactly this type, and the OpenAPI document describes it as <c>ProblemDetails</c>.
/// </summary>
/// <param name="Type">A stable URI per kind of error, such as <c>urn:webhooks:problem:validation-failed</c>.</param>
/// <param name="Title">A short summary of the kind of error.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Detail">What went wrong in this request.</param>
/// <param name="Instance">The request path.</param>
/// <param name="RequestId">The request's id, as in its <c>X-Request-Id</c> header (a ULID).</param>
/// <param name="Errors">Only in validation errors: each failing field and its messages.</param>
public sealed record ClientsProblem(
    string Type,
    string Title,
    int Status,
    string Detail,
    string Instance,
    string RequestId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, string[]>? Errors);
