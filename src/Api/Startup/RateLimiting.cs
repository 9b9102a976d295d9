using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Webhooks.Api.Errors;

namespace Webhooks.Api.Startup;

/// <summary>
/// Configuration section <c>RateLimiting</c>: a token bucket per credential (the hash of the
/// presented <c>Authorization</c> header, so no database is consulted; without one, per client
/// address). On by default.
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
    public static IServiceCollection AddCredentialRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Read when the options are first needed, from the container's configuration, so that every
        // configuration source is seen (a test host adds its settings after services are registered).
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IConfiguration>((options, current) =>
        {
            var settings = current.GetSection(RateLimitingSettings.Section).Get<RateLimitingSettings>() ?? new RateLimitingSettings();
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                settings.Enabled
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

    /// <summary>The credential as presented (hashed, never kept in clear), or the client's address.</summary>
    private static string PartitionKey(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            return "credential:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(authorization)));
        }

        return "address:" + context.Connection.RemoteIpAddress;
    }
}
