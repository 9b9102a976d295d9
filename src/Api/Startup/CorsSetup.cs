using Microsoft.AspNetCore.Cors.Infrastructure;
using Webhooks.Api.Http;

namespace Webhooks.Api.Startup;

/// <summary>
/// Cross-origin access for browser front ends: only the origins listed in <c>Cors:AllowedOrigins</c>
/// (none by default, so no other origin may call the API from a browser).
/// </summary>
public static class CorsSetup
{
    public const string AllowedOriginsKey = "Cors:AllowedOrigins";

    public static IServiceCollection AddWebhooksCors(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            var origins = configuration.GetSection(AllowedOriginsKey).Get<string[]>() ?? [];
            options.AddDefaultPolicy(policy => policy
                .WithOrigins([.. origins.Where(origin => !string.IsNullOrWhiteSpace(origin)).Select(origin => origin.Trim().TrimEnd('/'))])
                .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Patch, HttpMethods.Delete)
                .WithHeaders("Authorization", "Content-Type", "If-Match", "Idempotency-Key")
                .WithExposedHeaders("ETag", "Location", "Retry-After", RequestIdMiddleware.HeaderName)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10)));
        });
        return services;
    }
}
