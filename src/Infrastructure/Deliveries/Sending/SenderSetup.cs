using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Application.Deliveries;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Infrastructure.Deliveries.Sending;

public static class SenderSetup
{
    /// <summary>How long a pooled connection is used before it is replaced, so that DNS changes are seen (and checked again).</summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(2);

    public static readonly TimeSpan PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1);

    /// <summary>Open connections per receiver (scheme, host and port) at most; more concurrent requests wait for one.</summary>
    public const int MaxConnectionsPerServer = 32;

    /// <summary>
    /// <see cref="IWebhookSender"/> as <see cref="HttpWebhookSender"/>, its settings (section
    /// <c>Delivery</c>, checked when the host starts) and its HTTP client.
    /// </summary>
    public static IServiceCollection AddWebhookSender(this IServiceCollection services)
    {
        services.AddOptions<SenderOptions>().BindConfiguration(SenderOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SenderOptions>, SenderOptionsValidator>();
        services.TryAddSingleton<IHostResolver, SystemHostResolver>();
        services.AddHttpClient(HttpWebhookSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(CreateHandler)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan) // the sender's own limit covers the body read too
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan) // the handler renews its connections itself (PooledConnectionLifetime)
            .RemoveAllLoggers(); // a receiver's URL may carry a secret in its path (e.g. chat webhooks)
        services.AddSingleton<IWebhookSender, HttpWebhookSender>();
        return services;
    }

    private static SocketsHttpHandler CreateHandler(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<SenderOptions>>().Value;
        var roots = TrustedRoots(options, provider.GetRequiredService<IHostEnvironment>());
        var connector = new GuardedConnector(provider.GetRequiredService<WebhookCatalog>().UrlPolicy, provider.GetRequiredService<IHostResolver>());
        return new SocketsHttpHandler
        {
            ConnectCallback = connector.ConnectAsync,
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = PooledConnectionLifetime,
            PooledConnectionIdleTimeout = PooledConnectionIdleTimeout,
            MaxConnectionsPerServer = MaxConnectionsPerServer,
            MaxResponseDrainSize = 0, // a body longer than the 4 KiB read closes the connection instead of being drained
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = new ReceiverCertificateValidator(roots).Validate,
            },
        };
    }

    /// <summary><see cref="SenderOptions.TrustedCertificatesPath"/>, and in Development the <c>listen</c> command's CA when it exists.</summary>
    private static X509Certificate2Collection TrustedRoots(SenderOptions options, IHostEnvironment environment)
    {
        var roots = options.LoadTrustedCertificates(environment.ContentRootPath);
        if (environment.IsDevelopment())
        {
            roots.AddRange(options.LoadListenCertificates(environment.ContentRootPath));
        }

        return roots;
    }

    private sealed class SenderOptionsValidator(IHostEnvironment environment) : IValidateOptions<SenderOptions>
    {
        public ValidateOptionsResult Validate(string? name, SenderOptions options)
        {
            if (options.CheckTimeout() is { } timeoutError)
            {
                return ValidateOptionsResult.Fail(timeoutError);
            }

            try
            {
                foreach (var certificate in TrustedRoots(options, environment))
                {
                    certificate.Dispose();
                }
            }
            catch (InvalidOperationException exception)
            {
                return ValidateOptionsResult.Fail(exception.Message);
            }

            return ValidateOptionsResult.Success;
        }
    }
}
