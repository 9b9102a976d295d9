using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Ports;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>
/// The model shared by both providers, and the unit of work. Each provider has a thin subclass so
/// that each keeps its own migrations (migrations hard-code column types).
/// </summary>
public abstract class WebhooksDbContext(DbContextOptions options) : DbContext(options), IUnitOfWork
{
    Task IUnitOfWork.SaveChangesAsync(CancellationToken cancellationToken) => SaveChangesAsync(cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WebhooksDbContext).Assembly);
    }
}

public sealed class SqliteWebhooksDbContext(DbContextOptions<SqliteWebhooksDbContext> options) : WebhooksDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or order DateTimeOffset values in SQL; store them as UTC ticks.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }
}

public sealed class SqlServerWebhooksDbContext(DbContextOptions<SqlServerWebhooksDbContext> options) : WebhooksDbContext(options);
