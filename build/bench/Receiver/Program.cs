// The delivery benchmark's receiver (issue 16).
//
//   Receiver --port P --stats-port S --cert server.pem --key server.key
//
// HTTPS on 127.0.0.1:P with the given certificate: every POST is read to its end and answered 204.
// An arrival is counted per delivery, the pair (webhook-id, the number at the end of the path, as in
// /hooks/7): the first arrival of a pair is unique, any later one a duplicate. Publish-to-arrival time
// is the arrival clock against the millisecond timestamp of the webhook-id, a version-7 UUID made when
// the event was published (the envelope's created_at has whole seconds only).
// A POST under /hold/ (the isolation scenario's dead endpoint) is never answered: it is held until
// the sender gives up (its time-out) and counted as held, not as an arrival.
// Plain HTTP on 127.0.0.1:S: GET /stats (JSON, below), POST /reset (forget everything so far).
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Pipelines;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;

var port = 0;
var statsPort = 0;
string? certPath = null, keyPath = null;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--port": port = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--stats-port": statsPort = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--cert": certPath = args[i + 1]; break;
        case "--key": keyPath = args[i + 1]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

if (port == 0 || statsPort == 0 || certPath is null || keyPath is null)
{
    Console.Error.WriteLine("usage: Receiver --port P --stats-port S --cert server.pem --key server.key");
    return 2;
}

// Kestrel wants a certificate with an exportable key on Linux: load the PEM pair and re-import it.
using var pem = X509Certificate2.CreateFromPemFile(certPath, keyPath);
using var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxConcurrentConnections = null;
    kestrel.ListenLocalhostOrLoopback(port, https: true, certificate);
    kestrel.ListenLocalhostOrLoopback(statsPort, https: false, certificate);
});
var app = builder.Build();
var arrivals = new Arrivals();

app.Run(async context =>
{
    var request = context.Request;
    if (context.Connection.LocalPort == statsPort)
    {
        if (HttpMethods.IsGet(request.Method) && request.Path == "/stats")
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(arrivals.Stats());
        }
        else if (HttpMethods.IsPost(request.Method) && request.Path == "/reset")
        {
            arrivals.Reset();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return;
    }

    if (!HttpMethods.IsPost(request.Method))
    {
        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        return;
    }

    if (request.Path.StartsWithSegments("/hold"))
    {
        arrivals.Hold();
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // the sender's time-out closed the connection: nothing to answer
        }

        return;
    }

    // Read the body to its end (into the pipe's pooled segments) without copying it anywhere.
    var reader = request.BodyReader;
    while (true)
    {
        var read = await reader.ReadAsync(context.RequestAborted);
        reader.AdvanceTo(read.Buffer.End);
        if (read.IsCompleted)
        {
            break;
        }
    }

    arrivals.Record(request.Headers["webhook-id"].ToString(), request.Path.Value);
    context.Response.StatusCode = StatusCodes.Status204NoContent;
});

await app.RunAsync();
return 0;

internal static class KestrelExtensions
{
    public static void ListenLocalhostOrLoopback(this KestrelServerOptions kestrel, int port, bool https, X509Certificate2 certificate) =>
        kestrel.Listen(System.Net.IPAddress.Loopback, port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            if (https)
            {
                listen.UseHttps(certificate);
            }
        });
}

/// <summary>What arrived: unique deliveries, duplicates, and the publish-to-arrival time of each unique one.</summary>
internal sealed class Arrivals
{
    private const int LatencyCapacity = 4_000_000;

    private readonly object _gate = new();
    private ConcurrentDictionary<(Guid Id, int Endpoint), byte> _seen = new(Environment.ProcessorCount * 4, 1 << 17);
    private long[] _latencyMicros = new long[LatencyCapacity];
    private long _received;
    private long _unique;
    private long _malformed;
    private long _held;
    private long _firstTicks;
    private long _lastTicks;

    public void Record(string webhookId, string? path)
    {
        var now = DateTime.UtcNow.Ticks;
        Interlocked.CompareExchange(ref _firstTicks, now, 0);
        InterlockedMax(ref _lastTicks, now);
        Interlocked.Increment(ref _received);
        if (!Guid.TryParse(webhookId, out var id))
        {
            Interlocked.Increment(ref _malformed);
            return;
        }

        if (!_seen.TryAdd((id, EndpointNumber(path)), 0))
        {
            return; // a duplicate: received - unique
        }

        var index = Interlocked.Increment(ref _unique) - 1;
        if (index < LatencyCapacity && UnixMillisecondsOfUuidV7(id) is { } published)
        {
            _latencyMicros[index] = (now - DateTime.UnixEpoch.Ticks) / 10 - published * 1000;
        }
    }

    /// <summary>A request to the dead endpoint, held unanswered.</summary>
    public void Hold() => Interlocked.Increment(ref _held);

    public void Reset()
    {
        lock (_gate)
        {
            _seen = new ConcurrentDictionary<(Guid, int), byte>(Environment.ProcessorCount * 4, 1 << 17);
            _latencyMicros = new long[LatencyCapacity];
            _received = _unique = _malformed = _held = _firstTicks = _lastTicks = 0;
        }
    }

    public string Stats()
    {
        lock (_gate)
        {
            var unique = Interlocked.Read(ref _unique);
            var received = Interlocked.Read(ref _received);
            var latencies = _latencyMicros.AsSpan(0, (int)Math.Min(unique, LatencyCapacity)).ToArray();
            Array.Sort(latencies);
            double? Percentile(double p) => latencies.Length == 0
                ? null
                : latencies[Math.Clamp((int)Math.Ceiling(p / 100 * latencies.Length) - 1, 0, latencies.Length - 1)] / 1000.0;
            var first = Interlocked.Read(ref _firstTicks);
            var last = Interlocked.Read(ref _lastTicks);
            return JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["received"] = received,
                ["unique"] = unique,
                ["duplicates"] = received - unique - Interlocked.Read(ref _malformed),
                ["malformed"] = Interlocked.Read(ref _malformed),
                ["held"] = Interlocked.Read(ref _held),
                ["first_arrival"] = first == 0 ? null : UnixSeconds(first),
                ["last_arrival"] = last == 0 ? null : UnixSeconds(last),
                ["latency_ms"] = new Dictionary<string, double?>
                {
                    ["p50"] = Percentile(50),
                    ["p99"] = Percentile(99),
                    ["max"] = latencies.Length == 0 ? null : latencies[^1] / 1000.0,
                },
            });
        }
    }

    private static double UnixSeconds(long ticks) => (ticks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond;

    /// <summary>The number after the last '/' of the path (/hooks/7 → 7), or 0.</summary>
    private static int EndpointNumber(string? path)
    {
        if (path is null)
        {
            return 0;
        }

        var slash = path.LastIndexOf('/');
        return int.TryParse(path.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;
    }

    /// <summary>The 48-bit Unix millisecond timestamp of a version-7 UUID, or null for another version.</summary>
    private static long? UnixMillisecondsOfUuidV7(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return bytes[6] >> 4 == 7 ? BinaryPrimitives.ReadInt64BigEndian(bytes) >> 16 : null;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
