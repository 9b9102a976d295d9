using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Persistence.WritePath;

namespace Webhooks.Infrastructure.Deliveries;

/// <summary>A delivery a worker holds a lease on, and where it goes.</summary>
public sealed class ClaimedDelivery
{
    public Guid Id { get; init; }

    public Guid? EndpointId { get; init; }

    public Guid? ClientId { get; init; }

    /// <summary>The receiver: the per-receiver limit counts attempts by this key.</summary>
    public Guid Receiver => EndpointId ?? ClientId ?? Guid.Empty;
}

/// <summary>
/// Leased claims on due deliveries, the queue of docs/decisions/0012-delivery-queue.md. A claim sets
/// <c>lease_owner</c> and <c>lease_expires_at</c> on pending, due rows that no live lease holds, in
/// one statement; a worker that dies simply lets its leases expire, and the rows are claimable again.
/// </summary>
public abstract class DeliveryClaims(IDatabaseWritePath writePath)
{
    /// <summary>
    /// Claims up to <paramref name="limit"/> due deliveries (oldest due first) for
    /// <paramref name="owner"/> until <paramref name="now"/> + <paramref name="lease"/>, skipping the
    /// receivers in <paramref name="busyReceivers"/> (those already at their limit in this process).
    /// </summary>
    public Task<List<ClaimedDelivery>> ClaimAsync(
        WebhooksDbContext db, string owner, DateTimeOffset now, TimeSpan lease, int limit, IReadOnlyCollection<Guid> busyReceivers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(busyReceivers);
        var sql = ClaimSql(owner, now, now + lease, limit, busyReceivers);
        return writePath.WriteAsync(db, (context, token) => context.Database.SqlQuery<ClaimedDelivery>(sql).ToListAsync(token), cancellationToken);
    }

    /// <summary>
    /// Claims the delivery <paramref name="id"/> for <paramref name="owner"/> until
    /// <paramref name="now"/> + <paramref name="lease"/>, whatever its status, unless a live lease
    /// holds it (another attempt is in flight): a manual attempt.
    /// </summary>
    /// <returns>The claim, or <c>null</c> when a live lease holds it (or there is no such row).</returns>
    public async Task<ClaimedDelivery?> ClaimOneAsync(
        WebhooksDbContext db, string owner, Guid id, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var sql = ClaimOneSql(owner, id, now, now + lease);
        var claimed = await writePath.WriteAsync(db, (context, token) => context.Database.SqlQuery<ClaimedDelivery>(sql).ToListAsync(token), cancellationToken);
        return claimed.SingleOrDefault();
    }

    /// <summary>Gives up <paramref name="owner"/>'s leases on <paramref name="ids"/> (all of them when <c>null</c>), so that any worker may claim them at once.</summary>
    public Task<int> ReleaseAsync(WebhooksDbContext db, string owner, IReadOnlyCollection<Guid>? ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return writePath.WriteAsync(
            db,
            (context, token) =>
            {
                var held = context.Set<Domain.Deliveries.Delivery>()
                    .Where(d => EF.Property<string?>(d, Persistence.Configurations.DeliveryConfiguration.LeaseOwnerProperty) == owner);
                if (ids is not null)
                {
                    held = held.Where(d => ids.Contains(d.Id));
                }

                return held.ExecuteUpdateAsync(
                    set => set.SetProperty(d => EF.Property<string?>(d, Persistence.Configurations.DeliveryConfiguration.LeaseOwnerProperty), (string?)null)
                        .SetProperty(d => EF.Property<DateTimeOffset?>(d, Persistence.Configurations.DeliveryConfiguration.LeaseExpiresAtProperty), (DateTimeOffset?)null),
                    token);
            },
            cancellationToken);
    }

