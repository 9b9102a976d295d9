using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Webhooks.Infrastructure.Persistence.WritePath;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>
/// Ready when the database answers a trivial query and takes a write within
/// <see cref="DatabaseSettings.ReadyWriteTimeout"/> (<c>Database:ReadyWriteTimeoutSeconds</c>): the
/// probe takes the write path like any writer and begins and rolls back a write transaction.
/// On SQL Server and PostgreSQL the write path's probe is the whole check: it connects once, on a
/// session of its own, outside the provider's retries on transient faults (<c>EnableRetryOnFailure</c>,
/// which <c>CanConnectAsync</c> runs in), so that a probe asked while the server is down answers 503 at
/// once instead of waiting seconds for the server to come back and then answering 200.
/// </summary>
public sealed class DatabaseHealthCheck(WebhooksDbContext db, IDatabaseWritePath writePath, DatabaseSettings settings) : IHealthCheck
{
    public const string Reachable = "database takes writes";
    public const string Unreachable = "database unreachable";
    public const string CannotWrite = "database cannot take a write";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (writePath is not WritePath.ServerWritePath && !await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy(Unreachable);
            }

            return await writePath.CanWriteAsync(settings.ReadyWriteTimeout, cancellationToken)
                ? HealthCheckResult.Healthy(Reachable)
                : HealthCheckResult.Unhealthy(CannotWrite);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy(Unreachable);
        }
    }
}
