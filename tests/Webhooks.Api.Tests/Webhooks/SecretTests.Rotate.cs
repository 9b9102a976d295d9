using Webhooks.Api.Http;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary><c>POST /v1/webhooks/{id}/secret/rotate</c>: a new secret, once, as a change of the endpoint.</summary>
public sealed partial class SecretTests
{
    [Test]
    public async Task Rotate_is_200_with_the_resource_and_a_new_secret_and_is_a_change()
    {
        var created = await CreateAsync(description: "Rotating");
        var (before, etag) = await GetWithETagAsync(created.Id);
        _time.Advance(TimeSpan.FromSeconds(7));
        var expectedUpdatedAt = WebhookResource.AssertTimestamp(before.GetProperty("updated_at").GetString()).AddSeconds(7);

        using var response = await RotateAsync(created.Id);

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        ApiAssert.RequestId(response);
        var (rotated, secret) = WebhookResource.SplitSecret(await Json.ReadAsync(response));
        WebhookResource.AssertShape(rotated);
        Assert.That(secret, Is.Not.EqualTo(created.Secret), "a new secret");
        foreach (var key in new[] { "id", "org_id", "url", "description", "events", "active", "api_version", "created_at", "deleted_at" })
        {
            Assert.That(JsonElement.DeepEquals(rotated.GetProperty(key), before.GetProperty(key)), Is.True, $"{key} unchanged: {text}");
        }

        Assert.That(WebhookResource.AssertTimestamp(rotated.GetProperty("updated_at").GetString()), Is.EqualTo(expectedUpdatedAt), "updated_at moves");
        Assert.That(RevisionOf(response.Headers.ETag?.Tag, created.Id), Is.EqualTo(RevisionOf(etag, created.Id) + 1), "a new ETag");
        var (after, afterETag) = await GetWithETagAsync(created.Id);
        Assert.That(JsonElement.DeepEquals(after, rotated), Is.True, "GET shows what rotate returned, without the secret");
        Assert.That(afterETag, Is.EqualTo(response.Headers.ETag!.Tag));
    }

    [Test]
    public async Task Each_rotation_gives_another_secret()
    {
        var created = await CreateAsync();
        var secrets = new List<string> { created.Secret };

        for (var i = 0; i < 3; i++)
        {
            using var response = await RotateAsync(created.Id);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            secrets.Add(WebhookResource.SplitSecret(await Json.ReadAsync(response)).Secret);
        }

        Assert.That(secrets, Is.Unique);
        var (_, etag) = await GetWithETagAsync(created.Id);
        Assert.That(RevisionOf(etag, created.Id), Is.EqualTo(4));
    }

    [Test]
    public async Task Rotate_with_a_stale_if_match_is_412_and_changes_nothing()
    {
        var created = await CreateAsync();
        using (var change = await PatchAsync(created.Id, """{"active":false}"""))
        {
            await AssertResourceWithETagAsync(change);
        }

        var (current, currentETag) = await GetWithETagAsync(created.Id);
        var row = await ReadRowAsync(Factory, created.Id);
        _time.Advance(TimeSpan.FromSeconds(3));

        using var response = await RotateAsync(created.Id, created.ETag);

        await ApiAssert.Envelope(response, HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED", "precondition failed");
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("whsec_"));
        var (after, afterETag) = await GetWithETagAsync(created.Id);
        Assert.That(JsonElement.DeepEquals(after, current), Is.True, "nothing written");
        Assert.That(afterETag, Is.EqualTo(currentETag));
        Assert.That((await ReadRowAsync(Factory, created.Id))!.SigningSecret, Is.EqualTo(row!.SigningSecret), "the secret is not replaced");
    }

    [TestCase("current")]
    [TestCase("*")]
    public async Task Rotate_with_a_matching_if_match_is_200(string form)
    {
        var created = await CreateAsync();

        using var response = await RotateAsync(created.Id, form == "*" ? "*" : created.ETag);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(WebhookResource.SplitSecret(await Json.ReadAsync(response)).Secret, Is.Not.EqualTo(created.Secret));
    }

    [Test]
    public async Task Rotate_needs_write_scope_and_an_endpoint_of_the_organization()
    {
        var created = await CreateAsync();
        var (_, theirs) = await NewOrganizationAsync();
        using var reader = Factory.CreateClient(await Factory.CreateKeyAsync(Org.OrgId, "webhooks:read"));
        using var anonymous = Factory.CreateClient((string?)null);

        using (var response = await RotateAsync(created.Id, client: reader))
        {
            await ApiAssert.Forbidden(response);
        }

        using (var response = await RotateAsync(created.Id, client: anonymous))
        {
            await ApiAssert.Unauthorized(response);
        }

        using (var response = await RotateAsync(created.Id, client: theirs))
        using (var unknown = await RotateAsync(Guid.CreateVersion7().ToString(), client: theirs))
        {
            await AssertSameNotFoundAsync(response, unknown, "another organization's endpoint");
        }

        using (var response = await RotateAsync("not-a-uuid"))
        {
            await ApiAssert.NotFound(response);
        }

        var (_, etag) = await GetWithETagAsync(created.Id);
        Assert.That(etag, Is.EqualTo(created.ETag), "no refused request rotated the secret");
    }