    /// <summary>
    /// Moves the pending deliveries of <paramref name="receiver"/> (its endpoint or client) that are due at <paramref name="now"/> and
    /// that no live lease holds to <paramref name="until"/>: a stalled receiver's backlog leaves the
    /// head of the due index, so that claims for everyone else stop walking it (ADR 0012, amendment 2).
    /// Nothing else changes: not the status, the attempt count, nor the schedule.
    /// </summary>
    /// <returns>How many deliveries were moved.</returns>
    public Task<int> DeferAsync(WebhooksDbContext db, ClaimedDelivery receiver, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(receiver);
        var (endpointId, clientId) = (receiver.EndpointId, receiver.ClientId);
        return writePath.WriteAsync(
            db,
            (context, token) => (endpointId is null
                    ? context.Set<Domain.Deliveries.Delivery>().Where(d => d.ClientId == clientId)
                    : context.Set<Domain.Deliveries.Delivery>().Where(d => d.EndpointId == endpointId))
                .Where(d => d.Status == Domain.Deliveries.DeliveryStatus.Pending
                    && d.NextAttemptAt <= now
                    && (EF.Property<DateTimeOffset?>(d, Persistence.Configurations.DeliveryConfiguration.LeaseExpiresAtProperty) == null
                        || EF.Property<DateTimeOffset?>(d, Persistence.Configurations.DeliveryConfiguration.LeaseExpiresAtProperty) <= now))
                .ExecuteUpdateAsync(set => set.SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)until), token),
            cancellationToken);
    }

    /// <summary>The provider's claim statement, returning the claimed rows' <c>Id</c>, <c>EndpointId</c> and <c>ClientId</c>.</summary>
    public abstract FormattableString ClaimSql(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, IReadOnlyCollection<Guid> busyReceivers);

    /// <summary>The provider's statement that claims one row by id when no live lease holds it, returning it as <see cref="ClaimSql"/> does.</summary>
    public abstract FormattableString ClaimOneSql(string owner, Guid id, DateTimeOffset now, DateTimeOffset leaseUntil);

    /// <summary>
    /// The claim's condition, shared by the providers: <c>WHERE</c> pending, due at argument <c>{2}</c>,
    /// no live lease, and none of the busy receivers (their ids as arguments from <c>{4}</c> on).
    /// </summary>
    protected static string DueAndFree(IReadOnlyCollection<Guid> busyReceivers, Func<string, string> quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        return $"WHERE status = 'pending' AND {quote("next_attempt_at")} <= {{2}} AND ({quote("lease_expires_at")} IS NULL OR {quote("lease_expires_at")} <= {{2}})" +
            ExcludeBusy(busyReceivers, 4, quote);
    }

    /// <summary>
    /// <c> AND endpoint_id NOT IN (...) AND client_id NOT IN (...)</c> for the busy receivers, with
    /// their ids as arguments from <paramref name="firstArgument"/> on; empty when none is busy.
    /// </summary>
    protected static string ExcludeBusy(IReadOnlyCollection<Guid> busyReceivers, int firstArgument, Func<string, string> quote)
    {
        ArgumentNullException.ThrowIfNull(busyReceivers);
        if (busyReceivers.Count == 0)
        {
            return string.Empty;
        }

        var list = string.Join(", ", Enumerable.Range(firstArgument, busyReceivers.Count).Select(i => "{" + i + "}"));
        var sql = new StringBuilder();
        foreach (var column in new[] { "endpoint_id", "client_id" })
        {
            sql.Append(" AND (").Append(quote(column)).Append(" IS NULL OR ").Append(quote(column)).Append(" NOT IN (").Append(list).Append("))");
        }

        return sql.ToString();
    }
}

/// <summary>
/// SQLite: one <c>UPDATE ... RETURNING</c> through the write path (SQLite has one writer at a time,
/// so two workers can never claim the same row). Instants are UTC ticks, as stored.
/// </summary>
public sealed class SqliteDeliveryClaims(IDatabaseWritePath writePath) : DeliveryClaims(writePath)
{
    public override FormattableString ClaimSql(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, IReadOnlyCollection<Guid> busyReceivers)
    {
        var sql =
            "UPDATE \"deliveries\" SET \"lease_owner\" = {0}, \"lease_expires_at\" = {1} " +
            "WHERE \"id\" IN (SELECT \"id\" FROM \"deliveries\" " +
            DueAndFree(busyReceivers, column => $"\"{column}\"") +
            " ORDER BY \"next_attempt_at\" LIMIT {3}) " +
            "RETURNING \"id\" AS \"Id\", \"endpoint_id\" AS \"EndpointId\", \"client_id\" AS \"ClientId\"";
        return FormattableStringFactory.Create(sql, [owner, leaseUntil.UtcTicks, now.UtcTicks, limit, .. busyReceivers.Cast<object>()]);
    }

    public override FormattableString ClaimOneSql(string owner, Guid id, DateTimeOffset now, DateTimeOffset leaseUntil) =>
        $"UPDATE \"deliveries\" SET \"lease_owner\" = {owner}, \"lease_expires_at\" = {leaseUntil.UtcTicks} WHERE \"id\" = {id} AND (\"lease_expires_at\" IS NULL OR \"lease_expires_at\" <= {now.UtcTicks}) RETURNING \"id\" AS \"Id\", \"endpoint_id\" AS \"EndpointId\", \"client_id\" AS \"ClientId\"";
}

