using Webhooks.Api.Http;
using Webhooks.Api.Tests.Clients;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Api.Tests.Events;

/// <summary>
/// <c>POST /v1/clients/{client_id}/events</c> and the <c>GET</c> its <c>Location</c> names: one
/// delivery to a client that has a webhook URL and is not suspended, none otherwise (the event is
/// still stored); an unknown client is 404 after the body is checked; only <c>clients:events:write</c>.
/// </summary>
[TestFixture]
public sealed class ClientEventTests : EventsFixture
{
    private const string Type = "device.firmware_updated";
    private const string Data = """{"device_id":"d_42","version":"1.2.3"}""";
    private const string Body = $$"""{"type":"{{Type}}","data":{{Data}}}""";

    private HttpClient _http = null!;

    [OneTimeSetUp]
    public void CreateHttpClient() => _http = ClientsApi.CreateHttpClient(Factory);

    [OneTimeTearDown]
    public void DisposeHttpClient() => _http?.Dispose();

    [Test]
    public async Task Publish_ToAClientWithAWebhookUrl_MakesOnePendingDeliveryToThatClient()
    {
        var (_, publisher) = await NewPublisherAsync();
        var device = await ClientWithUrlAsync();

        using var response = await PostAsync(publisher, $"/v1/clients/{device.Id}/events", Body);

        var (_, id) = await AssertEventAsync(response, Type, Data, deliveries: 1, locationPrefix: $"/v1/clients/{device.Id}/events/");
        var stored = await StoredEventAsync(id);
        Assert.That(stored, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored!.ClientId, Is.EqualTo(device.ClientId));
            Assert.That(stored.OrgId, Is.Null, "a client's event belongs to no organization");
            Assert.That(stored.Data, Is.EqualTo(Data));
        }

