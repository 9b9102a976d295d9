using Webhooks.Api.Errors;
using Webhooks.Api.Http;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Api.Tests.Events;

/// <summary>
/// What <c>POST /v1/events</c> refuses, in the <c>/v1</c> envelope, every failing field named at once
/// (the code's own messages), with nothing stored; and who may publish or read: authentication,
/// then scope (before the body), then the body.
/// </summary>
[TestFixture]
public sealed class PublishEventRefusedTests : EventsFixture
{
    private const string Required = RequestReader.IsRequired;
    private const string NotString = JsonObjectReader.MustBeStringMessage;
    private const string NotObject = Event.DataNotObjectMessage;

    private static IEnumerable<TestCaseData> Refused()
    {
        (string Name, string Json, Dictionary<string, string> Details)[] cases =
        [
            ("empty object", "{}", new() { ["type"] = Required, ["data"] = Required }),
            ("type only", """{"type":"wallet.balance_low"}""", new() { ["data"] = Required }),
            ("data only", """{"data":{}}""", new() { ["type"] = Required }),
            ("both null", """{"type":null,"data":null}""", new() { ["type"] = Required, ["data"] = Required }),
            ("unknown type", """{"type":"wallet.typo","data":{}}""", new() { ["type"] = WebhookCatalog.UnknownEventTypeMessage("wallet.typo") }),
            ("type of other case", """{"type":"Wallet.Balance_Low","data":{}}""", new() { ["type"] = WebhookCatalog.UnknownEventTypeMessage("Wallet.Balance_Low") }),
            ("type not a string", """{"type":1,"data":{}}""", new() { ["type"] = NotString }),
            ("type an array", """{"type":["wallet.balance_low"],"data":{}}""", new() { ["type"] = NotString }),
            ("data an array", """{"type":"wallet.balance_low","data":[]}""", new() { ["data"] = NotObject }),
            ("data a string", """{"type":"wallet.balance_low","data":"{}"}""", new() { ["data"] = NotObject }),
            ("data a number", """{"type":"wallet.balance_low","data":42}""", new() { ["data"] = NotObject }),
            ("data false", """{"type":"wallet.balance_low","data":false}""", new() { ["data"] = NotObject }),
            ("every field wrong at once", """{"type":"wallet.typo","data":[1],"extra":true,"id":"x"}""", new()
            {
                ["type"] = WebhookCatalog.UnknownEventTypeMessage("wallet.typo"),
                ["data"] = NotObject,
                ["extra"] = JsonObjectReader.UnknownFieldMessage,
                ["id"] = JsonObjectReader.ReadOnlyMessage,
            }),
            ("read-only fields", """{"type":"wallet.balance_low","data":{},"created_at":"2026-01-01T00:00:00Z","deliveries":3}""", new()
            {
                ["created_at"] = JsonObjectReader.ReadOnlyMessage,
                ["deliveries"] = JsonObjectReader.ReadOnlyMessage,
            }),
            ("a field twice", """{"type":"wallet.balance_low","data":{},"type":"wallet.balance_zero"}""", new() { ["type"] = JsonObjectReader.RepeatedMessage }),
            ("an array body", """[{"type":"wallet.balance_low","data":{}}]""", new() { ["body"] = JsonBody.NotObjectMessage }),
            ("malformed JSON", """{"type":"wallet.balance_low","data":{}""", new() { ["body"] = JsonBody.NotJsonMessage }),
            ("an empty body", string.Empty, new() { ["body"] = JsonBody.NotObjectMessage }),
        ];
        return cases.Select(c => new TestCaseData(c.Json, c.Details).SetArgDisplayNames(c.Name));
    }

    [TestCaseSource(nameof(Refused))]
    public async Task Publish_WithABadBody_Is400NamingEveryField_AndStoresNothing(string json, Dictionary<string, string> details)
    {
        var (_, client) = await NewPublisherAsync();
        await CreateEndpointAsync(client, BalanceLow);
        var (events, deliveries) = (await EventCountAsync(), await DeliveryCountAsync());

        using var response = await PostAsync(client, "/v1/events", json);

        await ApiAssert.ValidationFailed(response, details);
        Assert.That(response.Headers.Location, Is.Null);
        Assert.That(await EventCountAsync(), Is.EqualTo(events), "no event stored");
        Assert.That(await DeliveryCountAsync(), Is.EqualTo(deliveries), "no delivery stored");
    }

