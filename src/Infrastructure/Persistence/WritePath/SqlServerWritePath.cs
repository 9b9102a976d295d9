using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;

namespace Webhooks.Infrastructure.Persistence.WritePath;

/// <summary>
/// SQL Server locks rows, not the database: writers go straight through, with no queue. A
/// transaction of <see cref="WriteAsync{T}"/> runs inside the provider's execution strategy, so a
/// transient fault retries the whole of it.
/// </summary>
public sealed class SqlServerWritePath(DatabaseSettings settings) : IDatabaseWritePath
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

    /// <summary>The database accepts writes (not read-only, not a readable secondary) and answers within the wait.</summary>
    public async Task<bool> CanWriteAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new SqlConnection(settings.ConnectionString);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(wait);
            await connection.OpenAsync(timeout.Token);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT CASE WHEN DATABASEPROPERTYEX(DB_NAME(), 'Updateability') = 'READ_WRITE' THEN 1 ELSE 0 END;";
            command.CommandTimeout = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            return Convert.ToInt32(await command.ExecuteScalarAsync(timeout.Token), System.Globalization.CultureInfo.InvariantCulture) == 1;
        }
        catch (Exception exception) when (exception is SqlException or OperationCanceledException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
