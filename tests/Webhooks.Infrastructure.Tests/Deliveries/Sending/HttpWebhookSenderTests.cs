using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Application.Deliveries;
using Webhooks.Domain.Deliveries;
using Webhooks.Infrastructure.Deliveries.Sending;

namespace Webhooks.Infrastructure.Tests.Deliveries.Sending;

/// <summary>
/// <see cref="HttpWebhookSender"/> against a real HTTPS receiver (Kestrel, a certificate from a CA the
/// test makes, trusted through <c>Delivery:TrustedCertificatesPath</c>; loopback allowed through
/// <c>Webhooks:AllowedPrivateNetworks</c>): the request as received, every kind of answer and failure.
/// </summary>
[TestFixture]
public sealed class HttpWebhookSenderTests
{
    private const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private const string Signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,bm9wZQ==";

    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\":\"evt_1\",\"data\":{\"name\":\"Zoë €\",\"n\":2432232314}}");
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private readonly List<ServiceProvider> _providers = [];
    private TempFolder _temp = null!;
    private TestCertificateAuthority _authority = null!;
    private HttpsReceiver _receiver = null!;

    [OneTimeSetUp]
    public async Task StartTheReceiver()
    {
        _temp = new TempFolder();
        _authority = new TestCertificateAuthority();
        await File.WriteAllTextAsync(_temp.File("ca.pem"), _authority.Pem);
        _receiver = await HttpsReceiver.StartAsync(_authority.IssueServerCertificate(["127.0.0.1", "localhost"]));
    }

    [OneTimeTearDown]
    public async Task StopTheReceiver()
    {
        await _receiver.DisposeAsync();
        _authority.Dispose();
        _temp.Dispose();
    }

    [SetUp]
    public void ResetTheReceiver() => _receiver.Reset();

    [TearDown]
    public async Task DisposeTheSenders()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        _providers.Clear();
    }

    [Test]
    public async Task Send_TheReceiverGetsAPostWithTheHeadersAndTheBodyBytesAsGiven()
    {
        _receiver.Respond = _ => ReceiverResponse.Text(200, "thanks");

        var result = await Sender().SendAsync(Request(_receiver.Url("/hooks/billing?x=1")), CancellationToken.None);

        var received = _receiver.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(received.Method, Is.EqualTo("POST"));
            Assert.That(received.PathAndQuery, Is.EqualTo("/hooks/billing?x=1"));
            Assert.That(received.Header("Content-Type"), Is.EqualTo(HttpWebhookSender.ContentType));
            Assert.That(received.Header("User-Agent"), Is.EqualTo(HttpWebhookSender.UserAgent));
            Assert.That(received.Header("webhook-id"), Is.EqualTo(MessageId));
            Assert.That(received.Header("webhook-timestamp"), Is.EqualTo("1614265330"));
            Assert.That(received.Header("webhook-signature"), Is.EqualTo(Signature));
            Assert.That(received.Header("Content-Length"), Is.EqualTo(Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(received.Header("Cookie"), Is.Null);
            Assert.That(received.Body, Is.EqualTo(Body));
            Assert.That(result, Is.EqualTo(result with { StatusCode = 200, ResponseBody = "thanks", Error = null, RetryAfter = null }));
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(result.Duration, Is.GreaterThan(TimeSpan.Zero));
        });
    }

    [TestCase(200)]
    [TestCase(201)]
    [TestCase(202)]
    [TestCase(204)]
    [TestCase(299)]
    public async Task Send_A2xxAnswer_IsASuccess(int status)
    {
        _receiver.Respond = _ => ReceiverResponse.Text(status, status == 204 ? "" : "ok");

        var result = await Sender().SendAsync(Request(_receiver.Url()), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(status));
            Assert.That(result.ResponseBody, Is.EqualTo(status == 204 ? "" : "ok"));
            Assert.That(result.Error, Is.Null);
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(result.IsGone, Is.False);
        });
    }

    [TestCase(400, false)]
    [TestCase(401, false)]
    [TestCase(404, false)]
    [TestCase(410, true)]
    [TestCase(429, false)]
    [TestCase(500, false)]
    [TestCase(503, false)]
    public async Task Send_AnotherStatus_IsRecordedWithItsBodyAndFails(int status, bool gone)
    {
        _receiver.Respond = _ => ReceiverResponse.Text(status, "{\"error\":\"nope\"}");

        var result = await Sender().SendAsync(Request(_receiver.Url()), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(status));
            Assert.That(result.ResponseBody, Is.EqualTo("{\"error\":\"nope\"}"));
            Assert.That(result.Error, Is.Null);
            Assert.That(result.IsSuccess, Is.False);
            Assert.That(result.IsGone, Is.EqualTo(gone));
        });
    }

    [TestCase(301)]
    [TestCase(302)]
    [TestCase(303)]
    [TestCase(307)]
    [TestCase(308)]
    public async Task Send_ARedirect_IsNotFollowedAndFails(int status)
    {
        _receiver.Respond = request => request.PathAndQuery == "/first"
            ? new ReceiverResponse(status) { Headers = new Dictionary<string, string> { ["Location"] = "/second" } }
            : ReceiverResponse.Ok;

        var result = await Sender().SendAsync(Request(_receiver.Url("/first")), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(_receiver.Requests.Select(r => r.PathAndQuery), Is.EqualTo(new[] { "/first" }));
            Assert.That(result.StatusCode, Is.EqualTo(status));
            Assert.That(result.Error, Is.Null);
            Assert.That(result.IsSuccess, Is.False);
        });
    }

    [TestCase(429, "120", 120)]
    [TestCase(503, "Fri, 04 Dec 2026 12:02:30 GMT", 150)]
    [TestCase(503, "Fri, 04 Dec 2026 11:00:00 GMT", 0)]
    [TestCase(500, "7", 7)]
    [TestCase(200, "5", 5)]
    [TestCase(429, "soon", null)]
    [TestCase(429, null, null)]
    public async Task Send_RetryAfter_IsReadOnAnyStatusAsSecondsOrAnHttpDate(int status, string? header, int? seconds)
    {
        _receiver.Respond = _ => new ReceiverResponse(status)
        {
            Headers = header is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["Retry-After"] = header },
        };

        var result = await Sender(time: new FixedTimeProvider(Now)).SendAsync(Request(_receiver.Url()), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(status));
            Assert.That(result.RetryAfter, Is.EqualTo(seconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null));
        });
    }

    [Test]
    public async Task Send_AReceiverSlowerThanTheTimeout_TimesOut()
    {
        _receiver.Respond = _ => new ReceiverResponse { Delay = TimeSpan.FromMinutes(5) };

        var result = await Sender(settings => settings[SenderOptions.TimeoutSecondsKey] = "1").SendAsync(Request(_receiver.Url()), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo("timed out after 1 s").And.StartWith(SendErrors.TimedOutMessage));
            Assert.That(result.StatusCode, Is.Null);
            Assert.That(result.ResponseBody, Is.Null);
            Assert.That(_receiver.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Send_ABodyThatStallsPastTheTimeout_TimesOutKeepingTheStatusAndWhatCame()
    {
        _receiver.Respond = _ => new ReceiverResponse { Body = "partial"u8.ToArray(), StallAfterBody = true };

        var result = await Sender(settings => settings[SenderOptions.TimeoutSecondsKey] = "1").SendAsync(Request(_receiver.Url()), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo("timed out after 1 s"));
            Assert.That(result.StatusCode, Is.EqualTo(200));
            Assert.That(result.ResponseBody, Is.EqualTo("partial"));
            Assert.That(result.IsSuccess, Is.False, "the time-out covers the body read");
        });
    }

    [Test]
    public async Task Send_AnEndlessBody_IsReadOnlyToTheCap()
    {
        _receiver.Respond = _ => new ReceiverResponse { Body = "first"u8.ToArray(), EndlessBody = true };

        var result = await Sender().SendAsync(Request(_receiver.Url()), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.Null, "it returned before the 30 s timeout: the body was not read to its (non-existent) end");
            Assert.That(result.StatusCode, Is.EqualTo(200));
            Assert.That(result.ResponseBody, Is.EqualTo("first" + new string('x', AttemptResult.MaxResponseBodyBytes - 5)));
        });
    }

    [Test]
    public async Task Send_ABodyCutInsideACharacter_KeepsOnlyWholeCharacters()
    {
        // 2000 euro signs are 6000 bytes; 4096 bytes hold 1365 of them and one byte of the next.
        _receiver.Respond = _ => ReceiverResponse.Text(500, new string('€', 2000));

        var result = await Sender().SendAsync(Request(_receiver.Url()), CancellationToken.None);

        Assert.That(result.ResponseBody, Is.EqualTo(new string('€', 1365)));
    }

    [Test]
    public async Task Send_ABodyThatIsNotUtf8_IsKeptWithReplacementCharacters()
    {
        _receiver.Respond = _ => new ReceiverResponse(400) { Body = [0x61, 0xFF, 0x62, 0xC3] };

        var result = await Sender().SendAsync(Request(_receiver.Url()), CancellationToken.None);

        Assert.That(result.ResponseBody, Is.EqualTo("a\uFFFDb\uFFFD"));
    }

    [Test]
    public async Task Send_AClosedPort_IsAConnectionFailure()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await Sender().SendAsync(Request(new Uri($"https://127.0.0.1:{port}/")), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Does.StartWith($"{SendErrors.ConnectionFailedMessage}: port {port} of 127.0.0.1: "));
            Assert.That(result.StatusCode, Is.Null);
            Assert.That(result.IsSuccess, Is.False);
        });
    }

    [Test]
    public async Task Send_ANameThatResolvesToARefusedAddress_MakesNoConnection()
    {
        var result = await Sender(settings => settings.Remove("Webhooks:AllowedPrivateNetworks:0"))
            .SendAsync(Request(_receiver.Url("localhost", "/")), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Does.StartWith($"{SendErrors.RefusedAddressMessage}: localhost resolves to ").And.Contain("127.0.0.1"));
            Assert.That(result.StatusCode, Is.Null);
            Assert.That(_receiver.Requests, Is.Empty);
        });
    }

    [TestCase("127.0.0.1", "127.0.0.1")]
    [TestCase("[::1]", "::1")]
    [TestCase("[::ffff:127.0.0.1]", "::ffff:127.0.0.1")]
    public async Task Send_ARefusedAddressLiteral_MakesNoConnection(string host, string address)
    {
        var result = await Sender(settings => settings.Remove("Webhooks:AllowedPrivateNetworks:0"))
            .SendAsync(Request(_receiver.Url(host, "/")), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo($"{SendErrors.RefusedAddressMessage}: {address}, outside the public internet and Webhooks:AllowedPrivateNetworks; no connection was made"));
            Assert.That(_receiver.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task Send_AnIPv4MappedAddressInAnAllowedNetwork_ConnectsOverIPv4()
    {
        var resolver = new FixedResolver(IPAddress.Loopback.MapToIPv6());

        var result = await Sender(resolver: resolver).SendAsync(Request(_receiver.Url("localhost", "/")), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.Null);
            Assert.That(_receiver.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Send_ANameWithOneAllowedAndOneRefusedAddress_IsRefusedEntirely()
    {
        var resolver = new FixedResolver(IPAddress.Loopback, IPAddress.Parse("10.9.8.7"));

        var result = await Sender(resolver: resolver).SendAsync(Request(_receiver.Url("localhost", "/")), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo($"{SendErrors.RefusedAddressMessage}: localhost resolves to 10.9.8.7, outside the public internet and Webhooks:AllowedPrivateNetworks; no connection was made"));
            Assert.That(_receiver.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task Send_ANameWhoseAddressesAreAllAllowed_ConnectsToTheResolvedAddressWithTheNameForTls()
    {
        var resolver = new FixedResolver(IPAddress.Loopback);

        var result = await Sender(resolver: resolver).SendAsync(Request(_receiver.Url("localhost", "/by-name")), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.Null);
            Assert.That(result.StatusCode, Is.EqualTo(200));
            Assert.That(resolver.Asked, Is.EqualTo(new[] { "localhost" }));
            Assert.That(_receiver.Requests.Single().Header("Host"), Is.EqualTo($"localhost:{_receiver.Port}"));
        });
    }

    [Test]
    public async Task Send_ANameThatDoesNotResolve_IsANameResolutionFailure()
    {
        var result = await Sender().SendAsync(Request(new Uri("https://no-such-host.invalid/hooks")), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Does.StartWith($"{SendErrors.NameResolutionFailedMessage}: no-such-host.invalid ("));
            Assert.That(result.StatusCode, Is.Null);
        });
    }

    [Test]
    public async Task Send_AnHttpUrl_IsRefusedWithoutAConnection()
    {
        var result = await Sender().SendAsync(Request(new Uri($"http://127.0.0.1:{_receiver.Port}/")), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo($"{SendErrors.NotHttpsMessage}: http://127.0.0.1:{_receiver.Port}/"));
            Assert.That(_receiver.Requests, Is.Empty);
        });
    }

    [TestCase("CA of another", ReceiverCertificateValidator.UntrustedChainMessage + " (PartialChain)")]
    [TestCase("CA not configured", ReceiverCertificateValidator.UntrustedChainMessage + " (PartialChain)")]
    [TestCase("name mismatch", ReceiverCertificateValidator.RefusedMessage + ": RemoteCertificateNameMismatch")]
    [TestCase("expired", ReceiverCertificateValidator.UntrustedChainMessage + " (NotTimeValid")]
    public async Task Send_ACertificateThatFailsVerification_IsATlsFailureWithNoRequest(string problem, string reason)
    {
        using var otherAuthority = new TestCertificateAuthority("Unknown CA");
        var certificate = problem switch
        {
            "CA of another" => otherAuthority.IssueServerCertificate(["127.0.0.1"]),
            "name mismatch" => _authority.IssueServerCertificate(["hooks.example.com"]),
            "expired" => _authority.IssueServerCertificate(["127.0.0.1"], expired: true),
            _ => _authority.IssueServerCertificate(["127.0.0.1"]),
        };
        await using var receiver = await HttpsReceiver.StartAsync(certificate);
        var sender = problem == "CA not configured" ? Sender(settings => settings.Remove(SenderOptions.TrustedCertificatesPathKey)) : Sender();

        var result = await sender.SendAsync(Request(receiver.Url()), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Does.StartWith($"{SendErrors.TlsFailedMessage}: {reason}"));
            Assert.That(result.StatusCode, Is.Null);
            Assert.That(receiver.Requests, Is.Empty);
        });
    }

    /// <summary><c>Delivery:ListenCaPath</c> (the <c>listen</c> command's CA) is trusted in Development only.</summary>
    [TestCase("Development", 200, null)]
    [TestCase("Production", null, ReceiverCertificateValidator.UntrustedChainMessage)]
    public async Task Send_ToAReceiverOfTheListenCa_IsTrustedInDevelopmentOnly(string environment, int? status, string? error)
    {
        var sender = Sender(ListenCaInsteadOfTrusted("ca.pem"), environment: environment);

        var result = await sender.SendAsync(Request(_receiver.Url()), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(status));
            Assert.That(result.Error, error is null ? Is.Null : Does.StartWith($"{SendErrors.TlsFailedMessage}: {error}"));
        });
    }

    [Test]
    public void Start_InDevelopment_AMissingListenCa_IsIgnored()
    {
        var provider = Provider(ListenCaInsteadOfTrusted("listen/absent.pem"), environment: "Development");

        Assert.That(() => provider.GetRequiredService<IStartupValidator>().Validate(), Throws.Nothing);
    }

    [Test]
    public void Start_InDevelopment_AListenCaWithoutACertificate_StopsTheHostNamingTheSetting()
    {
        File.WriteAllText(_temp.File("empty.pem"), "not a certificate\n");
        var provider = Provider(ListenCaInsteadOfTrusted("empty.pem"), environment: "Development");

        Assert.That(
            () => provider.GetRequiredService<IStartupValidator>().Validate(),
            Throws.InstanceOf<OptionsValidationException>().With.Message.StartWith($"{SenderOptions.ListenCaPathKey}: '{_temp.File("empty.pem")}' holds no certificate"));
    }

    [Test]
    public void Send_WhenTheCallerCancels_Throws()
    {
        using var stopping = new CancellationTokenSource();
        _receiver.Respond = _ =>
        {
            stopping.Cancel();
            return new ReceiverResponse { Delay = TimeSpan.FromMinutes(5) };
        };
        var sender = Sender();

        Assert.That(async () => await sender.SendAsync(Request(_receiver.Url()), stopping.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Send_TwiceToOneReceiver_ReusesTheConnection()
    {
        var sender = Sender();

        await sender.SendAsync(Request(_receiver.Url("/one")), CancellationToken.None);
        await sender.SendAsync(Request(_receiver.Url("/two")), CancellationToken.None);

        Assert.That(_receiver.Requests.Select(r => r.ConnectionId).Distinct().Count(), Is.EqualTo(1));
    }

    [TestCase("0")]
    [TestCase("301")]
    [TestCase("-5")]
    public void Start_ATimeoutOutOfRange_StopsTheHostNamingTheSetting(string seconds)
    {
        var provider = Provider(settings => settings[SenderOptions.TimeoutSecondsKey] = seconds);

        Assert.That(
            () => provider.GetRequiredService<IStartupValidator>().Validate(),
            Throws.InstanceOf<OptionsValidationException>().With.Message.EqualTo($"{SenderOptions.TimeoutSecondsKey} must be 1 to 300 seconds, not {seconds}."));
    }

    [Test]
    public void Start_AMissingTrustedCertificatesFile_StopsTheHostNamingTheSettingAndTheFile()
    {
        var provider = Provider(settings => settings[SenderOptions.TrustedCertificatesPathKey] = "absent.pem");

        Assert.That(
            () => provider.GetRequiredService<IStartupValidator>().Validate(),
            Throws.InstanceOf<OptionsValidationException>().With.Message.StartWith($"{SenderOptions.TrustedCertificatesPathKey}: '{_temp.File("absent.pem")}' cannot be read"));
    }

    [Test]
    public void Start_ATrustedCertificatesFileWithoutACertificate_StopsTheHostNamingTheSetting()
    {
        File.WriteAllText(_temp.File("empty.pem"), "not a certificate\n");
        var provider = Provider(settings => settings[SenderOptions.TrustedCertificatesPathKey] = "empty.pem");

        Assert.That(
            () => provider.GetRequiredService<IStartupValidator>().Validate(),
            Throws.InstanceOf<OptionsValidationException>().With.Message.StartWith($"{SenderOptions.TrustedCertificatesPathKey}: '{_temp.File("empty.pem")}' holds no certificate"));
    }

    [Test]
    public void Start_ATimeoutThatIsNotANumber_StopsTheHostNamingTheSetting()
    {
        var provider = Provider(settings => settings[SenderOptions.TimeoutSecondsKey] = "fifteen");

        Assert.That(
            () => provider.GetRequiredService<IStartupValidator>().Validate(),
            Throws.InvalidOperationException.With.Message.Contain($"'{SenderOptions.TimeoutSecondsKey}'"));
    }

    [Test]
    public void Start_TheDefaults_AreValid()
    {
        var provider = Provider(settings => settings.Clear());

        Assert.Multiple(() =>
        {
            Assert.That(() => provider.GetRequiredService<IStartupValidator>().Validate(), Throws.Nothing);
            Assert.That(provider.GetRequiredService<IOptions<SenderOptions>>().Value.Timeout, Is.EqualTo(TimeSpan.FromSeconds(15)));
        });
    }

    private static Action<Dictionary<string, string?>> ListenCaInsteadOfTrusted(string path) => settings =>
    {
        settings.Remove(SenderOptions.TrustedCertificatesPathKey);
        settings[SenderOptions.ListenCaPathKey] = path;
    };

    private static WebhookRequest Request(Uri url) => new(url, MessageId, Timestamp, Signature, Body);

    private IWebhookSender Sender(Action<Dictionary<string, string?>>? change = null, IHostResolver? resolver = null, TimeProvider? time = null, string? environment = null) =>
        Provider(change, resolver, time, environment).GetRequiredService<IWebhookSender>();

    /// <summary>The application's registrations with loopback allowed, the test CA trusted (a path relative to the content root) and a 30 s timeout, changed as a test needs.</summary>
    private ServiceProvider Provider(Action<Dictionary<string, string?>>? change = null, IHostResolver? resolver = null, TimeProvider? time = null, string? environment = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Webhooks:AllowedPrivateNetworks:0"] = "127.0.0.0/8",
            [SenderOptions.TrustedCertificatesPathKey] = "ca.pem",
            [SenderOptions.TimeoutSecondsKey] = "30",
        };
        change?.Invoke(settings);
        var provider = TestData.BuildServices(_temp.Path, settings, services =>
        {
            if (resolver is not null)
            {
                services.AddSingleton(resolver);
            }

            if (time is not null)
            {
                services.AddSingleton(time);
            }

            if (environment is not null)
            {
                var host = new Moq.Mock<IHostEnvironment>();
                host.SetupGet(e => e.EnvironmentName).Returns(environment);
                host.SetupGet(e => e.ContentRootPath).Returns(_temp.Path);
                services.AddSingleton(host.Object);
            }
        });
        _providers.Add(provider);
        return provider;
    }

    /// <summary>A resolver that answers every name with the same addresses and remembers what it was asked.</summary>
    private sealed class FixedResolver(params IPAddress[] addresses) : IHostResolver
    {
        private readonly List<string> _asked = [];

        public IReadOnlyList<string> Asked => _asked;

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            _asked.Add(host);
            return Task.FromResult(addresses);
        }
    }
}
