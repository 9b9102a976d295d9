using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>
/// The model shared by both providers, and the unit of work. Each provider has a thin subclass so
/// that each keeps its own migrations (migrations hard-code column types).
/// </summary>
public abstract class WebhooksDbContext(DbContextOptions options) : DbContext(options), IUnitOfWork
{
    async Task IUnitOfWork.SaveChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException conflict)
        {
            throw new ConcurrencyConflictException(conflict);
        }
        catch (DbUpdateException duplicate) when (IsUniqueViolation(duplicate.InnerException) && InsertsIdempotencyRecord())
        {
            // Another request inserted the same Idempotency-Key first: run again, find it and replay it.
            throw new ConcurrencyConflictException(duplicate);
        }
    }

    void IUnitOfWork.Reset() => ChangeTracker.Clear();

    private bool InsertsIdempotencyRecord() =>
        ChangeTracker.Entries<Domain.Idempotency.IdempotencyRecord>().Any(entry => entry.State == EntityState.Added);

    private static bool IsUniqueViolation(Exception? exception) => exception switch
    {
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 1555 or 2067,
        Microsoft.Data.SqlClient.SqlException sqlServer => sqlServer.Number is 2601 or 2627,
        _ => false,
    };

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WebhooksDbContext).Assembly);
    }
}

public sealed class SqliteWebhooksDbContext(DbContextOptions<SqliteWebhooksDbContext> options) : WebhooksDbContext(options)
{
    private Sqlite.AsyncFifoLock? _writeGate;

    /// <summary>
    /// Saves through the database file's write gate (<see cref="Sqlite.SqliteWriteGate"/>): one writer
    /// at a time, in arrival order, and the transaction (BEGIN IMMEDIATE ... COMMIT) lasts only as
    /// long as the statements; loading and validating happen before, outside the gate.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (!ChangeTracker.HasChanges())
        {
            return 0;
        }

        using (await WriteGate.AcquireAsync(cancellationToken))
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (!ChangeTracker.HasChanges())
        {
            return 0;
        }

        using (WriteGate.AcquireAsync(CancellationToken.None).GetAwaiter().GetResult())
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
    }

    private Sqlite.AsyncFifoLock WriteGate => _writeGate ??= Sqlite.SqliteWriteGate.For(Database.GetConnectionString());
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
