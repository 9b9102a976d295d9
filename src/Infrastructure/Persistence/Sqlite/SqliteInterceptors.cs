using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Webhooks.Infrastructure.Persistence.Sqlite;

/// <summary>
/// Sets <c>PRAGMA synchronous</c> on every connection EF Core opens (unlike <c>journal_mode=WAL</c>,
/// which the database file keeps, <c>synchronous</c> belongs to the connection), turns the
/// connection's automatic WAL checkpoints off (<see cref="SqliteCheckpointer"/> runs them), and sets
/// the busy timeout: a writer that meets another process's write lock waits in SQLite's busy handler,
/// which retries within milliseconds, not in Microsoft.Data.Sqlite's loop, which sleeps 150 ms
/// (<see cref="SqliteWritePath"/>).
/// </summary>
public sealed class SqliteConnectionSetupInterceptor(SqliteSynchronous synchronous) : DbConnectionInterceptor
{
    /// <summary>The busy timeout of every connection: the command timeout, so a locked database still fails after it.</summary>
    public const int BusyTimeoutMilliseconds = PersistenceSetup.SqliteCommandTimeoutSeconds * 1000;

    // Checkpoints run in the background (SqliteCheckpointer), not in the commit of a request.
    private readonly string _pragma =
        $"PRAGMA synchronous={synchronous.ToString().ToUpperInvariant()}; PRAGMA wal_autocheckpoint=0; PRAGMA busy_timeout={BusyTimeoutMilliseconds};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// Every transaction EF Core begins on SQLite is <c>BEGIN IMMEDIATE</c>: it takes the write lock at
/// its start, so two transactions that both read and then write cannot deadlock on upgrading a read
/// lock (SQLITE_BUSY that no wait resolves). Microsoft.Data.Sqlite 6 happens to begin immediate
/// transactions by default; this says so explicitly and keeps it so.
/// </summary>
public sealed class SqliteImmediateTransactionInterceptor : DbTransactionInterceptor
{
    public override InterceptionResult<DbTransaction> TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        return connection is SqliteConnection sqlite
            ? InterceptionResult<DbTransaction>.SuppressWithResult(sqlite.BeginTransaction(Isolation(eventData.IsolationLevel), deferred: false))
            : result;
    }

    public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TransactionStarting(connection, eventData, result));

    private static IsolationLevel Isolation(IsolationLevel requested) =>
        requested == IsolationLevel.Unspecified ? IsolationLevel.Serializable : requested;
}

/// <summary>The interceptors of the SQLite context, made once per service provider.</summary>
public sealed record SqliteInterceptorSet(IReadOnlyList<IInterceptor> All);
