using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>
/// Creates (for SQLite, the file's folder too) and migrates the database, as this process's only
/// writer (<see cref="WritePath.IDatabaseWritePath.ExclusiveAsync{T}"/>).
/// </summary>
public sealed class DatabaseMigrator(WebhooksDbContext db, WritePath.IDatabaseWritePath writePath)
{
    public Task MigrateAsync(CancellationToken cancellationToken) =>
        writePath.ExclusiveAsync(async token =>
        {
            await MigrateExclusivelyAsync(token);
            return true;
        }, cancellationToken);

    private async Task MigrateExclusivelyAsync(CancellationToken cancellationToken)
    {
        if (db is SqliteWebhooksDbContext)
        {
            var dataSource = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            var folder = Path.GetDirectoryName(dataSource);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            await db.Database.MigrateAsync(cancellationToken);

            // Write-ahead logging: readers do not block the writer, and an acknowledged write survives a killed process.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            return;
        }

        await db.Database.MigrateAsync(cancellationToken);
    }
}
