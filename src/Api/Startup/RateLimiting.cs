using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Webhooks.Api.Authentication;
using Webhooks.Api.Errors;

namespace Webhooks.Api.Startup;

/// <summary>
/// Configuration section <c>RateLimiting</c>: a token bucket per authenticated credential (the API
/// key or the client, however its <c>Authorization</c> header is spelled); requests without valid
/// credentials share a bucket per client address. On by default.
/// </summary>
public sealed class RateLimitingSettings
{
    public const string Section = "RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>Requests a credential may send per second, sustained.</summary>
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Requests a credential may send at once, after a quiet period.</summary>
    public int Burst { get; set; } = 200;
}

public static class RateLimiting
{
    public static IServiceCollection AddCredentialRateLimiting(this IServiceCollection services)
    {
        // Bound when first used, from the container's configuration, so every source is seen.
        services.AddOptions<RateLimitingSettings>().BindConfiguration(RateLimitingSettings.Section);
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitingSettings>>().Value is { Enabled: true } settings
                    ? RateLimitPartition.GetTokenBucketLimiter(PartitionKey(context), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = Math.Max(1, settings.Burst),
                        TokensPerPeriod = Math.Max(1, settings.PermitsPerSecond),
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(string.Empty));
            options.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var writer = context.HttpContext.RequestServices.GetRequiredService<ErrorWriter>();
                return new ValueTask(writer.WriteAsync(context.HttpContext, ApiError.RateLimited));
            };
        });
        return services;
    }

    /// <summary>
    /// Authenticates the request with its endpoint's scheme before the limiter runs, so that the
    /// limiter sees who is calling; the handlers cache their result, so authorization later in the
    /// pipeline does not authenticate again.
    /// </summary>
    public static WebApplication UseCredentialRateLimiting(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            var schemes = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
                .SelectMany(data => (data.AuthenticationSchemes ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                .Distinct(StringComparer.Ordinal) ?? [];
            foreach (var scheme in schemes)
            {
                var result = await context.AuthenticateAsync(scheme);
                if (result.Succeeded)
                {
                    context.User = result.Principal;
                    break;
                }
            }

            await next(context);
        });
        app.UseRateLimiter();
        return app;
    }

    /// <summary>The authenticated caller (kind and id), or the client's address for everyone else.</summary>
    private static string PartitionKey(HttpContext context) =>
        CallerClaims.FromPrincipal(context.User) is { } caller
            ? $"{caller.Kind}:{caller.Id}"
            : "address:" + context.Connection.RemoteIpAddress;
}
