using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Webhooks.Api.Admin.Listen;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Organizations;

namespace Webhooks.Api.Tests.Admin;

/// <summary>
/// The <c>listen</c> command, run as the real executable: it makes its CA, receives a real delivery
/// from the service that trusts that CA, prints each webhook and whether its signature matches, and
/// exits 0 on <c>SIGTERM</c>.
/// </summary>
public sealed partial class AdminCommandTests
{
    private static readonly TimeSpan ListenBound = TimeSpan.FromSeconds(60);

    private static readonly Regex ListeningUrl = new(Regex.Escape(WebhookListener.ListeningLine) + @"(https://127\.0\.0\.1:\d+)", RegexOptions.None, TimeSpan.FromSeconds(1));

    [Test]
    public async Task Listen_ReceivesADeliveryFromTheService_PrintsItsIdTypeVerifiedSignatureAndBody()
    {
        using var listen = _admin.Start("listen", "--port", "0");
        var url = await ListeningUrlAsync(listen);
        var listenDirectory = Path.Combine(_admin.WorkingDirectory, WebhookListener.DefaultDirectory);
        using var factory = new ApiFactory(new Dictionary<string, string?>
        {
            ["Delivery:Worker:Enabled"] = "true",
            ["Delivery:PollIntervalMilliseconds"] = "100",
            ["Delivery:TrustedCertificatesPath"] = Path.Combine(listenDirectory, ListenCertificates.CaFile),
            ["Webhooks:AllowedPrivateNetworks:0"] = "127.0.0.1/32",
        });
        var org = await factory.CreateOrganizationAsync([.. Scopes.ApiKeyScopes]);
        using var api = factory.CreateClient(org.Key);
        var created = await WebhookResource.CreateWithSecretAsync(api, $$"""{"url":"{{url}}/demo","events":["wallet.balance_low"]}""");

        // Where the Development seed puts the demo endpoint's secret; read by listen at each webhook.
        File.WriteAllText(Path.Combine(listenDirectory, WebhookListener.DemoSecretFile), created.Secret);
        using var published = await api.PostJsonAsync("/v1/events", """{"type":"wallet.balance_low","data":{"wallet_id":"w_123","balance":"4.20"}}""");
        var eventId = (await ApiAssert.JsonSuccess(published, HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
        await listen.UntilStdOutAsync($"webhook-id         {eventId}", ListenBound);

        await listen.TerminateAsync();
        var result = await listen.WaitForExitAsync(ListenBound);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var block = Block(result.StdOut, eventId);
        Assert.Multiple(() =>
        {
            Assert.That(block[0], Does.StartWith("--> POST /demo  received "));
            Assert.That(block[2], Is.EqualTo("    type               wallet.balance_low"));
            Assert.That(block[3], Does.Match(@"^    webhook-timestamp  \d+ \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$"));
            Assert.That(block[4], Is.EqualTo("    " + WebhookListener.Verified), result.ToString());
            Assert.That(block[5], Does.StartWith("    body               {"));
        });
        using var body = JsonDocument.Parse(block[5]["    body               ".Length..]);
        Assert.That(body.RootElement.GetProperty("id").GetString(), Is.EqualTo(eventId));
        Assert.That(body.RootElement.GetProperty("type").GetString(), Is.EqualTo("wallet.balance_low"));
        Assert.That(body.RootElement.GetProperty("data").GetRawText(), Is.EqualTo("""{"wallet_id":"w_123","balance":"4.20"}"""));
        Assert.That(result.StdOut, Does.EndWith("Stopped after 1 webhooks." + Environment.NewLine));
    }

    [Test]
    public async Task Listen_WithSecret_TellsSignedFromTamperedAndUnsigned_AndExitsZeroOnSigterm()
    {
        const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        using var listen = _admin.Start("listen", "--port", "0", "--secret", Secret);
        var url = await ListeningUrlAsync(listen);
        using var client = ClientTrusting(Path.Combine(_admin.WorkingDirectory, WebhookListener.DefaultDirectory, ListenCertificates.CaFile));
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        const string Body = """{"type":"wallet.balance_zero","data":{}}""";
        var signature = WebhookSignature.Sign(Secret, "msg_signed", timestamp, System.Text.Encoding.UTF8.GetBytes(Body));

        await PostAsync(client, url, "msg_signed", timestamp, signature, Body);
        await PostAsync(client, url, "msg_tampered", timestamp, signature, Body.Replace("{}", """{"x":1}""", StringComparison.Ordinal));
        await PostAsync(client, url, "msg_unsigned", timestamp, signature: null, Body);
        await listen.UntilStdOutAsync("webhook-id         msg_unsigned", ListenBound);
        await listen.TerminateAsync();
        var result = await listen.WaitForExitAsync(ListenBound);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(Block(result.StdOut, "msg_signed")[4], Is.EqualTo("    " + WebhookListener.Verified));
            Assert.That(Block(result.StdOut, "msg_tampered")[4], Is.EqualTo($"    {WebhookListener.NotVerified} (no v1 entry matches the secret)"));
            Assert.That(
                Block(result.StdOut, "msg_unsigned")[4],
                Is.EqualTo($"    {WebhookListener.NotVerified} (webhook-id, webhook-timestamp or webhook-signature missing or malformed)"));
            Assert.That(Block(result.StdOut, "msg_signed")[2], Is.EqualTo("    type               wallet.balance_zero"));
            Assert.That(result.StdOut, Does.EndWith("Stopped after 3 webhooks." + Environment.NewLine));
        });
    }

    [TestCase("--secret", "not-a-secret", "--secret must be whsec_ followed by base64.")]
    [TestCase("--port", "70000", "--port must be 0 to 65535.")]
    public async Task Listen_WithABadOption_ExitsTwoNamingIt(string option, string value, string message)
    {
        var result = await _admin.RunAsync("listen", option, value);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.StdErr, Does.Contain(message));
        Assert.That(result.StdOut, Is.Empty);
    }

    private static async Task<string> ListeningUrlAsync(RunningAdmin listen)
    {
        await listen.UntilStdOutAsync(" Ctrl+C to stop.", ListenBound);
        var match = ListeningUrl.Match(listen.StdOut);
        Assert.That(match.Success, Is.True, listen.StdOut);
        return match.Groups[1].Value;
    }

    /// <summary>The lines of the printed block of the webhook <paramref name="id"/>, from its <c>--&gt; POST</c> line.</summary>
    private static string[] Block(string stdout, string id)
    {
        var lines = stdout.Split(Environment.NewLine);
        var idLine = Array.IndexOf(lines, $"    webhook-id         {id}");
        Assert.That(idLine, Is.GreaterThan(0), stdout);
        return lines[(idLine - 1)..(idLine + 5)];
    }

    private static HttpClient ClientTrusting(string caFile)
    {
        var authority = new X509Certificate2Collection();
        authority.ImportFromPemFile(caFile);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                {
                    chain!.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.AddRange(authority);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
                        && chain.Build(new X509Certificate2(certificate!));
                },
            },
        };
        return new HttpClient(handler);
    }

    private static async Task PostAsync(HttpClient client, string url, string id, long timestamp, string? signature, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/hooks") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        if (signature is not null)
        {
            request.Headers.Add("webhook-signature", signature);
        }

        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
