using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Webhooks.Infrastructure.Tests.Support;

/// <summary>Counts committed transactions (add it to <see cref="SqliteAppTests.Interceptors"/>).</summary>
internal sealed class CommitCounter : DbTransactionInterceptor
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Reset() => Volatile.Write(ref _count, 0);

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Interlocked.Increment(ref _count);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return Task.CompletedTask;
    }
}
