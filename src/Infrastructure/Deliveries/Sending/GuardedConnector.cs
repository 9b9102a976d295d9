using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Infrastructure.Deliveries.Sending;

/// <summary>
/// The connect-time half of the server-side-request-forgery rule, as the sender's
/// <see cref="SocketsHttpHandler.ConnectCallback"/>: resolve the host once, check every address with
/// <see cref="UrlPolicy.Permits"/>, and connect only to those addresses (in the resolver's order).
/// A host with any refused address is refused entirely: a name that mixes public and private
/// addresses is the shape of a DNS rebinding attack, and no packet is sent anywhere for it.
/// </summary>
public sealed class GuardedConnector(UrlPolicy policy, IHostResolver resolver)
{
    /// <exception cref="SendFailedException">The host is refused, cannot be resolved, or no address accepts a connection.</exception>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (host, port) = (context.DnsEndPoint.Host, context.DnsEndPoint.Port);
        var addresses = await ResolvePermittedAsync(host, cancellationToken);
        var failures = new List<string>();
        foreach (var address in addresses)
        {
            var target = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(target, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException exception)
            {
                socket.Dispose();
                failures.Add($"{address}: {exception.Message}");
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new SendFailedException(SendErrors.With(SendErrors.ConnectionFailedMessage, $"port {port} of {string.Join("; ", failures)}"));
    }

    /// <summary>
    /// The addresses of <paramref name="host"/> (an IP literal is its own address, without DNS), all
    /// permitted by the policy.
    /// </summary>
    /// <exception cref="SendFailedException">The name cannot be resolved, or any of its addresses is refused.</exception>
    public async Task<IReadOnlyList<IPAddress>> ResolvePermittedAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var literal = IPAddress.TryParse(host.TrimStart('[').TrimEnd(']'), out var address);
        var addresses = literal ? [address!] : await ResolveAsync(host, cancellationToken);
        var refused = addresses.Where(a => !policy.Permits(a)).Distinct().ToList();
        if (refused.Count > 0)
        {
            var which = literal ? address!.ToString() : $"{host} resolves to {string.Join(", ", refused)}";
            throw new SendFailedException(SendErrors.With(
                SendErrors.RefusedAddressMessage,
                $"{which}, outside the public internet and Webhooks:AllowedPrivateNetworks; no connection was made"));
        }

        return addresses;
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await resolver.ResolveAsync(host, cancellationToken);
        }
        catch (SocketException exception)
        {
            throw new SendFailedException(SendErrors.With(SendErrors.NameResolutionFailedMessage, $"{host} ({exception.Message})"), exception);
        }

        return addresses.Length > 0
            ? addresses
            : throw new SendFailedException(SendErrors.With(SendErrors.NameResolutionFailedMessage, $"{host} has no address"));
    }
}

/// <summary>Why a webhook request could not be sent, in <see cref="SendErrors"/>' words (the message is the recorded error).</summary>
public sealed class SendFailedException : IOException
{
    public SendFailedException(string message)
        : base(message)
    {
    }

    public SendFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SendFailedException()
    {
    }
}
