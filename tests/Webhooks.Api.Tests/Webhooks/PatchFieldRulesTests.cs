using Webhooks.Api.Http;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// The rules of each field of <c>PATCH /v1/webhooks/{id}</c>, as one table through HTTP: what is
/// accepted and how it is stored, what changes nothing, and what is refused with which details (the
/// messages are the code's own constants). Absent fields stay unchanged; unknown and read-only fields
/// and repeated names are refused; every violation is reported together and nothing is written.
/// The cases are in <c>PatchFieldRulesTests.Cases.cs</c>.
/// </summary>
[TestFixture]
public sealed partial class PatchFieldRulesTests : WebhooksFixture
{
    [TestCaseSource(nameof(Accepted))]
    public async Task Patch_accepted_is_stored_normalized_and_other_fields_stay(string body, EndpointState expected)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), body);

        var after = await AssertPatchedAsync(response);
        AssertPatchedFrom(before, after, expected);
    }

    [TestCaseSource(nameof(Unchanged))]
    public async Task Patch_of_the_current_value_in_another_spelling_is_not_a_change(string body)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), body);

        var after = await AssertPatchedAsync(response);
        AssertSameResource(after, before, "the current values, in any accepted spelling, change nothing, updated_at included");
    }

    [TestCaseSource(nameof(Refused))]
    public async Task Patch_refused_with_every_reason_and_nothing_written(string body, Dictionary<string, string> details)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), body);

        await ApiAssert.ValidationFailed(response, details);
        await AssertUnchangedAsync(before);
    }

    [TestCaseSource(nameof(TwoInARow))]
    public async Task Patch_twice_each_applied_from_the_state_before(string first, EndpointState afterFirst, string second, EndpointState afterSecond)
    {
        var before = await CreateEndpointAsync();

        using (var one = await PatchAsync(IdOf(before), first))
        {
            var patched = await AssertPatchedAsync(one);
            AssertPatchedFrom(before, patched, afterFirst);
        }

        using var two = await PatchAsync(IdOf(before), second);
        var after = await AssertPatchedAsync(two);
        AssertPatchedFrom(before, after, afterSecond);
    }

    [Test]
    public async Task Patch_read_only_field_with_its_current_value_is_still_refused()
    {
        var before = await CreateEndpointAsync();
        var body = $$"""{"id":{{Quote(IdOf(before))}},"org_id":{{Quote(Org.OrgId.ToString())}},"created_at":{{Quote(before.GetProperty("created_at").GetString()!)}}}""";

        using var response = await PatchAsync(IdOf(before), body);

        await ApiAssert.ValidationFailed(response, Details("id", JsonObjectReader.ReadOnlyMessage, "org_id", JsonObjectReader.ReadOnlyMessage, "created_at", JsonObjectReader.ReadOnlyMessage));
        await AssertUnchangedAsync(before);
    }
}
