using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// <c>Idempotency-Key</c> on <c>POST /v1/webhooks</c>: a retry with the same key and body gets the
/// first response (same id, same secret); the same key with another body is a 400; keys belong to
/// one organization and expire after 24 hours.
/// </summary>
[TestFixture]
public sealed class IdempotencyTests : WebhooksFixture
{
    private const string KeyReused = "was already used with a different request body";
    private const string BadKey = "must be 1 to 255 visible ASCII characters";
    private const string Body = """{"url":"https://hooks.example.com/idem","events":["wallet.balance_low"],"description":"Idempotent"}""";

    private readonly ControllableTimeProvider _time = new();

    protected override ApiFactory CreateFactory() => new() { TestServices = services => services.AddSingleton<TimeProvider>(_time) };

    [Test]
    public async Task A_retry_with_the_same_key_and_body_gets_the_first_response_and_creates_nothing()
    {
        var (_, client) = await NewOrganizationAsync();
        var key = NewKey();

        using var first = await PostAsync(client, key, Body);
        using var retry = await PostAsync(client, key, Body);

        var (firstText, firstBody) = await AssertCreatedAsync(first);
        var (retryText, _) = await AssertCreatedAsync(retry);
        Assert.That(retryText, Is.EqualTo(firstText), "the same body: same id, same secret");
        Assert.That(retry.Headers.Location, Is.EqualTo(first.Headers.Location));
        Assert.That(retry.Headers.ETag?.Tag, Is.EqualTo(first.Headers.ETag?.Tag));
        Assert.That((await ListAsync(client: client)).Ids, Is.EqualTo(new[] { firstBody.GetProperty("id").GetString() }), "one endpoint");
    }

    [TestCase("""{ "url" : "https://hooks.example.com/idem" ,  "events":[ "wallet.balance_low" ],"description":"Idempotent" }""")]
    [TestCase("""
        {
            "url": "https://hooks.example.com/idem",
            "events": ["wallet.balance_low"],
            "description": "Idempotent"
        }
        """)]
    [TestCase("\t{\"url\":\"https://hooks.example.com/idem\",\r\n\"events\":[\"wallet.balance_low\"],\"description\":\"Idempotent\"}\n")]
    public async Task White_space_does_not_make_another_body(string reformatted)
    {
        var (_, client) = await NewOrganizationAsync();
        var key = NewKey();

        using var first = await PostAsync(client, key, Body);
        using var retry = await PostAsync(client, key, reformatted);

        var (firstText, _) = await AssertCreatedAsync(first);
        var (retryText, _) = await AssertCreatedAsync(retry);
        Assert.That(retryText, Is.EqualTo(firstText));
        Assert.That((await ListAsync(client: client)).Data, Has.Count.EqualTo(1));
    }

    [TestCase("""{"url":"https://hooks.example.com/other","events":["wallet.balance_low"],"description":"Idempotent"}""")]
    [TestCase("""{"url":"https://hooks.example.com/idem","events":["wallet.balance_low"],"description":"idempotent"}""")]
    [TestCase("""{"url":"https://hooks.example.com/idem","events":["wallet.balance_low"]}""")]
    [TestCase("""{"url":"https://hooks.example.com/idem","events":["wallet.balance_low"],"description":"Idempotent","active":true}""")]
    public async Task The_same_key_with_another_body_is_400_and_creates_nothing(string other)
    {
        var (_, client) = await NewOrganizationAsync();
        var key = NewKey();
        using var first = await PostAsync(client, key, Body);
        var (firstText, _) = await AssertCreatedAsync(first);

        using var refused = await PostAsync(client, key, other);

        await ApiAssert.ValidationFailed(refused, new Dictionary<string, string> { ["Idempotency-Key"] = KeyReused });
        Assert.That(refused.Headers.Location, Is.Null);
        Assert.That((await ListAsync(client: client)).Data, Has.Count.EqualTo(1), "nothing created");
        using var again = await PostAsync(client, key, Body);
        Assert.That((await AssertCreatedAsync(again)).Text, Is.EqualTo(firstText), "the key still replays its first request");
    }

