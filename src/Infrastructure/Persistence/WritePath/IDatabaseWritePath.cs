namespace Webhooks.Infrastructure.Persistence.WritePath;

/// <summary>
/// The one way anything writes to the database: the unit of work of every command (API requests,
/// admin commands, the worker), set-based statements, migrations and background maintenance.
/// Registered per provider (docs/decisions/0010-one-write-path.md): on SQLite one queued writer per
/// database file in this process, with SQLite's own busy handler between processes; on SQL Server
/// straight through, in the provider's execution strategy. A context refuses to save tracked
/// changes outside it.
/// </summary>
public interface IDatabaseWritePath
{
    /// <summary>Saves the tracked changes of <paramref name="db"/> in one transaction; nothing to save costs nothing.</summary>
    Task<int> SaveChangesAsync(WebhooksDbContext db, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> inside one transaction on <paramref name="db"/> and commits it
    /// when the work returns (rolls it back when it throws): set-based statements
    /// (<c>ExecuteUpdate</c>, <c>ExecuteDelete</c>, raw SQL such as <c>UPDATE ... RETURNING</c>),
    /// several saves that must commit together. The work may run more than once on SQL Server (a
    /// transient fault retries it), so it saves with <c>SaveChangesAsync(acceptAllChangesOnSuccess: false)</c>;
    /// the write path accepts the changes after the commit.
    /// </summary>
    Task<T> WriteAsync<T>(WebhooksDbContext db, Func<WebhooksDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> as this process's only writer, without a transaction of the
    /// write path's own: work that manages its own (migrations) or is no transaction (a WAL checkpoint).
    /// </summary>
    Task<T> ExclusiveAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the database takes a write within <paramref name="wait"/>: the readiness probe. Takes
    /// the write path like any writer, begins a write transaction and rolls it back; writes nothing.
    /// </summary>
    Task<bool> CanWriteAsync(TimeSpan wait, CancellationToken cancellationToken);
}
