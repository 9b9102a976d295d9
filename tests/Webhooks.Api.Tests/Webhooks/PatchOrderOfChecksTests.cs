using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api.Http;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// Order of checks: authentication, then scope, then the shape of the body together with every rule
/// that does not need the stored endpoint (all in one 400), then existence, then the rules that need
/// the stored endpoint (an <c>api_version</c> that is configured but not the endpoint's own).
/// "Not found" never tells why.
/// </summary>
[TestFixture]
public sealed partial class PatchOrderOfChecksTests : WebhooksFixture
{
    private const string UnknownId = "0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4";
    private const string ValidBody = """{"active":false}""";
    private const string Immutable = WebhookEndpoint.ImmutableApiVersionMessage;
    private const string OlderApiVersion = "2025-06-01";

    private HttpClient _readOnly = null!;
    private HttpClient _anonymous = null!;
    private HttpClient _badKey = null!;
    private HttpClient _revoked = null!;
    private HttpClient _otherOrg = null!;
    private TestOrganization _other = null!;

    [OneTimeSetUp]
    public async Task CreateCallersAsync()
    {
        _readOnly = Factory.CreateClient(await Factory.CreateKeyAsync(Org.OrgId, "webhooks:read"));
        _anonymous = Factory.CreateClient(key: null);
        _badKey = Factory.CreateClient("am_live_" + new string('Z', 43));
        var revoked = await Factory.CreateOrganizationAsync("webhooks:read", "webhooks:write");
        await Factory.RevokeKeyAsync(revoked.KeyId);
        _revoked = Factory.CreateClient(revoked.Key);
        _other = await Factory.CreateOrganizationAsync("webhooks:read", "webhooks:write");
        _otherOrg = Factory.CreateClient(_other.Key);
    }

    [OneTimeTearDown]
    public void DisposeCallers()
    {
        _readOnly?.Dispose();
        _anonymous?.Dispose();
        _badKey?.Dispose();
        _revoked?.Dispose();
        _otherOrg?.Dispose();
    }

