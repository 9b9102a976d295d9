using Webhooks.Infrastructure.Persistence.Sqlite;

namespace Webhooks.Infrastructure.Tests.Persistence.Sqlite;

/// <summary>The lock that queues this process's SQLite writers: one holder at a time, first come first served.</summary>
[TestFixture]
public sealed class AsyncFifoLockTests
{
    [Test]
    public async Task FifoLock_AdmitsOneHolderAtATime_InArrivalOrder()
    {
        var gate = new AsyncFifoLock();
        var first = await gate.AcquireAsync(CancellationToken.None);
        var order = new List<int>();
        var waiters = Enumerable.Range(1, 20).Select(async i =>
        {
            // Queued in this order, synchronously, before any of them can run.
            var acquire = gate.AcquireAsync(CancellationToken.None);
            using (await acquire)
            {
                lock (order)
                {
                    order.Add(i);
                }
            }
        }).ToList();

        Assert.That(gate.Waiting, Is.EqualTo(20));
        first.Dispose();
        await Task.WhenAll(waiters);

        Assert.That(order, Is.EqualTo(Enumerable.Range(1, 20)));
    }

    [Test]
    public async Task FifoLock_CancelledWaiter_LeavesTheQueue_AndTheLockStillPassesOn()
    {
        var gate = new AsyncFifoLock();
        var held = await gate.AcquireAsync(CancellationToken.None);
        using var cancellation = new CancellationTokenSource();
        var cancelled = gate.AcquireAsync(cancellation.Token);
        var next = gate.AcquireAsync(CancellationToken.None);

        await cancellation.CancelAsync();
        Assert.That(async () => await cancelled, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(gate.Waiting, Is.EqualTo(1));

        held.Dispose();
        using (await next.WaitAsync(TimeSpan.FromSeconds(5)))
        {
            Assert.That(gate.Waiting, Is.Zero);
        }

        // Released twice is released once.
        var again = await gate.AcquireAsync(CancellationToken.None);
        again.Dispose();
        again.Dispose();
        using var last = await gate.AcquireAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }
}
