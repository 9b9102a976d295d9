using Webhooks.Api.Tests.Support;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// <c>events</c>: replaces the whole set; a non-empty array of known event types, duplicates
/// collapsed keeping the first occurrence's order; <c>null</c> and <c>[]</c> refused; an unknown
/// one refused and named.
/// </summary>
[TestFixture]
public sealed class PatchEventsTests : WebhooksFixture
{
    private static IEnumerable<TestCaseData> AcceptedEvents()
    {
        yield return new TestCaseData("""["subscription.canceled"]""", new[] { Canceled }).SetName("events one replaces the whole set");
        yield return new TestCaseData("""["subscription.past_due","wallet.balance_low"]""", new[] { PastDue, BalanceLow })
            .SetName("events order kept");
        yield return new TestCaseData("""["wallet.balance_zero","wallet.balance_low"]""", new[] { BalanceZero, BalanceLow })
            .SetName("events same set in another order kept in that order");
        yield return new TestCaseData(
                """["wallet.balance_zero","wallet.balance_low","wallet.balance_zero","wallet.balance_low"]""",
                new[] { BalanceZero, BalanceLow })
            .SetName("events duplicates collapsed keeping first occurrence order");
        yield return new TestCaseData(
                """["subscription.canceled","subscription.past_due","wallet.balance_zero","wallet.balance_low"]""",
                new[] { Canceled, PastDue, BalanceZero, BalanceLow })
            .SetName("events all four");
    }

    private static IEnumerable<TestCaseData> RefusedEvents()
    {
        yield return new TestCaseData("[]", Details("events", "must contain at least one event type")).SetName("events empty array refused");
        yield return new TestCaseData("null", Details("events", "must be a non-empty array of event types")).SetName("events null refused");
        yield return new TestCaseData("""["wallet.balance_low","x"]""", Details("events[1]", "unknown event type 'x'"))
            .SetName("events unknown one named");
        yield return new TestCaseData(
                """["nope","wallet.balance_low","also.nope"]""",
                Details("events[0]", "unknown event type 'nope'", "events[2]", "unknown event type 'also.nope'"))
            .SetName("events several unknown named together");
        yield return new TestCaseData("""["Wallet.Balance_Low"]""", Details("events[0]", "unknown event type 'Wallet.Balance_Low'"))
            .SetName("events names are case-sensitive");
        yield return new TestCaseData("""[""]""", Details("events[0]", "unknown event type ''")).SetName("events empty name refused");
        yield return new TestCaseData("[1]", Details("events[0]", "must be a string")).SetName("events number item refused");
        yield return new TestCaseData("""["wallet.balance_low",null]""", Details("events[1]", "must be a string")).SetName("events null item refused");
        yield return new TestCaseData("""[["wallet.balance_low"]]""", Details("events[0]", "must be a string")).SetName("events array item refused");
        yield return new TestCaseData("""[{"name":"wallet.balance_low"}]""", Details("events[0]", "must be a string")).SetName("events object item refused");
        yield return new TestCaseData("[true,false]", Details("events[0]", "must be a string", "events[1]", "must be a string"))
            .SetName("events several non-string items named together");
        yield return new TestCaseData(Quote(BalanceLow), Details("events", "must be an array of strings")).SetName("events string instead of array refused");
        yield return new TestCaseData("42", Details("events", "must be an array of strings")).SetName("events number refused");
        yield return new TestCaseData("""{"0":"wallet.balance_low"}""", Details("events", "must be an array of strings")).SetName("events object refused");
        yield return new TestCaseData("true", Details("events", "must be an array of strings")).SetName("events boolean refused");

        yield return new TestCaseData("""["wallet.balance_low","\ud83d"]""", Details("events[1]", "must be valid Unicode text"))
            .SetName("events item with an escaped lone surrogate refused");
        yield return new TestCaseData("""["wallet.\udc00balance_low","x"]""", Details("events[0]", "must be valid Unicode text", "events[1]", "unknown event type 'x'"))
            .SetName("events undecodable item and unknown name reported together");

        // Every violation is reported together: a non-string item and an unknown name in one array.
        yield return new TestCaseData("""[1,"x"]""", Details("events[0]", "must be a string", "events[1]", "unknown event type 'x'"))
            .SetName("events non-string item and unknown name reported together");
    }

    [TestCaseSource(nameof(AcceptedEvents))]
    public async Task Patch_events_replaces_the_set(string eventsJson, string[] stored)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), $$"""{"events":{{eventsJson}}}""");

        var after = await AssertPatchedAsync(response);
        AssertPatchedFrom(before, after, DefaultState with { Events = stored });
    }

    [TestCaseSource(nameof(RefusedEvents))]
    public async Task Patch_events_refused_with_its_reason_and_nothing_written(string eventsJson, Dictionary<string, string> details)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), $$"""{"events":{{eventsJson}}}""");

        await ApiAssert.ValidationFailed(response, details);
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Patch_events_read_append_write_adds_one_event()
    {
        var before = await CreateEndpointAsync();
        var current = before.GetProperty("events").EnumerateArray().Select(e => e.GetString()!).ToList();
        current.Add(PastDue);

        using var response = await PatchAsync(IdOf(before), Json.Body(new { events = current }));

        var after = await AssertPatchedAsync(response);
        AssertPatchedFrom(before, after, DefaultState with { Events = [BalanceLow, BalanceZero, PastDue] });
    }

    [Test]
    public async Task Patch_events_same_set_with_duplicates_is_not_a_change()
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), """{"events":["wallet.balance_low","wallet.balance_low","wallet.balance_zero"]}""");

        var after = await AssertPatchedAsync(response);
        AssertSameResource(after, before, "the same set, once duplicates are collapsed, changes nothing");
    }
}
