using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;

namespace Webhooks.Infrastructure.Persistence.WritePath;

/// <summary>
/// The unit of work of a command: the scope's context, saved once at the end through the write path,
/// with the effects of the saved aggregates' domain events (<see cref="DomainEventEffects"/>) in
/// the same transaction; an endpoint's changes are recorded in its history (<see cref="EndpointHistoryRows"/>)
/// as the current caller's.
/// </summary>
public sealed class UnitOfWork(
    WebhooksDbContext db, IDatabaseWritePath writePath, DomainEventEffects effects, EndpointHistoryRows history, ICurrentCaller currentCaller) : IUnitOfWork
{
    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var events = DomainEventEffects.Pending(db);
            if (events.Count == 0)
            {
                await writePath.SaveChangesAsync(db, cancellationToken);
                return;
            }

            history.Add(db, events, currentCaller.Caller);
            await writePath.WriteAsync(
                db,
                async (context, token) =>
                {
                    var saved = await context.SaveChangesAsync(acceptAllChangesOnSuccess: false, token);
                    await effects.ApplyAsync(context, events, token);
                    return saved;
                },
                cancellationToken);
            DomainEventEffects.Clear(db);
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
        Npgsql.PostgresException postgres => postgres.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
