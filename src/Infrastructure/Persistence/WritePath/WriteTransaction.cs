namespace Webhooks.Infrastructure.Persistence.WritePath;

/// <summary>What both providers' write paths do once they may write.</summary>
internal static class WriteTransaction
{
    /// <summary>Saves the tracked changes with EF Core's own transaction.</summary>
    public static async Task<int> SaveAsync(WebhooksDbContext db, CancellationToken cancellationToken)
    {
        using (db.OpenWritePath())
        {
            return await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>Begins a transaction (BEGIN IMMEDIATE on SQLite), runs the work, commits, accepts the saved changes.</summary>
    public static async Task<T> RunAsync<T>(WebhooksDbContext db, Func<WebhooksDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        using (db.OpenWritePath())
        {
            var result = await work(db, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.AcceptAllChanges();
            return result;
        }
    }
}
