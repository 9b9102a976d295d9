using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Webhooks.Infrastructure.Persistence.WritePath;

/// <summary>
/// A server database locks rows, not the database: writers go straight through, with no queue. A
/// transaction of <see cref="WriteAsync{T}"/> runs inside the provider's execution strategy, so a
/// transient fault retries the whole of it. The readiness probe asks the server whether it takes
/// writes (<see cref="WritableSql"/>) on a connection of its own.
/// </summary>
public abstract class ServerWritePath(DatabaseSettings settings) : IDatabaseWritePath
{
    public Task<int> SaveChangesAsync(WebhooksDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return WriteTransaction.SaveAsync(db, cancellationToken);
    }

    public Task<T> WriteAsync<T>(WebhooksDbContext db, Func<WebhooksDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.CreateExecutionStrategy().ExecuteAsync(
            (db, work),
            static (state, token) => WriteTransaction.RunAsync(state.db, state.work, token),
            cancellationToken);
    }

    public Task<T> ExclusiveAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return work(cancellationToken);
    }

    /// <summary>The database accepts writes and answers <see cref="WritableSql"/> with 1 within the wait.</summary>
    public async Task<bool> CanWriteAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = Connect(settings.ConnectionString);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(wait);
            await connection.OpenAsync(timeout.Token);
            await using var command = connection.CreateCommand();
            command.CommandText = WritableSql;
            command.CommandTimeout = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            return Convert.ToInt32(await command.ExecuteScalarAsync(timeout.Token), System.Globalization.CultureInfo.InvariantCulture) == 1;
        }
        catch (Exception exception) when (exception is DbException or OperationCanceledException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>A query that returns 1 when the database takes writes (not read-only, not a readable secondary or standby).</summary>
    public abstract string WritableSql { get; }

    /// <summary>A new, unopened connection of the provider's.</summary>
    protected abstract DbConnection Connect(string connectionString);
}

/// <summary>SQL Server: straight through, in the provider's execution strategy.</summary>
public sealed class SqlServerWritePath(DatabaseSettings settings) : ServerWritePath(settings)
{
    public override string WritableSql => "SELECT CASE WHEN DATABASEPROPERTYEX(DB_NAME(), 'Updateability') = 'READ_WRITE' THEN 1 ELSE 0 END;";

    protected override DbConnection Connect(string connectionString) => new SqlConnection(connectionString);
}

/// <summary>
/// PostgreSQL: straight through, in the provider's execution strategy; a standby or a read-only
/// database cannot write. The probe opens a session of its own, outside the pool: a database made
/// read-only shows only in a new session, and a pooled one could hide a server that no longer accepts them.
/// </summary>
public sealed class PostgresWritePath(DatabaseSettings settings) : ServerWritePath(settings)
{
    public override string WritableSql =>
        "SELECT CASE WHEN NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off' THEN 1 ELSE 0 END;";

    protected override DbConnection Connect(string connectionString) =>
        new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
}
