using Microsoft.Net.Http.Headers;

namespace Webhooks.Api.Http;

/// <summary>
/// Headers every response carries, errors included: <c>Cache-Control: no-store</c> (responses hold
/// organization data, and the POST and rotate responses a signing secret; nothing here is worth
/// caching, see docs/contract-notes.md), <c>X-Content-Type-Options: nosniff</c>, and
/// <c>Vary: Origin</c> (the CORS layer answers each origin differently). Kestrel's <c>Server</c>
/// header is turned off where the server is configured (<c>ServiceSetup</c>).
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string NoStore = "no-store";

    public const string NoSniff = "nosniff";

    public Task InvokeAsync(HttpContext context)
    {
        // Set when the response starts: error handling clears headers set earlier.
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers.XContentTypeOptions = NoSniff;
            if (headers.CacheControl.Count == 0)
            {
                headers.CacheControl = NoStore;
            }

            if (!headers.Vary.Any(value => value?.Split(',').Any(name => name.Trim().Equals(HeaderNames.Origin, StringComparison.OrdinalIgnoreCase)) == true))
            {
                headers.Append(HeaderNames.Vary, HeaderNames.Origin);
            }

            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
