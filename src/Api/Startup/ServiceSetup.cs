using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Webhooks.Api.Authentication;
using Webhooks.Api.Errors;
using Webhooks.Api.Http;
using Webhooks.Api.OpenApi;
using Webhooks.Application;
using Webhooks.Application.Common.Security;
using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Deliveries;

namespace Webhooks.Api.Startup;

public static class ServiceSetup
{
    /// <summary>
    /// Everything the use cases need, for the web host and the admin commands alike. The caller is
    /// the process's own (<see cref="ProcessCaller"/>) until <see cref="AddWebhooksApi"/> makes it the
    /// HTTP request's.
    /// </summary>
    public static IServiceCollection AddWebhooksCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApplication(configuration[StartupWarnings.AutoMapperLicenseKey]);
        services.AddInfrastructure();
        services.AddKeyRingProtection(configuration, configuration[HostDefaults.ContentRootKey] ?? Directory.GetCurrentDirectory());
        services.AddSingleton(provider => new CredentialCache(
            provider.GetRequiredService<TimeProvider>(),
            TimeSpan.FromSeconds(CredentialCacheSeconds(provider.GetRequiredService<IConfiguration>()))));
        return services;
    }

    /// <summary>
    /// <c>Authentication:CacheSeconds</c>: how long a verified API key or client credential is trusted
    /// without asking the database again, which is also how long a revoked key or a suspended client
    /// keeps its old access. Default 5; 0 turns the cache off.
    /// </summary>
    public static int CredentialCacheSeconds(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration["Authentication:CacheSeconds"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return CredentialCache.DefaultSeconds;
        }

        return int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds <= 3600
            ? seconds
            : throw new InvalidOperationException($"Authentication:CacheSeconds must be a whole number of seconds from 0 to 3600, not '{text}'.");
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new UtcTimestampConverter());
    }

    /// <summary>The web host: controllers, authentication, error writers, start-up work.</summary>
    public static IServiceCollection AddWebhooksApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentCaller, CallerContext>();
        services.AddCredentialRateLimiting();
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(options => options.AddServerHeader = false);
        services.AddControllers(options =>
            {
                // Bodies are read only as JSON, by JsonBody; a form must not be read before it is refused.
                options.ValueProviderFactories.RemoveType<FormValueProviderFactory>();
                options.ValueProviderFactories.RemoveType<FormFileValueProviderFactory>();
                options.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
            })
            .AddJsonOptions(options => ConfigureJson(options.JsonSerializerOptions))
            .ConfigureApiBehaviorOptions(options => options.SuppressModelStateInvalidFilter = true);
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(options => ConfigureJson(options.SerializerOptions));

        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();

        services.AddScoped<RequestReader>();
        services.AddSingleton<ErrorWriter>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddHealthChecks().AddCheck<Infrastructure.Persistence.DatabaseHealthCheck>("database", tags: ["ready"]);

        services.AddWebhooksOpenApi();
        services.AddWebhooksCors();
        services.AddWebhooksMetrics(configuration);

        services.AddHostedService<StartupWarnings>();
        services.AddHostedService<DatabaseInitializer>();
        services.AddDeliveryWorker();
        services.AddHostedService<Infrastructure.Persistence.Sqlite.SqliteCheckpointer>();
        return services;
    }
}
