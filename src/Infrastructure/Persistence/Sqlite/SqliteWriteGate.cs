using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Webhooks.Infrastructure.Persistence.Sqlite;

/// <summary>
/// One writer at a time per SQLite database file, inside this process, first come first served.
/// SQLite admits one writer anyway; a second one that asks for the write lock meanwhile gets
/// SQLITE_BUSY, and Microsoft.Data.Sqlite answers that by sleeping the thread 150 ms before it tries
/// again. Queued here instead, a writer waits only for the writers before it, without a thread.
/// Readers never take the gate (WAL lets them read beside the writer).
/// </summary>
public static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, AsyncFifoLock> Gates = new(StringComparer.Ordinal);

    /// <summary>The gate of the database file named by <paramref name="connectionString"/>.</summary>
    public static AsyncFifoLock For(string? connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString ?? string.Empty).DataSource;
        var key = string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" ? dataSource : Path.GetFullPath(dataSource);
        return Gates.GetOrAdd(key, _ => new AsyncFifoLock());
    }
}
