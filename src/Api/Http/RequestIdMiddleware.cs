namespace Webhooks.Api.Http;

/// <summary>
/// Gives every request a ULID, used as the trace identifier (so logs and error bodies carry it)
/// and sent back in <c>X-Request-Id</c> on every response, errors included.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string HeaderName = "X-Request-Id";

    public Task InvokeAsync(HttpContext context)
    {
        var requestId = Ulid.NewUlid();
        context.TraceIdentifier = requestId;

        // Set when the response starts: error handling clears headers set earlier.
        context.Response.OnStarting(static state =>
        {
            var (httpContext, id) = ((HttpContext, string))state;
            httpContext.Response.Headers[HeaderName] = id;
            return Task.CompletedTask;
        }, (context, requestId));
        return next(context);
    }
}
