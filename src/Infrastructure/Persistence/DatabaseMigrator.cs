using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>Creates (for SQLite, the file's folder too) and migrates the database.</summary>
public sealed class DatabaseMigrator(WebhooksDbContext db)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
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
