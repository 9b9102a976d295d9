using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;

namespace Webhooks.Infrastructure.Persistence.WritePath;

/// <summary>The unit of work of a command: the scope's context, saved once at the end through the write path.</summary>
public sealed class UnitOfWork(WebhooksDbContext db, IDatabaseWritePath writePath) : IUnitOfWork
{
    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await writePath.SaveChangesAsync(db, cancellationToken);
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

    public void Reset() => db.ChangeTracker.Clear();

    private bool InsertsIdempotencyRecord() =>
        db.ChangeTracker.Entries<Domain.Idempotency.IdempotencyRecord>().Any(entry => entry.State == EntityState.Added);

    private static bool IsUniqueViolation(Exception? exception) => exception switch
    {
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 1555 or 2067,
        Microsoft.Data.SqlClient.SqlException sqlServer => sqlServer.Number is 2601 or 2627,
        _ => false,
    };
}
