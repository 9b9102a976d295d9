using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Api.Startup;

/// <summary>
/// Before the server listens: migrates the database, and in Development seeds an empty one with a
/// demo organization, API key and endpoint, printed once to the console.
/// </summary>
public sealed class DatabaseInitializer(IServiceProvider services, IHostEnvironment environment, IHostApplicationLifetime lifetime) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        if (!environment.IsDevelopment())
        {
            return;
        }

        var demo = await DevelopmentSeed.SeedIfEmptyAsync(scope.ServiceProvider, cancellationToken);
        if (demo is not null)
        {
            lifetime.ApplicationStarted.Register(() => DevelopmentSeed.Print(demo, ListeningAddress(), Console.Out));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string ListeningAddress()
    {
        var addresses = services.GetService<Microsoft.AspNetCore.Hosting.Server.IServer>()?
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses?.FirstOrDefault();
        return (address ?? "http://localhost:5080").Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).TrimEnd('/');
    }
}
