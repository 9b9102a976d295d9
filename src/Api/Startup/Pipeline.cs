using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Webhooks.Api.Errors;
using Webhooks.Api.Http;
using Webhooks.Api.OpenApi;

namespace Webhooks.Api.Startup;

public static class Pipeline
{
    public static WebApplication UseWebhooksApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<SecurityHeadersMiddleware>();

        // First, so that every answer (errors included) carries the CORS headers, and preflights end here.
        app.UseCors();
        app.UseExceptionHandler();

        // A bodiless error (no route: 404; a route without this method: 405) gets the surface's error body.
        app.UseStatusCodePages(context => context.HttpContext.RequestServices.GetRequiredService<ErrorWriter>()
            .WriteAsync(context.HttpContext, ApiError.ForStatus(context.HttpContext.Response.StatusCode)));

        app.UseWebhooksSwaggerUi();
        app.UseRouting();
        app.UseCredentialRateLimiting();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapOpenApi(OpenApiSetup.DocumentPath);
        app.MapWebhooksMetrics();
        app.MapControllers();
        return app;
    }
}
