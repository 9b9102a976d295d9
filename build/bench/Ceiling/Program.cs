// The delivery benchmark's ceiling (issue 16).
//
//   Ceiling --url https://127.0.0.1:P/hooks --ca ca.pem --requests N --concurrency C --endpoints E --body-bytes B [--warmup W]
//
// C loops share one HttpClient (SocketsHttpHandler, the service's connection settings, the CA as the
// only extra root) and post N requests in all to URL/0 .. URL/(E-1) in turn: a body of B bytes, and
// webhook-id (a fresh version-7 UUID), webhook-timestamp and webhook-signature (HMAC-SHA256 over
// id.timestamp.body, as the service signs), so the receiver does the same work as for a delivery.
// W requests first warm up the connections and the JIT. Prints one JSON line:
// {"requests", "seconds", "requests_per_second", "errors"}.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

int Number(string name, int fallback) =>
    options.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

if (!options.TryGetValue("--url", out var baseUrl) || !options.TryGetValue("--ca", out var caPath))
{
    Console.Error.WriteLine("usage: Ceiling --url https://127.0.0.1:P/hooks --ca ca.pem --requests N --concurrency C --endpoints E --body-bytes B [--warmup W]");
    return 2;
}

var requests = Number("--requests", 100_000);
var concurrency = Number("--concurrency", 32);
var endpoints = Number("--endpoints", 8);
var bodyBytes = Number("--body-bytes", 200);
var warmup = Number("--warmup", 2_000);

var roots = new X509Certificate2Collection();
roots.ImportFromPemFile(caPath);
using var handler = new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    UseCookies = false,
    AutomaticDecompression = DecompressionMethods.None,
    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
    MaxConnectionsPerServer = 32, // the service's SenderSetup.MaxConnectionsPerServer
    MaxResponseDrainSize = 0,
    SslOptions = new SslClientAuthenticationOptions
    {
        RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
            {
                return false;
            }

            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(leaf);
        },
    },
};
using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(15) };
client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "Webhooks-Delivery/1.0");

var secret = RandomNumberGenerator.GetBytes(24);
var urls = Enumerable.Range(0, endpoints).Select(n => new Uri($"{baseUrl.TrimEnd('/')}/{n}")).ToArray();
var contentType = new MediaTypeHeaderValue("application/json");

async Task<int> Run(int total)
{
    var next = -1;
    var errors = 0;
    var loops = Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int n;
        while ((n = Interlocked.Increment(ref next)) < total)
        {
            var id = Guid.CreateVersion7().ToString("D");
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var body = Body(id, bodyBytes);
            var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
            var signature = HMACSHA256.HashData(secret, signed.Concat(body).ToArray());
            using var message = new HttpRequestMessage(HttpMethod.Post, urls[n % urls.Length]) { Content = new ByteArrayContent(body) };
            message.Content.Headers.ContentType = contentType;
            message.Headers.TryAddWithoutValidation("webhook-id", id);
            message.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp);
            message.Headers.TryAddWithoutValidation("webhook-signature", "v1," + Convert.ToBase64String(signature));
            try
            {
                using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref errors);
            }
            catch (TaskCanceledException)
            {
                Interlocked.Increment(ref errors);
            }
        }
    });
    await Task.WhenAll(loops);
    return errors;
}

await Run(warmup);
var clock = Stopwatch.StartNew();
var failed = await Run(requests);
var seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine(
    $"{{\"requests\":{requests},\"seconds\":{seconds.ToString("F3", CultureInfo.InvariantCulture)}," +
    $"\"requests_per_second\":{(requests / seconds).ToString("F0", CultureInfo.InvariantCulture)},\"errors\":{failed}}}");
return failed == 0 ? 0 : 1;

// An envelope-shaped body of exactly `size` bytes (the data object padded to length).
static byte[] Body(string id, int size)
{
    var head = $"{{\"id\":\"{id}\",\"type\":\"wallet.balance_low\",\"api_version\":\"2026-04-01\",\"created_at\":\"{DateTime.UtcNow:yyyy-MM-dd'T'HH:mm:ss'Z'}\",\"data\":{{\"pad\":\"";
    const string tail = "\"}}";
    var padding = Math.Max(0, size - head.Length - tail.Length);
    return Encoding.UTF8.GetBytes(head + new string('x', padding) + tail);
}
