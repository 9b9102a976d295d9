using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Webhooks.Infrastructure.Persistence.WritePath;
using static SQLitePCL.raw;

namespace Webhooks.Infrastructure.Persistence.Sqlite;

/// <summary>
/// SQLite admits one writer per database file. Inside this process the writers queue here, first
/// come first served, without holding a thread (<see cref="AsyncFifoLock"/>), so that two of them
/// never meet in SQLite; the transaction lasts only as long as its statements. Between processes
/// (admin commands, a worker beside the service) the writer at the head of each process's queue
/// waits in SQLite's busy handler (<c>PRAGMA busy_timeout</c>, set on every connection by
/// <see cref="SqliteConnectionSetupInterceptor"/>), which retries within milliseconds of the lock's
/// release, instead of Microsoft.Data.Sqlite's retry loop, which sleeps 150 ms between tries
/// (docs/decisions/0010-one-write-path.md has the figures).
/// <para>
/// One instance per service provider, a singleton: a service provider has one configured database
/// file, so this is the queue of that file in this process. Two providers on the same file in one
/// process (tests do that) meet as two processes do, in the busy handler.
/// </para>
/// </summary>
public sealed class SqliteWritePath(DatabaseSettings settings) : IDatabaseWritePath
{
    private readonly AsyncFifoLock _queue = new();

    // The readiness probe's connection: outside the pool (its busy timeout is its own), and never
    // creating a missing database file.
    private readonly string _probeConnectionString = new SqliteConnectionStringBuilder(settings.ConnectionString)
    {
        Pooling = false,
        Mode = SqliteOpenMode.ReadWrite,
    }.ToString();

    /// <summary>How many writers of this process wait now (for tests and diagnostics).</summary>
    public int Waiting => _queue.Waiting;

    public async Task<int> SaveChangesAsync(WebhooksDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);

        // Loading, validation and the domain rules ran before, outside the queue; a command that
        // changed nothing does not queue at all.
        if (!db.ChangeTracker.HasChanges())
        {
            return 0;
        }

        using (await _queue.AcquireAsync(cancellationToken))
        {
            return await WriteTransaction.SaveAsync(db, cancellationToken);
        }
    }

    public async Task<T> WriteAsync<T>(WebhooksDbContext db, Func<WebhooksDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        using (await _queue.AcquireAsync(cancellationToken))
        {
            return await WriteTransaction.RunAsync(db, work, cancellationToken);
        }
    }

    public async Task<T> ExclusiveAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        using (await _queue.AcquireAsync(cancellationToken))
        {
            return await work(cancellationToken);
        }
    }

    /// <summary>
    /// Queues like any writer, then <c>BEGIN IMMEDIATE; ROLLBACK</c> on a connection of its own whose
    /// busy timeout is what is left of the wait. The statement runs through SQLite directly, not
    /// through a <see cref="SqliteCommand"/>, whose retry loop would stretch the wait.
    /// </summary>
    public async Task<bool> CanWriteAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            using (await _queue.AcquireAsync(timeout.Token))
            {
                await using var connection = new SqliteConnection(_probeConnectionString);
                await connection.OpenAsync(timeout.Token);
                var left = wait - Stopwatch.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    return false;
                }

                sqlite3_busy_timeout(connection.Handle, (int)Math.Ceiling(left.TotalMilliseconds));
                if (sqlite3_exec(connection.Handle, "BEGIN IMMEDIATE;") != SQLITE_OK)
                {
                    return false;
                }

                return sqlite3_exec(connection.Handle, "ROLLBACK;") == SQLITE_OK;
            }
        }
        catch (Exception exception) when (exception is SqliteException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
