namespace Webhooks.Infrastructure.Persistence.Sqlite;

/// <summary>
/// An asynchronous lock that admits one holder at a time, strictly in the order the waiters came
/// (<see cref="SemaphoreSlim"/> gives no such promise). Waiting costs no thread; a cancelled waiter
/// leaves the queue.
/// </summary>
public sealed class AsyncFifoLock
{
    private readonly object _sync = new();
    private readonly LinkedList<TaskCompletionSource<Releaser>> _waiters = new();
    private bool _held;

    /// <summary>How many callers wait for the lock now (for tests and diagnostics).</summary>
    public int Waiting
    {
        get
        {
            lock (_sync)
            {
                return _waiters.Count;
            }
        }
    }

    public Task<Releaser> AcquireAsync(CancellationToken cancellationToken)
    {
        LinkedListNode<TaskCompletionSource<Releaser>> node;
        lock (_sync)
        {
            if (!_held)
            {
                _held = true;
                return Task.FromResult(new Releaser(this));
            }

            cancellationToken.ThrowIfCancellationRequested();
            node = _waiters.AddLast(new TaskCompletionSource<Releaser>(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                bool removed;
                lock (_sync)
                {
                    removed = node.List is not null;
                    if (removed)
                    {
                        _waiters.Remove(node);
                    }
                }

                if (removed)
                {
                    node.Value.TrySetCanceled(cancellationToken);
                }
            });
            _ = node.Value.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return node.Value.Task;
    }

    private void Release()
    {
        TaskCompletionSource<Releaser>? next = null;
        lock (_sync)
        {
            if (_waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                next = first.Value;
            }
            else
            {
                _held = false;
            }
        }

        // Ownership passes straight to the next waiter (it stays held), so no later caller can barge in.
        next?.SetResult(new Releaser(this));
    }

    /// <summary>Releases the lock when disposed, once.</summary>
    public sealed class Releaser : IDisposable
    {
        private AsyncFifoLock? _owner;

        internal Releaser(AsyncFifoLock owner) => _owner = owner;

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release();
    }
}