/// <summary>
/// SQL Server: the classic queue read. <c>UPDLOCK</c> takes the rows it reads for update,
/// <c>READPAST</c> skips rows another worker has locked instead of waiting for them, <c>ROWLOCK</c>
/// keeps the locks to rows; so any number of workers on any number of machines claim disjoint sets
/// in parallel, each in one statement.
/// </summary>
public sealed class SqlServerDeliveryClaims(IDatabaseWritePath writePath) : DeliveryClaims(writePath)
{
    public override FormattableString ClaimSql(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, IReadOnlyCollection<Guid> busyReceivers)
    {
        var sql =
            "WITH [due] AS (SELECT TOP ({3}) [id], [endpoint_id], [client_id], [lease_owner], [lease_expires_at] " +
            "FROM [deliveries] WITH (UPDLOCK, READPAST, ROWLOCK) " +
            DueAndFree(busyReceivers, column => $"[{column}]") +
            " ORDER BY [next_attempt_at]) " +
            "UPDATE [due] SET [lease_owner] = {0}, [lease_expires_at] = {1} " +
            "OUTPUT inserted.[id] AS [Id], inserted.[endpoint_id] AS [EndpointId], inserted.[client_id] AS [ClientId];";
        return FormattableStringFactory.Create(sql, [owner, leaseUntil, now, limit, .. busyReceivers.Cast<object>()]);
    }

    /// <summary>One row by its key; <c>ROWLOCK</c> keeps the lock to it, and a worker's claim that holds it locked is waited for (then its lease is live).</summary>
    public override FormattableString ClaimOneSql(string owner, Guid id, DateTimeOffset now, DateTimeOffset leaseUntil) =>
        $"UPDATE [deliveries] WITH (ROWLOCK) SET [lease_owner] = {owner}, [lease_expires_at] = {leaseUntil} OUTPUT inserted.[id] AS [Id], inserted.[endpoint_id] AS [EndpointId], inserted.[client_id] AS [ClientId] WHERE [id] = {id} AND ([lease_expires_at] IS NULL OR [lease_expires_at] <= {now});";
}

/// <summary>
/// PostgreSQL: the queue read of every PostgreSQL job queue. The inner <c>SELECT ... FOR UPDATE
/// SKIP LOCKED</c> locks the due rows it picks and skips rows another worker's claim holds instead of
/// waiting for them; a row claimed and committed meanwhile is checked again against the lease
/// condition before it is updated. So any number of workers claim disjoint sets in parallel, each in
/// one statement. <c>RETURNING</c> gives the rows in no particular order: the outer <c>SELECT</c>
/// returns them oldest due first, as the worker takes them. Instants are UTC
/// (<see cref="Persistence.UtcMicrosecondsConverter"/>).
/// </summary>
public sealed class PostgresDeliveryClaims(IDatabaseWritePath writePath) : DeliveryClaims(writePath)
{
    public override FormattableString ClaimSql(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, IReadOnlyCollection<Guid> busyReceivers)
    {
        var sql =
            "WITH \"claimed\" AS (UPDATE \"deliveries\" SET \"lease_owner\" = {0}, \"lease_expires_at\" = {1} " +
            "WHERE \"id\" IN (SELECT \"id\" FROM \"deliveries\" " +
            DueAndFree(busyReceivers, column => $"\"{column}\"") +
            " ORDER BY \"next_attempt_at\" LIMIT {3} FOR UPDATE SKIP LOCKED) " +
            "RETURNING \"id\", \"endpoint_id\", \"client_id\", \"next_attempt_at\") " +
            "SELECT \"id\" AS \"Id\", \"endpoint_id\" AS \"EndpointId\", \"client_id\" AS \"ClientId\" FROM \"claimed\" ORDER BY \"next_attempt_at\"";
        return FormattableStringFactory.Create(sql, [owner, UtcMicrosecondsConverter.Stored(leaseUntil), UtcMicrosecondsConverter.Stored(now), limit, .. busyReceivers.Cast<object>()]);
    }

    /// <summary>One row by its key; a claim that holds it locked is waited for (then its lease is live).</summary>
    public override FormattableString ClaimOneSql(string owner, Guid id, DateTimeOffset now, DateTimeOffset leaseUntil) =>
        $"UPDATE \"deliveries\" SET \"lease_owner\" = {owner}, \"lease_expires_at\" = {UtcMicrosecondsConverter.Stored(leaseUntil)} WHERE \"id\" = {id} AND (\"lease_expires_at\" IS NULL OR \"lease_expires_at\" <= {UtcMicrosecondsConverter.Stored(now)}) RETURNING \"id\" AS \"Id\", \"endpoint_id\" AS \"EndpointId\", \"client_id\" AS \"ClientId\"";
}
