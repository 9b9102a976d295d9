using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Organizations;
using Webhooks.Application.Webhooks;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Deliveries;
using Webhooks.Infrastructure.Deliveries.Sending;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Persistence.Repositories;
using Webhooks.Infrastructure.Security;
using Webhooks.Infrastructure.Time;

namespace Webhooks.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services)
    {
        services.AddPersistence();
        services.AddScoped<IWebhookEndpointRepository, WebhookEndpointRepository>();
        services.AddScoped<IOrganizationRepository, OrganizationRepository>();
        services.AddScoped<IApiKeyRepository, ApiKeyRepository>();
        services.AddScoped<Application.Clients.IClientRepository, ClientRepository>();
        services.AddScoped<Application.Deliveries.IEventRepository, EventRepository>();
        services.AddScoped<Application.Deliveries.IDeliveryReader, DeliveryReader>();
        services.AddScoped<Application.Webhooks.ListWebhookHistory.IWebhookHistoryReader, WebhookHistoryReader>();

        // Whom a process acts as (the API replaces it with the request's caller): the unit of work
        // records it in an endpoint's history.
        services.TryAddScoped<Application.Common.Security.ProcessCaller>();
        services.TryAddScoped<Application.Common.Security.ICurrentCaller>(provider => provider.GetRequiredService<Application.Common.Security.ProcessCaller>());
        services.AddSingleton<Deliveries.DeliverySignal>();
        services.AddDeliveries();
        services.AddSingleton<Application.Deliveries.IDeliverySignal>(provider => provider.GetRequiredService<Deliveries.DeliverySignal>());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IClock, SystemClock>();
        services.AddSingleton<IIdGenerator, UuidV7Generator>();
        services.AddSingleton<ISecretHasher, Sha256SecretHasher>();
        services.AddScoped<IIdempotencyStore, IdempotencyStore>();
        services.AddDataProtection().SetApplicationName("webhooks");
        services.AddOptions<KeyManagementOptions>().Configure<IConfiguration, IHostEnvironment>((options, configuration, environment) =>
            options.XmlRepository = new FileSystemXmlRepository(KeysDirectory(configuration, environment), NullLoggerFactory.Instance));
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        services.AddSingleton<IListCursorCodec, DataProtectionListCursorCodec>();
        services.AddSingleton(provider => WebhookCatalogOptions.Load(provider.GetRequiredService<IConfiguration>()));
        services.AddWebhookSender();
        return services;
    }

    /// <summary>
    /// How the key ring is kept at rest (<see cref="KeyRingProtection"/>): encrypted with the configured
    /// certificate, or in clear, on purpose, when there is none (the service then warns at start and
    /// names the setting; Data Protection's own warning would not). Read while the services are
    /// registered, so a bad certificate stops the service before it starts.
    /// </summary>
    public static IServiceCollection AddKeyRingProtection(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var protection = KeyRingProtection.Load(configuration, contentRoot);
        services.AddSingleton(protection);
        if (protection.Certificate is { } certificate)
        {
            services.AddDataProtection().ProtectKeysWithCertificate(certificate);
        }
        else
        {
            services.Configure<KeyManagementOptions>(options => options.XmlEncryptor = new NullXmlEncryptor());
        }

        return services;
    }

    /// <summary>
    /// <c>DataProtection:KeysPath</c>: where the service keeps the keys that encrypt signing secrets
    /// and list cursors. Default <c>data/keys</c> under the content root, beside the SQLite file and
    /// ignored by git; in production, a protected directory (or volume) of its own.
    /// </summary>
    public static DirectoryInfo KeysDirectory(IConfiguration configuration, IHostEnvironment environment)
    {
        var path = configuration["DataProtection:KeysPath"];
        path = string.IsNullOrWhiteSpace(path) ? Path.Combine("data", "keys") : path;
        return new DirectoryInfo(Path.GetFullPath(Path.Combine(environment.ContentRootPath, path)));
    }
}