    public static IEnumerable<TestCaseData> GraceBodies() =>
    [
        new TestCaseData(null, SecretGrace.DefaultSeconds).SetArgDisplayNames("no body"),
        new TestCaseData("{}", SecretGrace.DefaultSeconds).SetArgDisplayNames("{}"),
        new TestCaseData("""{"grace_seconds":0}""", null).SetArgDisplayNames("0"),
        new TestCaseData("""{"grace_seconds":3600}""", 3600L).SetArgDisplayNames("3600"),
        new TestCaseData("""{"grace_seconds":6e1}""", 60L).SetArgDisplayNames("6e1"),
        new TestCaseData("""{"grace_seconds":604800}""", SecretGrace.MaxSeconds).SetArgDisplayNames("604800"),
    ];

    [TestCaseSource(nameof(GraceBodies))]
    public async Task Rotate_keeps_the_replaced_secret_signing_for_the_grace(string? body, long? graceSeconds)
    {
        var created = await CreateAsync();
        var before = await ReadRowAsync(Factory, created.Id);
        var now = _time.GetUtcNow();

        using var response = await RotateAsync(created.Id, json: body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var after = await ReadRowAsync(Factory, created.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(after!.SigningSecret, Is.Not.EqualTo(before!.SigningSecret));
            Assert.That(after.PreviousSigningSecret, Is.EqualTo(graceSeconds is null ? null : before.SigningSecret), "the replaced secret, still protected");
            Assert.That(after.PreviousSecretExpiresAt, Is.EqualTo(graceSeconds is { } seconds ? now.AddSeconds(seconds) : null));
        }
    }

    public static IEnumerable<TestCaseData> BadGraceBodies() =>
    [
        new TestCaseData("""{"grace_seconds":-1}""", "grace_seconds", SecretGrace.OutOfRangeMessage).SetArgDisplayNames("-1"),
        new TestCaseData("""{"grace_seconds":604801}""", "grace_seconds", SecretGrace.OutOfRangeMessage).SetArgDisplayNames("604801"),
        new TestCaseData("""{"grace_seconds":1e400}""", "grace_seconds", SecretGrace.OutOfRangeMessage).SetArgDisplayNames("1e400"),
        new TestCaseData("""{"grace_seconds":-99999999999999999999999}""", "grace_seconds", SecretGrace.OutOfRangeMessage).SetArgDisplayNames("below long"),
        new TestCaseData("""{"grace_seconds":1.5}""", "grace_seconds", JsonObjectReader.MustBeIntegerMessage).SetArgDisplayNames("1.5"),
        new TestCaseData("""{"grace_seconds":"60"}""", "grace_seconds", JsonObjectReader.MustBeIntegerMessage).SetArgDisplayNames("a string"),
        new TestCaseData("""{"grace_seconds":null}""", "grace_seconds", JsonObjectReader.MustBeIntegerMessage).SetArgDisplayNames("null"),
        new TestCaseData("""{"grace":60}""", "grace", JsonObjectReader.UnknownFieldMessage).SetArgDisplayNames("unknown field"),
        new TestCaseData("[]", JsonObjectReader.BodyKey, JsonBody.NotObjectMessage).SetArgDisplayNames("an array"),
        new TestCaseData("{", JsonObjectReader.BodyKey, JsonBody.NotJsonMessage).SetArgDisplayNames("not JSON"),
    ];

    [TestCaseSource(nameof(BadGraceBodies))]
    public async Task Rotate_with_a_bad_body_is_400_and_changes_nothing(string body, string field, string message)
    {
        var created = await CreateAsync();
        var before = await ReadRowAsync(Factory, created.Id);

        using var response = await RotateAsync(created.Id, json: body);

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { [field] = message });
        Assert.That(await ReadRowAsync(Factory, created.Id), Is.EqualTo(before), "nothing written");
    }

    [Test]
    public async Task Rotate_checks_the_body_before_the_id()
    {
        using var response = await RotateAsync(Guid.CreateVersion7().ToString(), json: """{"grace_seconds":-1}""");

        await ApiAssert.ValidationFailed(response, new Dictionary<string, string> { ["grace_seconds"] = SecretGrace.OutOfRangeMessage });
    }
}
