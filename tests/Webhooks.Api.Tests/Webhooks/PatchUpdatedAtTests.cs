
namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// <c>{}</c> is valid and changes nothing; <c>updated_at</c> moves only when a value changed; the
/// success response is the stored resource, exactly.
/// </summary>
[TestFixture]
public sealed class PatchUpdatedAtTests : WebhooksFixture
{
    /// <summary>Patches that send values equal to the stored ones (after normalization).</summary>
    private static IEnumerable<TestCaseData> SameValuePatches()
    {
        yield return new TestCaseData("{}").SetName("empty object");
        yield return new TestCaseData("""{"url":"https://hooks.example.com/y3labs/ops"}""").SetName("same url");
        yield return new TestCaseData("""{"url":" HTTPS://Hooks.Example.COM/y3labs/ops "}""").SetName("same url in another spelling");
        yield return new TestCaseData("""{"description":"Ops alerts"}""").SetName("same description");
        yield return new TestCaseData("""{"description":"  Ops alerts  "}""").SetName("same description with spaces");
        yield return new TestCaseData("""{"events":["wallet.balance_low","wallet.balance_zero"]}""").SetName("same events");
        yield return new TestCaseData("""{"events":["wallet.balance_low","wallet.balance_zero","wallet.balance_low"]}""").SetName("same events with a duplicate");
        yield return new TestCaseData("""{"active":true}""").SetName("same active");
        yield return new TestCaseData("""{"api_version":"2026-04-01"}""").SetName("same api_version");
        yield return new TestCaseData(
                """{"url":"https://hooks.example.com/y3labs/ops","description":"Ops alerts","events":["wallet.balance_low","wallet.balance_zero"],"active":true,"api_version":"2026-04-01"}""")
            .SetName("every field with its same value");
    }

    [TestCaseSource(nameof(SameValuePatches))]
    public async Task Patch_with_same_values_returns_the_resource_unchanged(string body)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), body);

        var after = await AssertPatchedAsync(response);
        AssertSameResource(after, before, "a PATCH that changes no value returns the resource as it was, updated_at included");
    }

    /// <summary>The one test that waits: only a real change moves <c>updated_at</c> (1-second resolution).</summary>
    [Test]
    public async Task Patch_updated_at_moves_only_when_a_value_changes()
    {
        var before = await CreateEndpointAsync();
        Assert.That(before.GetProperty("updated_at").GetString(), Is.EqualTo(before.GetProperty("created_at").GetString()));
        await Task.Delay(TimeSpan.FromMilliseconds(1100));

        using (var empty = await PatchAsync(IdOf(before), "{}"))
        {
            AssertSameResource(await AssertPatchedAsync(empty), before, "{} a second later changes nothing");
        }

        using (var same = await PatchAsync(
            IdOf(before),
            """{"url":"HTTPS://HOOKS.example.com/y3labs/ops","description":" Ops alerts ","events":["wallet.balance_low","wallet.balance_zero","wallet.balance_zero"],"active":true,"api_version":"2026-04-01"}"""))
        {
            AssertSameResource(await AssertPatchedAsync(same), before, "same values a second later change nothing");
        }

        using (var refused = await PatchAsync(IdOf(before), """{"active":false,"url":"http://x.example.com/"}"""))
        {
            await ApiAssert.ValidationFailed(refused, Details("url", "must use https"));
            await AssertUnchangedAsync(before);
        }

        using var change = await PatchAsync(IdOf(before), """{"active":false}""");
        var after = await AssertPatchedAsync(change);
        AssertPatchedFrom(before, after, DefaultState with { Active = false });
        Assert.That(
            string.CompareOrdinal(after.GetProperty("updated_at").GetString(), before.GetProperty("updated_at").GetString()),
            Is.GreaterThan(0),
            $"a real change moves updated_at: before {before.GetProperty("updated_at")}, after {after.GetProperty("updated_at")}");
        Assert.That(after.GetProperty("created_at").GetString(), Is.EqualTo(before.GetProperty("created_at").GetString()));
    }

    [TestCase("""{"url":"https://moved.example.com/"}""", TestName = "changed url")]
    [TestCase("""{"description":"Changed"}""", TestName = "changed description")]
    [TestCase("""{"description":""}""", TestName = "cleared description")]
    [TestCase("""{"events":["wallet.balance_zero","wallet.balance_low"]}""", TestName = "reordered events")]
    [TestCase("""{"active":false}""", TestName = "changed active")]
    public async Task Patch_with_a_change_reports_the_stored_updated_at(string body)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), body);

        // AssertPatchedAsync checks that GET then shows exactly this body, updated_at included.
        var after = await AssertPatchedAsync(response);
        Assert.That(JsonElementEquals(after, before), Is.False, "the change is visible in the response");
        Assert.That(
            string.CompareOrdinal(after.GetProperty("updated_at").GetString(), before.GetProperty("updated_at").GetString()),
            Is.GreaterThanOrEqualTo(0));
    }

    [Test]
    public async Task Patch_success_response_headers_and_body()
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), """{"description":"Headers"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var requestId = ApiAssert.RequestId(response);
        var after = await AssertPatchedAsync(response);
        Assert.That(after.GetProperty("id").GetString(), Is.EqualTo(IdOf(before)));

        using var again = await PatchAsync(IdOf(before), "{}");
        Assert.That(ApiAssert.RequestId(again), Is.Not.EqualTo(requestId), "every response has its own request id");
        await AssertPatchedAsync(again);
    }

    private static bool JsonElementEquals(System.Text.Json.JsonElement a, System.Text.Json.JsonElement b) =>
        System.Text.Json.JsonElement.DeepEquals(a, b);
}