    [Test]
    public async Task Publish_WithABadIdempotencyKeyAndABadBody_ReportsBothTogether()
    {
        var (_, client) = await NewPublisherAsync();

        using var response = await PostAsync(client, "/v1/events", """{"type":"wallet.typo","data":{}}""", idempotencyKey: "with space");

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string>
        {
            ["type"] = WebhookCatalog.UnknownEventTypeMessage("wallet.typo"),
            ["Idempotency-Key"] = Domain.Idempotency.IdempotencyKey.InvalidMessage,
        });
    }

    [TestCase("""{"type":"wallet.balance_low","data":{"note":"\ud800"}}""", "data")]
    [TestCase("""{"type":"wallet.balance_low","data":{"\udc00":1}}""", "data")]
    [TestCase("""{"type":"wallet.balance_low","data":{"list":[{"deep":"a\ud83d"}]}}""", "data")]
    [TestCase("""{"type":"wallet.balance_\ud800","data":{}}""", "type")]
    public async Task Publish_WithALoneSurrogate_Is400_WithOrWithoutAnIdempotencyKey(string json, string field)
    {
        var (_, client) = await NewPublisherAsync();
        var events = await EventCountAsync();

        using var plain = await PostAsync(client, "/v1/events", json);
        using var keyed = await PostAsync(client, "/v1/events", json, idempotencyKey: "surrogate-" + Guid.NewGuid().ToString("N"));

        var details = new Dictionary<string, string> { [field] = field == "data" ? Event.DataNotTextMessage : JsonObjectReader.MustBeTextMessage };
        await ApiAssert.ValidationFailed(plain, details);
        await ApiAssert.ValidationFailed(keyed, details);
        Assert.That(await EventCountAsync(), Is.EqualTo(events));
    }

    [Test]
    public async Task Publish_OverTheBodyLimit_Is413_AndStoresNothing()
    {
        var (_, client) = await NewPublisherAsync();
        var events = await EventCountAsync();
        var padding = new string('a', JsonBody.MaxBytes);

        using var response = await PostAsync(client, "/v1/events", "{\"type\":\"wallet.balance_low\",\"data\":{\"pad\":\"" + padding + "\"}}");

        await ApiAssert.Envelope(response, HttpStatusCode.RequestEntityTooLarge, ApiError.PayloadTooLarge.Code, ApiError.PayloadTooLarge.Message);
        Assert.That(await EventCountAsync(), Is.EqualTo(events));
    }

    [Test]
    public async Task Publish_WithDataUpToTheBodyLimit_IsAccepted()
    {
        var (_, client) = await NewPublisherAsync();
        var shell = """{"type":"wallet.balance_low","data":{"pad":""}}""";
        var data = $$"""{"pad":"{{new string('a', JsonBody.MaxBytes - shell.Length)}}"}""";

        using var response = await PostAsync(client, "/v1/events", $$"""{"type":"wallet.balance_low","data":{{data}}}""");

        await AssertEventAsync(response, BalanceLow, data, deliveries: 0);
    }

    [TestCase("text/plain")]
    [TestCase("application/x-www-form-urlencoded")]
    [TestCase("application/json; charset=latin1")]
    public async Task Publish_WithAnotherMediaType_Is415_AndStoresNothing(string contentType)
    {
        var (_, client) = await NewPublisherAsync();
        var events = await EventCountAsync();
        using var content = RawRequests.Bytes("""{"type":"wallet.balance_low","data":{}}""", contentType);

        using var response = await client.PostAsync("/v1/events", content);

        await ApiAssert.Envelope(response, HttpStatusCode.UnsupportedMediaType, ApiError.UnsupportedMediaType.Code, ApiError.UnsupportedMediaType.Message);
        Assert.That(await EventCountAsync(), Is.EqualTo(events));
    }

    [Test]
    public async Task Publish_WithoutAKey_Is401()
    {
        using var anonymous = Factory.CreateClient((string?)null);

        using var response = await PostAsync(anonymous, "/v1/events", """{"type":"wallet.balance_low","data":{}}""");

        await ApiAssert.Unauthorized(response);
    }

    [TestCase("webhooks:write")]
    [TestCase("webhooks:read")]
    [TestCase("clients:events:write")]
    public async Task Publish_WithAKeyWithoutEventsWrite_Is403_EvenWithABadBody(string scope)
    {
        var (org, _) = await NewPublisherAsync();
        using var client = Factory.CreateClient(await Factory.CreateKeyAsync(org.OrgId, scope));
        var events = await EventCountAsync();

        using var valid = await PostAsync(client, "/v1/events", """{"type":"wallet.balance_low","data":{}}""");
        using var bad = await PostAsync(client, "/v1/events", "not json");

        await ApiAssert.Forbidden(valid);
        await ApiAssert.Forbidden(bad);
        Assert.That(await EventCountAsync(), Is.EqualTo(events));
    }

    [Test]
    public async Task Publish_WithAnEventsWriteOnlyKey_IsAccepted_ButThatKeyCannotReadTheEvent()
    {
        var (org, _) = await NewPublisherAsync();
        using var publisher = Factory.CreateClient(await Factory.CreateKeyAsync(org.OrgId, "events:write"));

        using var published = await PostAsync(publisher, "/v1/events", """{"type":"wallet.balance_low","data":{}}""");
        var (_, id) = await AssertEventAsync(published, BalanceLow, "{}", deliveries: 0);
        using var read = await publisher.GetAsync($"/v1/events/{id}");

        await ApiAssert.Forbidden(read);
    }
}
