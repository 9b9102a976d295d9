using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Api.Admin.Listen;

/// <summary>
/// The <c>listen</c> command: an HTTPS receiver on <c>127.0.0.1</c> for developers (like <c>stripe listen</c>).
/// It answers <c>200</c> to every <c>POST</c> and prints one block per webhook: its id, type, timestamp,
/// whether its signature matches, and its body. It runs until SIGTERM or Ctrl+C.
/// </summary>
public sealed class WebhookListener
{
    public const int DefaultPort = 5443;

    public const string DefaultDirectory = "data/listen";

    /// <summary>The demo endpoint's signing secret, written there by the Development seed (owner-only).</summary>
    public const string DemoSecretFile = "demo-secret";

    public const string ListeningLine = "Listening on ";

    public const string Verified = "signature: verified";

    public const string NotVerified = "signature: NOT verified";

    private readonly Lock _printing = new();
    private readonly string _directory;
    private readonly string? _secret;
    private readonly TextWriter _output;
    private long _received;

    public WebhookListener(string directory, string? secret, TextWriter output)
    {
        _directory = Path.GetFullPath(directory);
        _secret = secret;
        _output = output;
    }

    public async Task<int> RunAsync(int port)
    {
        using var certificate = ListenCertificates.ServerCertificate(_directory);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate)));
        await using var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var url = new Uri(address);
        Print($"""
            {ListeningLine}https://127.0.0.1:{url.Port} (any path; the Development demo endpoint is https://127.0.0.1:{DefaultPort}/demo)
              CA certificate  {Path.Combine(_directory, ListenCertificates.CaFile)} (trusted by the service in Development)
              signatures      {(_secret is null ? $"checked with the demo endpoint's secret ({Path.Combine(_directory, DemoSecretFile)}) when it exists; --secret to give one" : "checked with --secret")}
              Ctrl+C to stop.

            """);
        await app.WaitForShutdownAsync();
        Print($"Stopped after {Interlocked.Read(ref _received)} webhooks.{Environment.NewLine}");
        return 0;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "POST";
            return;
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var headers = context.Request.Headers;
        var id = headers["webhook-id"].ToString();
        var timestamp = headers["webhook-timestamp"].ToString();
        Interlocked.Increment(ref _received);
        Print($"""
            --> POST {context.Request.Path}{context.Request.QueryString}  received {DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}
                webhook-id         {Shown(id)}
                type               {TypeOf(body)}
                webhook-timestamp  {Shown(timestamp)}{SentAt(timestamp)}
                {Signature(id, timestamp, headers["webhook-signature"].ToString(), body)}
                body               {Encoding.UTF8.GetString(body)}

            """);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private string Signature(string id, string timestamp, string header, byte[] body)
    {
        var secret = _secret ?? DemoSecret();
        if (secret is null)
        {
            return $"{NotVerified} (no secret to check it with: pass --secret whsec_...)";
        }

        if (id.Length == 0 || header.Length == 0 || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return $"{NotVerified} (webhook-id, webhook-timestamp or webhook-signature missing or malformed)";
        }

        var expected = Encoding.ASCII.GetBytes(WebhookSignature.Sign(secret, id, seconds, body));
        var matches = header.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(entry => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(entry), expected));
        return matches ? Verified : $"{NotVerified} (no v1 entry matches the secret)";
    }

    /// <summary>The secret the Development seed wrote, read at each webhook (the service may seed after <c>listen</c> started).</summary>
    private string? DemoSecret()
    {
        var file = Path.Combine(_directory, DemoSecretFile);
        try
        {
            var secret = File.ReadAllText(file).Trim();
            return IsSecret(secret) ? secret : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static bool IsSecret(string value)
    {
        try
        {
            WebhookSignature.Key(value);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string TypeOf(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                ? type.GetString()!
                : "(no \"type\" in the body)";
        }
        catch (JsonException)
        {
            return "(the body is not JSON)";
        }
    }

    private static string SentAt(string timestamp) =>
        long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 253402300800
            ? DateTimeOffset.FromUnixTimeSeconds(seconds).ToString(" (yyyy-MM-dd'T'HH:mm:ss'Z')", CultureInfo.InvariantCulture)
            : string.Empty;

    private static string Shown(string value) => value.Length == 0 ? "(missing)" : value;

    /// <summary>One write per block, so that concurrent webhooks never interleave.</summary>
    private void Print(string block)
    {
        lock (_printing)
        {
            _output.Write(block);
            _output.Flush();
        }
    }
}
