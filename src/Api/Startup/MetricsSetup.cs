using OpenTelemetry.Metrics;
using Webhooks.Infrastructure.Metrics;

namespace Webhooks.Api.Startup;

/// <summary>
/// <c>GET /metrics</c> in Prometheus text (ADR 0013): the service's own instruments
/// (<see cref="WebhooksMetrics"/>) and ASP.NET Core's request metrics, through OpenTelemetry's SDK and
/// its Prometheus exporter. Unauthenticated, outside both API surfaces and the OpenAPI document;
/// <c>Metrics:Enabled=false</c> turns it off.
/// </summary>
public static class MetricsSetup
{
    public const string Path = "/metrics";

    public const string EnabledKey = "Metrics:Enabled";

    public static bool IsEnabled(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[EnabledKey];
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        return bool.TryParse(text.Trim(), out var enabled)
            ? enabled
            : throw new InvalidOperationException($"{EnabledKey} must be true or false, not '{text}'.");
    }

    public static IServiceCollection AddWebhooksMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsEnabled(configuration))
        {
            return services;
        }

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(WebhooksMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            // The backlog gauges keep their own cache (DeliveryBacklog); counters are shown as they are.
            .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    public static WebApplication MapWebhooksMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (IsEnabled(app.Configuration))
        {
            app.MapPrometheusScrapingEndpoint(Path).ExcludeFromDescription();
        }

        return app;
    }
}
