using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>
/// Creates (for SQLite, the file's folder too) and migrates the database, as this process's only
/// writer (<see cref="WritePath.IDatabaseWritePath.ExclusiveAsync{T}"/>), then does the data steps
/// that need the service's keys (a schema migration cannot encrypt).
/// </summary>
public sealed class DatabaseMigrator(
    WebhooksDbContext db,
    WritePath.IDatabaseWritePath writePath,
    Application.Common.Ports.ISecretProtector protector)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await writePath.ExclusiveAsync(async token =>
        {
            await MigrateExclusivelyAsync(token);
            return true;
        }, cancellationToken);
        await GiveClientsWebhookSecretsAsync(cancellationToken);
    }

    /// <summary>
    /// Clients registered before clients had a webhook signing secret get one (migration
    /// <c>Deliveries</c>). Nobody has seen it: the client learns it from
    /// <c>POST /clients/webhook-secret/rotate</c>. Runs on every start; costs one query over the clients when
    /// there is nothing to do.
    /// </summary>
    private async Task GiveClientsWebhookSecretsAsync(CancellationToken cancellationToken)
    {
        var clients = await db.Set<Domain.Clients.Client>().Where(c => c.ProtectedWebhookSecret == null).ToListAsync(cancellationToken);
        if (clients.Count == 0)
        {
            return;
        }

        foreach (var client in clients)
        {
            client.GiveFirstWebhookSecret(protector.Protect(Application.Common.RandomSecrets.SigningSecret()));
        }

        await writePath.SaveChangesAsync(db, cancellationToken);
        db.ChangeTracker.Clear();
    }

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
