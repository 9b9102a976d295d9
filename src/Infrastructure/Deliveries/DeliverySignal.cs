using Webhooks.Application.Deliveries;

namespace Webhooks.Infrastructure.Deliveries;

/// <summary>
/// The in-process wake-up of the delivery worker. Many notifications before the worker looks count
/// as one; one that comes while the worker is busy is kept for its next wait.
/// </summary>
public sealed class DeliverySignal : IDeliverySignal, IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the worker will look once, and see everything.
        }
    }

    public void Dispose() => _signal.Dispose();

    /// <summary>Waits for a notification or <paramref name="timeout"/>, whichever comes first.</summary>
    /// <returns>Whether a notification came.</returns>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
