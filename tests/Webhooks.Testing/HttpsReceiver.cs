using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Webhooks.Testing;

// A real HTTPS webhook receiver for tests, self-contained (no project types): Kestrel on 127.0.0.1,
// an ephemeral port, and a certificate issued by a CA the test makes. Shared by
// the Infrastructure and Api test projects (this class library is referenced by both).

/// <summary>One request as the receiver got it.</summary>
public sealed record ReceivedRequest(
    string Method,
    string PathAndQuery,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    DateTimeOffset ReceivedAt,
    string ConnectionId)
{
    /// <summary>A header's value (several values joined with <c>", "</c>), or <c>null</c> when it was not sent; names are case-insensitive.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>How the receiver answers: a status, headers, a body, optionally after a delay or with a body that never ends.</summary>
public sealed record ReceiverResponse(int Status = 200)
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public byte[] Body { get; init; } = [];

    /// <summary>How long to wait before answering (ended early when the client goes away).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>After <see cref="Body"/>, send <c>x</c> characters until the client goes away.</summary>
    public bool EndlessBody { get; init; }

    /// <summary>After <see cref="Body"/>, send nothing more and keep the response open until the client goes away.</summary>
    public bool StallAfterBody { get; init; }

    public static ReceiverResponse Ok { get; } = new();

    public static ReceiverResponse Text(int status, string body) => new(status) { Body = System.Text.Encoding.UTF8.GetBytes(body) };
}

/// <summary>
/// A real HTTPS receiver on <c>127.0.0.1</c> (port 0, so tests never collide). It records every
/// request (<see cref="Requests"/>) before answering it as <see cref="Respond"/> says.
/// </summary>
public sealed class HttpsReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly WebApplication _app;

    private HttpsReceiver(X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>The answer to each request (called after it is recorded). Default: <c>200</c> with no body.</summary>
    public Func<ReceivedRequest, ReceiverResponse> Respond { get; set; } = _ => ReceiverResponse.Ok;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Forgets the requests so far and answers <c>200</c> again.</summary>
    public void Reset()
    {
        _requests.Clear();
        Respond = _ => ReceiverResponse.Ok;
    }

    public int Port { get; private set; }

    /// <summary><c>https://127.0.0.1:{port}{path}</c>.</summary>
    public Uri Url(string path = "/") => new($"https://127.0.0.1:{Port}{path}");

    /// <summary>The same path under another host name (which must resolve to 127.0.0.1 for the client).</summary>
    public Uri Url(string host, string path) => new($"https://{host}:{Port}{path}");

    /// <summary>Starts a receiver whose certificate is <paramref name="certificate"/> (with its private key).</summary>
    public static async Task<HttpsReceiver> StartAsync(X509Certificate2 certificate)
    {
        var receiver = new HttpsReceiver(certificate);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Port = new Uri(address).Port;
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var received = new ReceivedRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.ToArray(),
            DateTimeOffset.UtcNow,
            context.Connection.Id);
        _requests.Enqueue(received);
        var response = Respond(received);
        try
        {
            if (response.Delay > TimeSpan.Zero)
            {
                await Task.Delay(response.Delay, context.RequestAborted);
            }

            context.Response.StatusCode = response.Status;
            foreach (var (name, value) in response.Headers)
            {
                context.Response.Headers[name] = value;
            }

            await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
            if (response.StallAfterBody)
            {
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
            }

            var chunk = new byte[8192];
            Array.Fill(chunk, (byte)'x');
            while (response.EndlessBody)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The client went away: nothing more to answer.
        }
    }
}

/// <summary>
/// A certificate authority made for one test run: its certificate (as PEM, for a client's trusted
/// roots) and server certificates it issues for chosen host names and IP addresses.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly ECDsa _key;

    public TestCertificateAuthority(string name = "Webhooks Test CA")
    {
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(30));
    }

    public X509Certificate2 Certificate { get; }

    public string Pem => Certificate.ExportCertificatePem();

    /// <summary>
    /// A server certificate for <paramref name="names"/> (DNS names or IP addresses), valid from
    /// yesterday for a week unless <paramref name="expired"/> (then it ended yesterday), with its
    /// private key in a form Kestrel can use on every platform.
    /// </summary>
    public X509Certificate2 IssueServerCertificate(IEnumerable<string> names, bool expired = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var list = names.ToList();
        var request = new CertificateRequest($"CN={list[0]}", key, HashAlgorithmName.SHA256);
        var alternativeNames = new SubjectAlternativeNameBuilder();
        foreach (var name in list)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                alternativeNames.AddIpAddress(address);
            }
            else
            {
                alternativeNames.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(alternativeNames.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var notBefore = expired ? DateTimeOffset.UtcNow.AddDays(-10) : DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = expired ? DateTimeOffset.UtcNow.AddDays(-1) : DateTimeOffset.UtcNow.AddDays(7);
        using var issued = request.Create(Certificate, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}
