using System.Security.Cryptography;
using Webhooks.Api.Tests.Clients;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Api.Tests.Events;

/// <summary>
/// From publication to receipt: the service with its delivery worker on, a real HTTPS receiver on
/// loopback (its CA trusted through <c>Delivery:TrustedCertificatesPath</c>, loopback allowed by
/// <c>Webhooks:AllowedPrivateNetworks</c>). What <c>POST /v1/events</c> and
/// <c>POST /v1/clients/{client_id}/events</c> accept arrives, signed with the receiver's current secret
/// (checked here with HMAC-SHA256 over <c>id.timestamp.body</c>, not with the service's code).
/// </summary>
[TestFixture]
public sealed class PublishAndReceiveTests : EventsFixture
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // Made in CreateFactory, which the base fixture's [OneTimeSetUp] calls; disposed in [OneTimeTearDown].
#pragma warning disable NUnit1032
    private TestCertificateAuthority _authority = null!;
    private HttpsReceiver _receiver = null!;
#pragma warning restore NUnit1032
    private string _caPath = null!;

    protected override ApiFactory CreateFactory()
    {
        _authority = new TestCertificateAuthority();
        _caPath = Path.Combine(Path.GetTempPath(), $"webhooks-publish-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(_caPath, _authority.Pem);
        _receiver = HttpsReceiver.StartAsync(_authority.IssueServerCertificate(["127.0.0.1"])).GetAwaiter().GetResult();
        return new ApiFactory(new Dictionary<string, string?>
        {
            ["Delivery:Worker:Enabled"] = "true",
            ["Delivery:TrustedCertificatesPath"] = _caPath,
            ["Webhooks:AllowedPrivateNetworks:0"] = "127.0.0.1/32",
        });
    }

    [OneTimeTearDown]
    public async Task StopReceiverAsync()
    {
        await _receiver.DisposeAsync();
        _authority.Dispose();
        File.Delete(_caPath);
    }

    [SetUp]
    public void ForgetEarlierRequests() => _receiver.Reset();

    [Test]
    public async Task A_published_event_arrives_at_the_subscribed_endpoint_signed_with_its_secret()
    {
        var (_, client) = await NewPublisherAsync();
        using var created = await client.PostJsonAsync(
            "/v1/webhooks", JsonSerializer.Serialize(new { url = _receiver.Url("/org-hook").ToString(), events = new[] { BalanceLow } }));
        var secret = (await ApiAssert.JsonSuccess(created, HttpStatusCode.Created)).GetProperty("secret").GetString()!;
        const string data = """{"wallet_id":"w_e2e","balance":{"amount":"0.99","currency":"EUR"}}""";

        var sentAt = DateTimeOffset.UtcNow;
        using var published = await PostAsync(client, "/v1/events", $$"""{"type":"wallet.balance_low","data":{{data}}}""");

        var (_, id) = await AssertEventAsync(published, BalanceLow, data, deliveries: 1);
        var received = await ReceivedAsync(request => request.PathAndQuery == "/org-hook");
        TestContext.Out.WriteLine($"publish to receipt: {(received.ReceivedAt - sentAt).TotalMilliseconds:F0} ms (information, not asserted)");
        AssertSigned(received, id, secret);
        using var envelope = JsonDocument.Parse(received.Body);
        Assert.That(envelope.RootElement.GetProperty("id").GetString(), Is.EqualTo(id.ToString()));
        Assert.That(envelope.RootElement.GetProperty("type").GetString(), Is.EqualTo(BalanceLow));
        Assert.That(envelope.RootElement.GetProperty("data").GetRawText(), Is.EqualTo(data), "data exactly as published");
        await DeliveryEndsAsync(id, DeliveryStatus.Succeeded);
    }

    [Test]
    public async Task A_client_event_arrives_at_the_clients_url_signed_with_its_secret_and_after_a_rotation_with_the_new_one()
    {
        var (_, publisher) = await NewPublisherAsync();
        var device = await ClientsApi.CreateClientAsync(Factory, "cust-e2e");
        using var http = ClientsApi.CreateHttpClient(Factory);
        using (var set = await ClientsApi.PatchAsync(http, device, ClientsApi.UrlBody(_receiver.Url("/device-hook").ToString())))
        {
            await ApiAssert.JsonSuccess(set);
        }

        using var first = await PostAsync(publisher, $"/v1/clients/{device.Id}/events", """{"type":"device.online","data":{"n":1}}""");
        var (_, firstId) = await AssertEventAsync(first, "device.online", """{"n":1}""", 1, locationPrefix: $"/v1/clients/{device.Id}/events/");
        AssertSigned(await ReceivedAsync(request => request.Header("webhook-id") == firstId.ToString()), firstId, device.WebhookSecret);

        using var rotated = await ClientsApi.SendAsync(http, HttpMethod.Post, device.Authorization, path: "/clients/webhook-secret/rotate");
        var newSecret = (await ApiAssert.JsonSuccess(rotated)).GetProperty("webhook_secret").GetString()!;
        using var second = await PostAsync(publisher, $"/v1/clients/{device.Id}/events", """{"type":"device.online","data":{"n":2}}""");
        var (_, secondId) = await AssertEventAsync(second, "device.online", """{"n":2}""", 1, locationPrefix: $"/v1/clients/{device.Id}/events/");

        var received = await ReceivedAsync(request => request.Header("webhook-id") == secondId.ToString());
        AssertSigned(received, secondId, newSecret);
        Assert.That(Signature(received, device.WebhookSecret), Is.Not.EqualTo(received.Header("webhook-signature")), "the old secret signs nothing more");
    }

    /// <summary>Standard Webhooks: <c>v1,</c> + base64(HMAC-SHA256(base64-decoded secret, "id.timestamp.body")).</summary>
    private static string Signature(ReceivedRequest request, string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.").Concat(request.Body).ToArray();
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    private static void AssertSigned(ReceivedRequest request, Guid eventId, string secret)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.Header("content-type"), Is.EqualTo("application/json"));
            Assert.That(request.Header("webhook-id"), Is.EqualTo(eventId.ToString()));
            Assert.That(request.Header("webhook-timestamp"), Does.Match("^[0-9]+$"));
            Assert.That(request.Header("webhook-signature"), Is.EqualTo(Signature(request, secret)));
        }
    }

    /// <summary>The first request that matches, waiting for the worker to send it (bounded, so that a lost delivery fails the test).</summary>
    private async Task<ReceivedRequest> ReceivedAsync(Func<ReceivedRequest, bool> match)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (_receiver.Requests.FirstOrDefault(match) is { } request)
            {
                return request;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"nothing matching arrived within {Patience.TotalSeconds} s; received: {_receiver.Requests.Count}");
        return null!;
    }

    private async Task DeliveryEndsAsync(Guid eventId, DeliveryStatus status)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline && (await StoredDeliveriesAsync(eventId)).Single().Status == DeliveryStatus.Pending)
        {
            await Task.Delay(20);
        }

        Assert.That((await StoredDeliveriesAsync(eventId)).Single().Status, Is.EqualTo(status));
    }
}
