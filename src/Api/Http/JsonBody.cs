using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Net.Http.Headers;
using Webhooks.Api.Errors;

namespace Webhooks.Api.Http;

/// <summary>
/// A request body read as JSON, or the reason it could not be. Reading it never fails the request
/// by itself: a malformed body becomes a validation error reported after the scope check. Only
/// transport problems (too large, not JSON at all) are refused at once, with 413 and 415.
/// The OpenAPI document does not see this parameter: each action declares its body's schema with
/// <see cref="OpenApi.RequestBodyAttribute"/>.
/// </summary>
[JsonBodyBinder]
public sealed class JsonBody
{
    /// <summary>The most a body may hold.</summary>
    public const int MaxBytes = 64 * 1024;

    public const int MaxDepth = 32;

    /// <summary>The message for a body that is not JSON (or not UTF-8, or nested deeper than <see cref="MaxDepth"/>).</summary>
    public const string NotJsonMessage = "is not valid JSON";

    /// <summary>The message for a body that is JSON but not an object (or empty).</summary>
    public const string NotObjectMessage = "must be a JSON object";

    private JsonBody(JsonElement? root, string? problem)
    {
        Root = root;
        Problem = problem;
    }

    /// <summary>The parsed document's root element, when the body is valid JSON.</summary>
    public JsonElement? Root { get; }

    /// <summary>Why the body is not usable JSON (reported under the <c>body</c> key).</summary>
    public string? Problem { get; }

    /// <summary>A request without a body (no bytes at all): a JSON object to an operation that needs one, the defaults to one whose body is optional.</summary>
    public static JsonBody Empty { get; } = new(null, NotObjectMessage);

    /// <summary>Whether the request had no body at all.</summary>
    public bool IsEmpty => ReferenceEquals(this, Empty);

    public static JsonBody Parsed(JsonElement root) => new(root, null);

    /// <summary>
    /// Lower-case hex SHA-256 of the body in canonical form (the JSON re-written without
    /// insignificant white space; as sent when it cannot be re-written), or of the raw problem when
    /// it is not JSON. A non-empty <paramref name="target"/> (the operation and what it acts on, such
    /// as <c>POST /v1/clients/{id}/events</c>) goes in front, so that the same body sent to another
    /// target is another request.
    /// </summary>
    public string CanonicalHash(string target = "")
    {
        ArgumentNullException.ThrowIfNull(target);
        byte[] prefix = target.Length > 0 ? System.Text.Encoding.UTF8.GetBytes(target + "\n") : [];
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([.. prefix, .. CanonicalBytes()]));
    }

    private byte[] CanonicalBytes()
    {
        if (Root is not { } root)
        {
            return System.Text.Encoding.UTF8.GetBytes(Problem ?? string.Empty);
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        try
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                root.WriteTo(writer);
            }

            return buffer.WrittenSpan.ToArray();
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            // A string with a lone surrogate escape cannot be re-written; such a body is refused anyway.
            return System.Text.Encoding.UTF8.GetBytes(root.GetRawText());
        }
    }

    public static JsonBody Invalid(string problem) => new(null, problem);

    public static async Task<JsonBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw new ApiErrorException(ApiError.PayloadTooLarge);
        }

        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (hasBody && !IsJsonContentType(request.ContentType))
        {
            throw new ApiErrorException(ApiError.UnsupportedMediaType);
        }

        var bytes = await ReadLimitedAsync(request.Body, cancellationToken);
        if (bytes.Length == 0)
        {
            return Empty;
        }

        // A body may also arrive without Content-Length or Transfer-Encoding (HTTP/2, HTTP/3).
        if (!IsJsonContentType(request.ContentType))
        {
            throw new ApiErrorException(ApiError.UnsupportedMediaType);
        }

        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return Invalid(NotJsonMessage);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return Parsed(document.RootElement.Clone());
        }
        catch (JsonException)
        {
            return Invalid(NotJsonMessage);
        }
    }

    /// <summary><c>application/json</c> or <c>application/merge-patch+json</c>, in UTF-8.</summary>
    public static bool IsJsonContentType(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return false;
        }

        var type = mediaType.MediaType.Value;
        var isJson = string.Equals(type, "application/json", StringComparison.OrdinalIgnoreCase)
            || string.Equals(type, "application/merge-patch+json", StringComparison.OrdinalIgnoreCase);
        var charset = mediaType.Charset.Value;
        return isJson && (string.IsNullOrEmpty(charset) || string.Equals(charset.Trim('"'), "utf-8", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<byte[]> ReadLimitedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new ApiErrorException(ApiError.PayloadTooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

/// <summary>
/// Binds <see cref="JsonBody"/> with <see cref="JsonBodyBinder"/>, as a special binding source: API
/// Explorer (and so the OpenAPI document) leaves such parameters out, as it does a cancellation token.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class JsonBodyBinderAttribute : ModelBinderAttribute
{
    public JsonBodyBinderAttribute()
        : base(typeof(JsonBodyBinder)) => BindingSource = BindingSource.Special;
}

/// <summary>Binds <see cref="JsonBody"/> parameters from the request body.</summary>
public sealed class JsonBodyBinder : IModelBinder
{
    public async Task BindModelAsync(ModelBindingContext bindingContext)
    {
        ArgumentNullException.ThrowIfNull(bindingContext);
        var httpContext = bindingContext.HttpContext;
        var body = await JsonBody.ReadAsync(httpContext.Request, httpContext.RequestAborted);
        bindingContext.Result = ModelBindingResult.Success(body);
    }
}
