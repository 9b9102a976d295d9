using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Persistence.WritePath;

namespace Webhooks.Infrastructure.Deliveries;

public static class DeliverySetup
{
    /// <summary>
    /// The parts of delivery every process has: settings, envelope writers (one per API version;
    /// a configured version without one stops the process), the provider's claims, the attempter,
    /// the recorder and the metrics. The worker itself runs only where <see cref="AddDeliveryWorker"/> adds it.
    /// </summary>
    public static IServiceCollection AddDeliveries(this IServiceCollection services)
    {
        services.AddSingleton(provider => DeliveryOptions.Load(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton<IEnvelopeWriter, Envelope20260401Writer>();
        services.AddSingleton(provider =>
        {
            var writers = new EnvelopeWriters(provider.GetServices<IEnvelopeWriter>());
            writers.EnsureServes(provider.GetRequiredService<WebhookCatalog>().ApiVersions);
            return writers;
        });
        services.AddSingleton<DeliveryClaims>(provider =>
        {
            var writePath = provider.GetRequiredService<IDatabaseWritePath>();
            return provider.GetRequiredService<DatabaseSettings>().Provider switch
            {
                DatabaseProvider.SqlServer => new SqlServerDeliveryClaims(writePath),
                DatabaseProvider.Postgres => new PostgresDeliveryClaims(writePath),
                _ => new SqliteDeliveryClaims(writePath),
            };
        });
        services.AddSingleton<DeliveryAttempter>();
        services.AddMetrics();
        services.AddSingleton<Metrics.DeliveryBacklog>();
        services.AddSingleton<Metrics.WebhooksMetrics>();
        services.AddSingleton<Application.Deliveries.IPublishingMetrics>(provider => provider.GetRequiredService<Metrics.WebhooksMetrics>());
        services.AddSingleton<AttemptRecorder>();
        services.AddSingleton<DeliveryWorker>();
        services.AddSingleton<Application.Deliveries.IManualAttempts, ManualAttempts>();
        services.AddSingleton<Application.Deliveries.IDeliveryRecovery, DeliveryRecovery>();
        services.AddSingleton<RetentionJob>();
        return services;
    }

    /// <summary>
    /// Runs the delivery worker and the <see cref="RetentionJob"/> in this host (when
    /// <c>Delivery:Worker:Enabled</c> is not false). Add
    /// it after the start-up work that migrates the database: hosted services start in order. Stopping
    /// waits for the attempts in flight, so the host's shutdown time-out is raised to cover one.
    /// </summary>
    public static IServiceCollection AddDeliveryWorker(this IServiceCollection services)
    {
        services.AddHostedService(provider => provider.GetRequiredService<DeliveryWorker>());
        services.AddHostedService(provider => provider.GetRequiredService<RetentionJob>());
        services.AddOptions<HostOptions>().Configure<Microsoft.Extensions.Options.IOptions<Sending.SenderOptions>>((host, sender) =>
        {
            var attempt = sender.Value.Timeout + TimeSpan.FromSeconds(15);
            if (host.ShutdownTimeout < attempt)
            {
                host.ShutdownTimeout = attempt;
            }
        });
        return services;
    }
}
