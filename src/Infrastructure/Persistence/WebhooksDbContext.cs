using Microsoft.EntityFrameworkCore;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>
/// The model shared by both providers. Each provider has a thin subclass so that each keeps its own
/// migrations (migrations hard-code column types). Tracked changes are saved only through the write
/// path (<see cref="WritePath.IDatabaseWritePath"/>; the unit of work is <see cref="WritePath.UnitOfWork"/>): a save
/// outside it throws, so no writer can bypass the queue.
/// </summary>
public abstract class WebhooksDbContext(DbContextOptions options) : DbContext(options)
{
    public const string SavedOutsideTheWritePath =
        "Changes are saved through the write path (IDatabaseWritePath or IUnitOfWork), not by SaveChanges on the context.";

    private bool _inWritePath;

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        EnsureInWritePath();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        EnsureInWritePath();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>Lets this context save until the returned scope is disposed; only the write path calls it.</summary>
    internal IDisposable OpenWritePath()
    {
        _inWritePath = true;
        return new WritePathScope(this);
    }

    private void EnsureInWritePath()
    {
        if (!_inWritePath && ChangeTracker.HasChanges())
        {
            throw new InvalidOperationException(SavedOutsideTheWritePath);
        }
    }

    private sealed class WritePathScope(WebhooksDbContext db) : IDisposable
    {
        public void Dispose() => db._inWritePath = false;
    }

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

public sealed class SqlServerWebhooksDbContext(DbContextOptions<SqlServerWebhooksDbContext> options) : WebhooksDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // Idempotency keys are case-sensitive, as on SQLite (SQL Server's default collation is not).
        modelBuilder.Entity<Domain.Idempotency.IdempotencyRecord>().Property(r => r.Key).UseCollation("Latin1_General_100_BIN2");
    }
}

public sealed class PostgresWebhooksDbContext(DbContextOptions<PostgresWebhooksDbContext> options) : WebhooksDbContext(options)
{
    /// <summary>The collation of the <c>list_position</c> columns: byte order, as SQLite and SQL Server's binary collation sort them.</summary>
    public const string ListPositionCollation = "C";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // timestamp with time zone takes only UTC values (Npgsql 6+), to the microsecond.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcMicrosecondsConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcMicrosecondsConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // Newest-first lists order by the id's text: byte order, whatever the database's locale.
        foreach (var property in modelBuilder.Model.GetEntityTypes()
            .Select(entity => entity.FindProperty(Repositories.ListPosition.Property))
            .OfType<Microsoft.EntityFrameworkCore.Metadata.IMutableProperty>())
        {
            property.SetCollation(ListPositionCollation);
        }
    }
}
