using System.Reflection;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Common.Behaviors;
using Webhooks.Application.Organizations;

namespace Webhooks.Application;

public static class DependencyInjection
{
    /// <summary>
    /// MediatR 5.1.0 has no DI package: the mediator resolves handlers and behaviors through a
    /// <see cref="ServiceFactory"/>, handlers and validators are registered by scanning this assembly,
    /// and behaviors are registered outermost first.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services, string? autoMapperLicenseKey)
    {
        services.AddScoped<ServiceFactory>(provider => provider.GetService!);
        services.AddScoped<IMediator, Mediator>();
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(ScopeBehavior<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(RetryOnConflictBehavior<,>));

        var assembly = typeof(DependencyInjection).Assembly;
        RegisterClosedImplementations(services, assembly, typeof(IRequestHandler<,>));
        RegisterClosedImplementations(services, assembly, typeof(IValidator<>));

        services.AddAutoMapper(options => options.LicenseKey = autoMapperLicenseKey, assembly);
        services.AddScoped<Common.Idempotency.IdempotentResponses>();
        services.AddScoped<Deliveries.EventPublisher>();
        services.AddScoped<ApiKeyAuthenticator>();
        services.AddScoped<Clients.ClientAuthenticator>();
        return services;
    }

    private static void RegisterClosedImplementations(IServiceCollection services, Assembly assembly, Type openInterface)
    {
        foreach (var type in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }))
        {
            foreach (var implemented in type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == openInterface))
            {
                services.AddScoped(implemented, type);
            }
        }
    }
}