    [Test]
    public async Task The_same_key_in_another_organization_creates_a_separate_endpoint()
    {
        var (mine, myClient) = await NewOrganizationAsync();
        var (theirs, theirClient) = await NewOrganizationAsync();
        var key = NewKey();

        using var first = await PostAsync(myClient, key, Body);
        using var second = await PostAsync(theirClient, key, Body);

        var (_, myBody) = await AssertCreatedAsync(first);
        var (_, theirBody) = await AssertCreatedAsync(second);
        Assert.That(theirBody.GetProperty("id").GetString(), Is.Not.EqualTo(myBody.GetProperty("id").GetString()));
        Assert.That(theirBody.GetProperty("secret").GetString(), Is.Not.EqualTo(myBody.GetProperty("secret").GetString()));
        Assert.That(myBody.GetProperty("org_id").GetString(), Is.EqualTo(mine.OrgId.ToString()));
        Assert.That(theirBody.GetProperty("org_id").GetString(), Is.EqualTo(theirs.OrgId.ToString()));
        Assert.That((await ListAsync(client: myClient)).Data, Has.Count.EqualTo(1));
        Assert.That((await ListAsync(client: theirClient)).Data, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Another_key_of_the_same_organization_gets_the_same_replay()
    {
        var (org, client) = await NewOrganizationAsync();
        using var other = Factory.CreateClient(await Factory.CreateKeyAsync(org.OrgId, "webhooks:write"));
        var key = NewKey();

        using var first = await PostAsync(client, key, Body);
        using var retry = await PostAsync(other, key, Body);

        Assert.That((await AssertCreatedAsync(retry)).Text, Is.EqualTo((await AssertCreatedAsync(first)).Text), "keys are scoped to the organization");
    }

    [Test]
    public async Task Without_a_key_the_same_request_twice_creates_two_endpoints()
    {
        var (_, client) = await NewOrganizationAsync();

        using var first = await PostAsync(client, null, Body);
        using var second = await PostAsync(client, null, Body);

        var (_, a) = await AssertCreatedAsync(first);
        var (_, b) = await AssertCreatedAsync(second);
        Assert.That(b.GetProperty("id").GetString(), Is.Not.EqualTo(a.GetProperty("id").GetString()));
        Assert.That((await ListAsync(client: client)).Data, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_key_of_255_characters_is_accepted_and_one_of_256_is_400()
    {
        var (_, client) = await NewOrganizationAsync();
        var longest = string.Concat(Enumerable.Repeat("k", 255));

        using var accepted = await PostAsync(client, longest, Body);
        using var replay = await PostAsync(client, longest, Body);
        using var refused = await PostAsync(client, longest + "k", Body);

        var (text, _) = await AssertCreatedAsync(accepted);
        Assert.That((await AssertCreatedAsync(replay)).Text, Is.EqualTo(text));
        await ApiAssert.ValidationFailed(refused, new Dictionary<string, string> { ["Idempotency-Key"] = BadKey });
        Assert.That((await ListAsync(client: client)).Data, Has.Count.EqualTo(1));
    }

    [TestCase("with space")]
    [TestCase("caf\u00e9")]
    public async Task A_key_that_is_not_visible_ascii_is_400(string key)
    {
        var (_, client) = await NewOrganizationAsync();

        using var refused = await PostAsync(client, key, Body);

        await ApiAssert.ValidationFailed(refused, new Dictionary<string, string> { ["Idempotency-Key"] = BadKey });
        Assert.That((await ListAsync(client: client)).Data, Is.Empty);
    }

    [Test]
    public async Task Concurrent_requests_with_one_key_and_different_bodies_create_one_endpoint_and_refuse_the_other()
    {
        for (var round = 0; round < 3; round++)
        {
            var (_, client) = await NewOrganizationAsync();
            var key = NewKey();

            var responses = await Task.WhenAll(PostAsync(client, key, Body), PostAsync(client, key, WebhookResource.MinimalBody));

            Assert.That(responses.Select(r => r.StatusCode), Is.EquivalentTo(new[] { HttpStatusCode.Created, HttpStatusCode.BadRequest }), $"round {round}");
            await ApiAssert.ValidationFailed(responses.Single(r => r.StatusCode == HttpStatusCode.BadRequest), new Dictionary<string, string> { ["Idempotency-Key"] = KeyReused });
            Assert.That((await ListAsync(client: client)).Data, Has.Count.EqualTo(1), $"round {round}: one endpoint");
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Test]
    public async Task A_replay_is_the_first_response_even_after_the_endpoint_changed()
    {
        var (_, client) = await NewOrganizationAsync();
        var key = NewKey();
        using var first = await PostAsync(client, key, Body);
        var (firstText, firstBody) = await AssertCreatedAsync(first);
        var id = firstBody.GetProperty("id").GetString()!;
        using (var patch = await PatchAsync(id, """{"description":"Changed"}""", client: client))
        {
            Assert.That(patch.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var retry = await PostAsync(client, key, Body);

        Assert.That((await AssertCreatedAsync(retry)).Text, Is.EqualTo(firstText));
        Assert.That(retry.Headers.ETag?.Tag, Is.EqualTo(first.Headers.ETag?.Tag), "the first response's ETag");
        var (_, current) = await GetWithETagAsync(id, client);
        Assert.That(RevisionOf(current, id), Is.EqualTo(2));
    }

    [Test]
    public async Task A_key_expires_after_24_hours()
    {
        var (_, client) = await NewOrganizationAsync();
        var key = NewKey();
        using var first = await PostAsync(client, key, Body);
        var (firstText, firstBody) = await AssertCreatedAsync(first);

        _time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        using (var stillKept = await PostAsync(client, key, Body))
        {
            Assert.That((await AssertCreatedAsync(stillKept)).Text, Is.EqualTo(firstText), "kept for 24 hours");
        }

        _time.Advance(TimeSpan.FromSeconds(2));
        using var afterExpiry = await PostAsync(client, key, Body);

        var (secondText, secondBody) = await AssertCreatedAsync(afterExpiry);
        Assert.That(secondBody.GetProperty("id").GetString(), Is.Not.EqualTo(firstBody.GetProperty("id").GetString()), "a new endpoint");
        Assert.That(secondBody.GetProperty("secret").GetString(), Is.Not.EqualTo(firstBody.GetProperty("secret").GetString()));
        Assert.That((await ListAsync(client: client)).Data, Has.Count.EqualTo(2));
        using var retry = await PostAsync(client, key, Body);
        Assert.That((await AssertCreatedAsync(retry)).Text, Is.EqualTo(secondText), "the key now replays the new request");
    }

    [Test]
    public async Task After_expiry_the_key_may_be_used_with_another_body()
    {
        var (_, client) = await NewOrganizationAsync();
        var key = NewKey();
        using var first = await PostAsync(client, key, Body);
        await AssertCreatedAsync(first);

        _time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        using var other = await PostAsync(client, key, WebhookResource.MinimalBody);

        var (_, body) = await AssertCreatedAsync(other);
        Assert.That(body.GetProperty("url").GetString(), Is.EqualTo(WebhookResource.Url));
    }

    [Test]
    public async Task Ten_concurrent_identical_requests_create_exactly_one_endpoint()
    {
        for (var round = 0; round < 3; round++)
        {
            var (_, client) = await NewOrganizationAsync();
            var key = NewKey();

            var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PostAsync(client, key, Body)));

            var texts = new List<string>();
            foreach (var response in responses)
            {
                texts.Add((await AssertCreatedAsync(response)).Text);
                response.Dispose();
            }

            Assert.That(texts.Distinct().ToList(), Has.Count.EqualTo(1), $"round {round}: every response is the first one (same id, same secret)");
            Assert.That((await ListAsync(client: client)).Data, Has.Count.EqualTo(1), $"round {round}: one endpoint");
        }
    }

    [Test]
    public async Task A_read_only_key_gets_403_even_for_a_key_already_used()
    {
        var (org, client) = await NewOrganizationAsync();
        var key = NewKey();
        using var first = await PostAsync(client, key, Body);
        await AssertCreatedAsync(first);
        using var reader = Factory.CreateClient(await Factory.CreateKeyAsync(org.OrgId, "webhooks:read"));

        using var response = await PostAsync(reader, key, Body);

        await ApiAssert.Forbidden(response);
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("whsec_"));
    }

    private static string NewKey() => "idem-" + Guid.NewGuid().ToString("N");

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string? idempotencyKey, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks") { Content = Json.Body(json) };
        if (idempotencyKey is not null)
        {
            Assert.That(request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey), Is.True);
        }

        return client.SendAsync(request);
    }

    /// <summary>201 with the resource and a secret, a Location and an ETag naming it; the body's text and JSON.</summary>
    private static async Task<(string Text, JsonElement Body)> AssertCreatedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
        var body = await Json.ReadAsync(response);
        WebhookResource.AssertCreatedShape(body);
        var id = body.GetProperty("id").GetString()!;
        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo($"/v1/webhooks/{id}"));
        RevisionOf(response.Headers.ETag?.Tag, id);
        return (text, body);
    }
}
