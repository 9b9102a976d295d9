using Webhooks.Api.Tests.Support;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// <c>active</c>: a boolean, <c>null</c> refused. <c>api_version</c>: immutable; the current value is
/// accepted and changes nothing, any other value is refused.
/// </summary>
[TestFixture]
public sealed class PatchActiveAndApiVersionTests : WebhooksFixture
{
    private const string Immutable = "is immutable; create a new endpoint at the new version";

    private static IEnumerable<TestCaseData> RefusedActive()
    {
        yield return new TestCaseData("null").SetName("active null refused");
        yield return new TestCaseData("\"true\"").SetName("active string true refused");
        yield return new TestCaseData("\"false\"").SetName("active string false refused");
        yield return new TestCaseData("1").SetName("active number 1 refused");
        yield return new TestCaseData("0").SetName("active number 0 refused");
        yield return new TestCaseData("{}").SetName("active object refused");
        yield return new TestCaseData("[false]").SetName("active array refused");
    }

    private static IEnumerable<TestCaseData> RefusedApiVersions()
    {
        yield return new TestCaseData(Quote("2026-05-01"), Immutable).SetName("api_version other date refused");
        yield return new TestCaseData(Quote("2025-01-01"), Immutable).SetName("api_version older date refused");
        yield return new TestCaseData(Quote(" 2026-04-01 "), Immutable).SetName("api_version current value with spaces refused");
        yield return new TestCaseData(Quote(""), Immutable).SetName("api_version empty string refused");
        yield return new TestCaseData("null", Immutable).SetName("api_version null refused");
        yield return new TestCaseData("20260401", "must be a string").SetName("api_version number refused as a wrong type");
        yield return new TestCaseData("\"2026-04-01\\ud83d\"", "must be valid Unicode text").SetName("api_version with an escaped lone surrogate refused");
    }

    [Test]
    public async Task Patch_active_false_then_true()
    {
        var before = await CreateEndpointAsync();

        using (var off = await PatchAsync(IdOf(before), """{"active":false}"""))
        {
            var deactivated = await AssertPatchedAsync(off);
            AssertPatchedFrom(before, deactivated, DefaultState with { Active = false });
        }

        using var on = await PatchAsync(IdOf(before), """{"active":true}""");
        var reactivated = await AssertPatchedAsync(on);
        AssertPatchedFrom(before, reactivated, DefaultState);
    }

    [Test]
    public async Task Patch_active_true_when_already_active_changes_nothing()
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), """{"active":true}""");

        var after = await AssertPatchedAsync(response);
        AssertSameResource(after, before, "activating an active endpoint changes nothing");
    }

    [TestCaseSource(nameof(RefusedActive))]
    public async Task Patch_active_not_a_boolean_is_refused(string activeJson)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), $$"""{"active":{{activeJson}}}""");

        await ApiAssert.ValidationFailed(response, Details("active", "must be a boolean"));
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Patch_api_version_current_value_is_accepted_and_changes_nothing()
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), """{"api_version":"2026-04-01"}""");

        var after = await AssertPatchedAsync(response);
        AssertSameResource(after, before, "sending the current api_version changes nothing, updated_at included");
    }

    [Test]
    public async Task Patch_api_version_current_value_with_another_change_applies_the_change()
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), """{"api_version":"2026-04-01","active":false}""");

        var after = await AssertPatchedAsync(response);
        AssertPatchedFrom(before, after, DefaultState with { Active = false });
    }

    [TestCaseSource(nameof(RefusedApiVersions))]
    public async Task Patch_api_version_other_value_is_refused(string versionJson, string message)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), $$"""{"api_version":{{versionJson}}}""");

        await ApiAssert.ValidationFailed(response, Details("api_version", message));
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Patch_api_version_other_value_refuses_the_whole_patch()
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), """{"api_version":"2026-05-01","active":false,"description":"New"}""");

        await ApiAssert.ValidationFailed(response, Details("api_version", Immutable));
        await AssertUnchangedAsync(before);
    }
}
