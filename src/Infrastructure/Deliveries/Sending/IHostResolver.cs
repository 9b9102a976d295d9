using System.Net;

namespace Webhooks.Infrastructure.Deliveries.Sending;

/// <summary>Resolves a receiver's host name to its addresses (the system's DNS; a seam for tests of the address rule).</summary>
public interface IHostResolver
{
    /// <exception cref="System.Net.Sockets.SocketException">The name cannot be resolved.</exception>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The operating system's resolver.</summary>
public sealed class SystemHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}