    [TestCase("{", TestName = "no key with malformed JSON is 401")]
    [TestCase(ValidBody, TestName = "no key with a valid body is 401")]
    [TestCase("""{"url":"http://x","secret":"s"}""", TestName = "no key with an invalid body is 401")]
    public async Task Patch_without_a_key_is_unauthorized_before_the_body_is_looked_at(string body)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), body, client: _anonymous);

        await ApiAssert.Unauthorized(response);
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Patch_without_a_key_on_an_unknown_id_is_unauthorized()
    {
        using var response = await PatchAsync(UnknownId, "{", client: _anonymous);

        await ApiAssert.Unauthorized(response);
    }

    [Test]
    public async Task Patch_with_an_unknown_or_revoked_key_is_unauthorized()
    {
        var before = await CreateEndpointAsync();

        using (var unknown = await PatchAsync(IdOf(before), "{", client: _badKey))
        {
            await ApiAssert.Unauthorized(unknown);
        }

        using (var revoked = await PatchAsync(IdOf(before), ValidBody, client: _revoked))
        {
            await ApiAssert.Unauthorized(revoked);
        }

        await AssertUnchangedAsync(before);
    }

    [TestCase("{", TestName = "read-only key with malformed JSON is 403")]
    [TestCase("""{"urll":1}""", TestName = "read-only key with an unknown field is 403")]
    [TestCase(ValidBody, TestName = "read-only key with a valid body is 403")]
    public async Task Patch_with_a_read_only_key_is_forbidden_before_the_body_is_looked_at(string body)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), body, client: _readOnly);

        await ApiAssert.Forbidden(response);
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Patch_with_a_read_only_key_on_an_unknown_id_is_forbidden()
    {
        using var response = await PatchAsync(UnknownId, "{", client: _readOnly);

        await ApiAssert.Forbidden(response);
    }

    [TestCaseSource(nameof(InvalidBodies))]
    [TestCaseSource(nameof(RuleViolations))]
    [TestCaseSource(nameof(UndecodableBodies))]
    public async Task Patch_refused_body_on_a_missing_id_is_refused_before_existence(string body, Dictionary<string, string> details)
    {
        using (var unknownId = await PatchAsync(UnknownId, body))
        {
            await ApiAssert.ValidationFailed(unknownId, details);
        }

        using var notAUuid = await PatchAsync("not-a-uuid", body);
        await ApiAssert.ValidationFailed(notAUuid, details);
    }

    [Test]
    public async Task Patch_body_that_is_not_utf8_on_an_unknown_id_is_refused_before_existence()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes("""{"description":"caf_"}""");
        bytes[Array.IndexOf(bytes, (byte)'_')] = 0xE9;

        using var response = await PatchAsync(UnknownId, RawBody(bytes, "application/json"));

        await ApiAssert.ValidationFailed(response, Details("body", JsonBody.NotJsonMessage));
    }

    [Test]
    public async Task Patch_rule_violation_on_another_organizations_endpoint_is_refused_before_existence()
    {
        var theirs = await CreateEndpointAsync(_otherOrg, _other.OrgId);

        using var response = await PatchAsync(IdOf(theirs), """{"url":"http://attacker.example.com/","active":false}""");

        await ApiAssert.ValidationFailed(response, Details("url", HttpsUrl.NotHttpsMessage));
        await AssertUnchangedAsync(theirs, _otherOrg, _other.OrgId);
    }

    [Test]
    public async Task Patch_invalid_body_on_another_organizations_endpoint_is_refused_before_existence()
    {
        var theirs = await CreateEndpointAsync(_otherOrg, _other.OrgId);

        using var response = await PatchAsync(IdOf(theirs), """{"urll":"x"}""");

        await ApiAssert.ValidationFailed(response, Details("urll", JsonObjectReader.UnknownFieldMessage));
        await AssertUnchangedAsync(theirs, _otherOrg, _other.OrgId);
    }

    [TestCaseSource(nameof(MissingIds))]
    public async Task Patch_valid_body_on_a_missing_id_is_not_found(string id)
    {
        using var response = await PatchAsync(id, ValidBody);

        await ApiAssert.NotFound(response);
    }

    [Test]
    public async Task Patch_another_organizations_endpoint_is_not_found_and_unchanged()
    {
        var theirs = await CreateEndpointAsync(_otherOrg, _other.OrgId);

        using var response = await PatchAsync(IdOf(theirs), """{"url":"https://attacker.example.com/","active":false}""");

        await ApiAssert.NotFound(response);
        await AssertUnchangedAsync(theirs, _otherOrg, _other.OrgId);
    }

    [Test]
    public async Task Patch_not_found_bodies_are_identical_apart_from_the_request_id()
    {
        var theirs = await CreateEndpointAsync(_otherOrg, _other.OrgId);
        var bodies = new List<string>();
        var requestIds = new List<string>();
        foreach (var id in new[] { UnknownId, "not-a-uuid", IdOf(theirs) })
        {
            using var response = await PatchAsync(id, ValidBody);
            await ApiAssert.NotFound(response);
            var text = await response.Content.ReadAsStringAsync();
            requestIds.Add(JsonNode.Parse(text)!["error"]!["request_id"]!.GetValue<string>());
            bodies.Add(WithoutRequestId(text));
        }

        Assert.That(bodies.Distinct(), Has.Exactly(1).Items, string.Join(Environment.NewLine, bodies));
        Assert.That(requestIds.Distinct(), Has.Exactly(3).Items, "every response has its own request id");
    }

    [Test]
    public async Task Patch_deleted_endpoint_is_not_found_with_the_same_body_as_an_unknown_id()
    {
        var deleted = await CreateEndpointAsync();
        await SoftDeleteAsync(IdOf(deleted));

        using var response = await PatchAsync(IdOf(deleted), ValidBody);
        await ApiAssert.NotFound(response);
        using var unknown = await PatchAsync(UnknownId, ValidBody);
        await ApiAssert.NotFound(unknown);
        Assert.That(WithoutRequestId(await response.Content.ReadAsStringAsync()), Is.EqualTo(WithoutRequestId(await unknown.Content.ReadAsStringAsync())));

        using var current = await PatchAsync(IdOf(deleted), $$"""{"api_version":"{{CurrentApiVersion}}"}""");
        await ApiAssert.NotFound(current);
    }

    [Test]
    public async Task Patch_rule_violation_on_a_deleted_endpoint_is_the_same_400_as_on_an_unknown_id()
    {
        var deleted = await CreateEndpointAsync();
        await SoftDeleteAsync(IdOf(deleted));
        const string Body = """{"api_version":"2030-01-01","events":[]}""";
        var details = Details("api_version", Immutable, "events", EventTypeSet.EmptyMessage);

        using var response = await PatchAsync(IdOf(deleted), Body);
        await ApiAssert.ValidationFailed(response, details);
        using var unknown = await PatchAsync(UnknownId, Body);
        await ApiAssert.ValidationFailed(unknown, details);
        Assert.That(WithoutRequestId(await response.Content.ReadAsStringAsync()), Is.EqualTo(WithoutRequestId(await unknown.Content.ReadAsStringAsync())));
    }

    /// <summary>
    /// With two configured versions, an older one that is not the endpoint's own can only be judged
    /// against the stored endpoint: it is checked after existence. The newest is the default for new
    /// endpoints.
    /// </summary>
    [Test]
    public async Task Patch_api_version_rule_applies_after_existence()
    {
        await using var factory = TwoApiVersions();
        var org = await factory.CreateOrganizationAsync("webhooks:read", "webhooks:write");
        var other = await factory.CreateOrganizationAsync("webhooks:read", "webhooks:write");
        using var client = factory.CreateClient(org.Key);
        using var otherClient = factory.CreateClient(other.Key);
        var mine = await WebhookResource.CreateAsync(client);
        var theirs = await WebhookResource.CreateAsync(otherClient);
        Assert.That(mine.GetProperty("api_version").GetString(), Is.EqualTo(CurrentApiVersion), "the newest version is the default");
        const string Body = $$"""{"api_version":"{{OlderApiVersion}}"}""";

        foreach (var id in new[] { UnknownId, "not-a-uuid", IdOf(theirs) })
        {
            using var missing = await client.PatchAsync($"/v1/webhooks/{id}", Body);
            await ApiAssert.NotFound(missing);
        }

        using (var existing = await client.PatchAsync($"/v1/webhooks/{IdOf(mine)}", Body))
        {
            await ApiAssert.ValidationFailed(existing, Details("api_version", Immutable));
        }

        using (var stored = await client.GetAsync($"/v1/webhooks/{IdOf(mine)}"))
        {
            AssertSameResource(await Json.ReadAsync(stored), mine, "a refused PATCH must not write anything");
        }

        using var own = await client.PatchAsync($"/v1/webhooks/{IdOf(mine)}", $$"""{"api_version":"{{CurrentApiVersion}}"}""");
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK), await own.Content.ReadAsStringAsync());
        AssertSameResource(await Json.ReadAsync(own), mine, "sending the endpoint's own version changes nothing");
    }

    [TestCase("null", TestName = "api_version null on an unknown id is 400")]
    [TestCase("\"2030-01-01\"", TestName = "api_version not configured on an unknown id is 400")]
    [TestCase("\"\"", TestName = "api_version empty on an unknown id is 400")]
    public async Task Patch_api_version_that_no_endpoint_can_have_is_refused_before_existence(string versionJson)
    {
        await using var factory = TwoApiVersions();
        var org = await factory.CreateOrganizationAsync("webhooks:read", "webhooks:write");
        using var client = factory.CreateClient(org.Key);

        foreach (var id in new[] { UnknownId, "not-a-uuid" })
        {
            using var response = await client.PatchAsync($"/v1/webhooks/{id}", $$"""{"api_version":{{versionJson}}}""");
            await ApiAssert.ValidationFailed(response, Details("api_version", Immutable));
        }
    }

    private static ApiFactory TwoApiVersions() => TestApiVersions.Factory(OlderApiVersion, CurrentApiVersion);

    private static string WithoutRequestId(string errorBody)
    {
        var node = JsonNode.Parse(errorBody)!;
        node["error"]!["request_id"] = "X";
        return node.ToJsonString();
    }

    /// <summary>Marks an endpoint deleted the way the domain does (there is no DELETE route to call yet).</summary>
    private async Task SoftDeleteAsync(string id)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        var guid = Guid.Parse(id);
        var endpoint = await db.Set<WebhookEndpoint>().SingleAsync(e => e.Id == guid);
        endpoint.Delete(endpoint.UpdatedAt.AddSeconds(1));
        await scope.ServiceProvider.GetRequiredService<Application.Common.Ports.IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
    }

    [Test]
    public async Task Patch_by_the_owner_after_another_organization_tried_still_works()
    {
        var theirs = await CreateEndpointAsync(_otherOrg, _other.OrgId);
        using (var attempt = await PatchAsync(IdOf(theirs), ValidBody))
        {
            Assert.That(attempt.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }

        using var response = await PatchAsync(IdOf(theirs), ValidBody, client: _otherOrg);

        var after = await AssertPatchedAsync(response, _other.OrgId, _otherOrg);
        AssertPatchedFrom(theirs, after, DefaultState with { Active = false });
        Assert.That(after.GetProperty("org_id").GetString(), Is.EqualTo(_other.OrgId.ToString()));
    }
}