        var delivery = (await StoredDeliveriesAsync(id)).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(delivery.ClientId, Is.EqualTo(device.ClientId));
            Assert.That(delivery.EndpointId, Is.Null);
            Assert.That(delivery.OrgId, Is.Null);
            Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Pending));
            Assert.That(delivery.EventType, Is.EqualTo(Type));
        }
    }

    [Test]
    public async Task Publish_ToAClientWithoutAWebhookUrl_StoresTheEventWithZeroDeliveries()
    {
        var (_, publisher) = await NewPublisherAsync();
        var device = await ClientsApi.CreateClientAsync(Factory, "cust-no-url");

        using var response = await PostAsync(publisher, $"/v1/clients/{device.Id}/events", Body);

        var (_, id) = await AssertEventAsync(response, Type, Data, deliveries: 0, locationPrefix: $"/v1/clients/{device.Id}/events/");
        Assert.That(await StoredEventAsync(id), Is.Not.Null);
        Assert.That(await StoredDeliveriesAsync(id), Is.Empty);
    }

    [Test]
    public async Task Publish_ToASuspendedClient_StoresTheEventWithZeroDeliveries()
    {
        var (_, publisher) = await NewPublisherAsync();
        var device = await ClientWithUrlAsync();
        await ClientsApi.SuspendAsync(Factory, device.ClientId);

        using var response = await PostAsync(publisher, $"/v1/clients/{device.Id}/events", Body);

        var (_, id) = await AssertEventAsync(response, Type, Data, deliveries: 0, locationPrefix: $"/v1/clients/{device.Id}/events/");
        Assert.That(await StoredEventAsync(id), Is.Not.Null);
        Assert.That(await StoredDeliveriesAsync(id), Is.Empty);
    }

    [TestCase("0196f0c1-2d3e-7f40-8a1b-2c3d4e5f6a7b")]
    [TestCase("not-a-client")]
    [TestCase("0196f0c12d3e7f408a1b2c3d4e5f6a7b")]
    public async Task Publish_ToAnUnknownClient_Is404_AndStoresNothing(string clientId)
    {
        var (_, publisher) = await NewPublisherAsync();
        var events = await EventCountAsync();

        using var response = await PostAsync(publisher, $"/v1/clients/{clientId}/events", Body);

        await ApiAssert.NotFound(response);
        Assert.That(await EventCountAsync(), Is.EqualTo(events));
    }

    [Test]
    public async Task Publish_ToAnUnknownClientWithABadBody_Is400_TheBodyIsCheckedFirst()
    {
        var (_, publisher) = await NewPublisherAsync();

        using var response = await PostAsync(publisher, "/v1/clients/not-a-client/events", """{"type":"Device.Online","data":[]}""");

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["type"] = Event.ClientTypeMessage, ["data"] = Event.DataNotObjectMessage });
    }

    private static IEnumerable<TestCaseData> BadTypes()
    {
        foreach (var type in new[] { "device", "Device.online", "device.", ".device", "device..online", "device.on-line", "1device.online", "device.1online", "device online.x", string.Empty })
        {
            yield return new TestCaseData(JsonSerializer.Serialize(type)).SetArgDisplayNames(type.Length == 0 ? "(empty)" : type);
        }

        yield return new TestCaseData(JsonSerializer.Serialize("a." + new string('b', Event.MaxClientTypeLength - 1))).SetArgDisplayNames("101 characters");
    }

    [TestCaseSource(nameof(BadTypes))]
    public async Task Publish_WithATypeThatIsNotADottedLowerCaseName_Is400(string typeJson)
    {
        var (_, publisher) = await NewPublisherAsync();
        var device = await ClientWithUrlAsync();
        var events = await EventCountAsync();

        using var response = await PostAsync(publisher, $"/v1/clients/{device.Id}/events", "{\"type\":" + typeJson + ",\"data\":{}}");

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["type"] = Event.ClientTypeMessage });
        Assert.That(await EventCountAsync(), Is.EqualTo(events));
    }

    [TestCase("device.online")]
    [TestCase("a.b")]
    [TestCase("device_2.firmware_v2.updated")]
    public async Task Publish_WithAnyDottedLowerCaseName_IsAccepted(string type)
    {
        var (_, publisher) = await NewPublisherAsync();
        var device = await ClientsApi.CreateClientAsync(Factory, "cust-types");

        using var response = await PostAsync(publisher, $"/v1/clients/{device.Id}/events", "{\"type\":\"" + type + "\",\"data\":{}}");

        await AssertEventAsync(response, type, "{}", deliveries: 0, locationPrefix: $"/v1/clients/{device.Id}/events/");
    }

    [Test]
    public async Task Publish_WithATypeOfExactly100Characters_IsAccepted()
    {
        var (_, publisher) = await NewPublisherAsync();
        var device = await ClientsApi.CreateClientAsync(Factory, "cust-long");
        var type = "a." + new string('b', Event.MaxClientTypeLength - 2);

        using var response = await PostAsync(publisher, $"/v1/clients/{device.Id}/events", "{\"type\":\"" + type + "\",\"data\":{}}");

        await AssertEventAsync(response, type, "{}", deliveries: 0, locationPrefix: $"/v1/clients/{device.Id}/events/");
    }

    [Test]
    public async Task Get_OfTheLocation_ReturnsTheSameBody_AndNotUnderAnotherClientOrTheOrganizationsEvents()
    {
        var (_, publisher) = await NewPublisherAsync();
        var device = await ClientWithUrlAsync();
        var other = await ClientsApi.CreateClientAsync(Factory, "cust-other");
        using var published = await PostAsync(publisher, $"/v1/clients/{device.Id}/events", Body);
        var (text, id) = await AssertEventAsync(published, Type, Data, 1, locationPrefix: $"/v1/clients/{device.Id}/events/");

        using var read = await publisher.GetAsync(published.Headers.Location);
        using var underOther = await publisher.GetAsync($"/v1/clients/{other.Id}/events/{id}");
        using var asOrganizationEvent = await publisher.GetAsync($"/v1/events/{id}");

        Assert.That((await AssertEventAsync(read, Type, Data, 1, HttpStatusCode.OK)).Text, Is.EqualTo(text));
        await ApiAssert.NotFound(underOther);
        await ApiAssert.NotFound(asOrganizationEvent);
    }

    [Test]
    public async Task Get_OfAnOrganizationsEventUnderAClient_Is404()
    {
        var (_, publisher) = await NewPublisherAsync();
        var device = await ClientsApi.CreateClientAsync(Factory, "cust-get");
        using var published = await PostAsync(publisher, "/v1/events", """{"type":"wallet.balance_low","data":{}}""");
        var (_, id) = await AssertEventAsync(published, BalanceLow, "{}", 0);

        using var read = await publisher.GetAsync($"/v1/clients/{device.Id}/events/{id}");

        await ApiAssert.NotFound(read);
    }

    [TestCase("events:write")]
    [TestCase("webhooks:write")]
    public async Task Publish_AndGet_WithoutClientsEventsWrite_Are403_EvenWithABadBody(string scope)
    {
        var (org, _) = await NewPublisherAsync();
        using var client = Factory.CreateClient(await Factory.CreateKeyAsync(org.OrgId, scope));
        var device = await ClientsApi.CreateClientAsync(Factory, "cust-scope");

        using var publish = await PostAsync(client, $"/v1/clients/{device.Id}/events", Body);
        using var bad = await PostAsync(client, $"/v1/clients/{device.Id}/events", "[");
        using var read = await client.GetAsync($"/v1/clients/{device.Id}/events/{Guid.CreateVersion7()}");

        await ApiAssert.Forbidden(publish);
        await ApiAssert.Forbidden(bad);
        await ApiAssert.Forbidden(read);
    }

    [Test]
    public async Task Publish_WithoutAKey_Is401_AndClientCredentialsAreNoKey()
    {
        var device = await ClientWithUrlAsync();
        using var anonymous = Factory.CreateClient((string?)null);

        using var none = await PostAsync(anonymous, $"/v1/clients/{device.Id}/events", Body);
        using var basic = await ClientsApi.SendAsync(_http, HttpMethod.Post, device.Authorization, Json.Body(Body), $"/v1/clients/{device.Id}/events");

        await ApiAssert.Unauthorized(none);
        await ApiAssert.Unauthorized(basic);
    }

    private async Task<IssuedClient> ClientWithUrlAsync()
    {
        var device = await ClientsApi.CreateClientAsync(Factory, "cust-" + Guid.NewGuid().ToString("N")[..8]);
        using var response = await ClientsApi.PatchAsync(_http, device, ClientsApi.UrlBody("https://hooks.example.com/device"));
        await ClientsAssert.ClientAsync(response, device, "https://hooks.example.com/device");
        return device;
    }
}
