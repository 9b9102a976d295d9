using Webhooks.Api.Tests.Support;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// Which fields a PATCH takes: absent leaves a field unchanged; unknown and read-only fields and
/// repeated names are refused; every violation is reported together and nothing is written.
/// </summary>
[TestFixture]
public sealed class PatchFieldsTests : WebhooksFixture
{
    private const string Unknown = "is not a known field";
    private const string ReadOnly = "is read-only";
    private const string Once = "must appear only once";

    private static IEnumerable<TestCaseData> RefusedFields()
    {
        yield return new TestCaseData("""{"urll":"https://hooks.example.com/typo"}""", Details("urll", Unknown)).SetName("field typo urll refused");
        yield return new TestCaseData("""{"URL":"https://hooks.example.com/upper"}""", Details("URL", Unknown)).SetName("field names are case-sensitive");
        yield return new TestCaseData("""{"event":["wallet.balance_low"]}""", Details("event", Unknown)).SetName("field singular event refused");
        yield return new TestCaseData("""{"enabled":false}""", Details("enabled", Unknown)).SetName("field enabled refused");
        yield return new TestCaseData("""{"extra":null}""", Details("extra", Unknown)).SetName("field unknown with null value refused");
        yield return new TestCaseData("""{"id":"0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4"}""", Details("id", ReadOnly)).SetName("field id read-only");
        yield return new TestCaseData("""{"org_id":"0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b5"}""", Details("org_id", ReadOnly)).SetName("field org_id read-only");
        yield return new TestCaseData("""{"created_at":"2026-04-26T12:00:00Z"}""", Details("created_at", ReadOnly)).SetName("field created_at read-only");
        yield return new TestCaseData("""{"updated_at":"2026-04-27T08:30:00Z"}""", Details("updated_at", ReadOnly)).SetName("field updated_at read-only");
        yield return new TestCaseData("""{"deleted_at":null}""", Details("deleted_at", ReadOnly)).SetName("field deleted_at read-only");
        yield return new TestCaseData("""{"deleted_at":"2026-04-27T08:30:00Z"}""", Details("deleted_at", ReadOnly)).SetName("field deleted_at with a value read-only");
        yield return new TestCaseData("""{"secret":"whsec_AAAA"}""", Details("secret", ReadOnly)).SetName("field secret read-only");
        yield return new TestCaseData(
                """{"id":"x","secret":"y","urll":"z","created_at":1}""",
                Details("id", ReadOnly, "secret", ReadOnly, "urll", Unknown, "created_at", ReadOnly))
            .SetName("fields unknown and read-only reported together");
        yield return new TestCaseData(
                """{"url":"https://a.example.com/","url":"https://b.example.com/"}""",
                Details("url", Once)).SetName("field url repeated refused");
        yield return new TestCaseData("""{"active":false,"active":false}""", Details("active", Once)).SetName("field active repeated with the same value refused");
        yield return new TestCaseData(
                """{"description":"a","events":["wallet.balance_low"],"description":"b"}""",
                Details("description", Once)).SetName("field description repeated around another refused");
        yield return new TestCaseData("""{"urll":1,"urll":2}""", Details("urll", Once)).SetName("field unknown repeated refused");
        yield return new TestCaseData("""{"active":false,"\ud83d":1}""", Details("body", "is not valid JSON"))
            .SetName("field name with an escaped lone surrogate makes the body not valid JSON");
    }

    /// <summary>One field at a time: the others stay exactly as they were.</summary>
    private static IEnumerable<TestCaseData> SingleFieldPatches()
    {
        yield return new TestCaseData("""{"url":"https://other.example.com/x"}""", DefaultState with { Url = "https://other.example.com/x" })
            .SetName("only url changes url");
        yield return new TestCaseData("""{"description":"Only this"}""", DefaultState with { Description = "Only this" })
            .SetName("only description changes description");
        yield return new TestCaseData("""{"description":null}""", DefaultState with { Description = null })
            .SetName("only description null clears description");
        yield return new TestCaseData("""{"events":["subscription.past_due"]}""", DefaultState with { Events = [PastDue] })
            .SetName("only events changes events");
        yield return new TestCaseData("""{"active":false}""", DefaultState with { Active = false })
            .SetName("only active changes active");
        yield return new TestCaseData(
                """{"url":"https://all.example.com/","description":"All","events":["subscription.canceled","wallet.balance_zero"],"active":false,"api_version":"2026-04-01"}""",
                new EndpointState("https://all.example.com/", "All", [Canceled, BalanceZero], false, CurrentApiVersion))
            .SetName("every field at once");
    }

    [TestCaseSource(nameof(RefusedFields))]
    public async Task Patch_with_unknown_read_only_or_repeated_field_is_refused(string body, Dictionary<string, string> details)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), body);

        await ApiAssert.ValidationFailed(response, details);
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Patch_read_only_field_with_its_current_value_is_still_refused()
    {
        var before = await CreateEndpointAsync();
        var body = $$"""{"id":{{Quote(IdOf(before))}},"org_id":{{Quote(Org.OrgId.ToString())}},"created_at":{{Quote(before.GetProperty("created_at").GetString()!)}}}""";

        using var response = await PatchAsync(IdOf(before), body);

        await ApiAssert.ValidationFailed(response, Details("id", ReadOnly, "org_id", ReadOnly, "created_at", ReadOnly));
        await AssertUnchangedAsync(before);
    }

    [TestCaseSource(nameof(SingleFieldPatches))]
    public async Task Patch_absent_fields_are_left_unchanged(string body, EndpointState expected)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), body);

        var after = await AssertPatchedAsync(response);
        AssertPatchedFrom(before, after, expected);
    }

    [Test]
    public async Task Patch_description_only_leaves_a_previously_patched_endpoint_untouched()
    {
        var before = await CreateEndpointAsync();
        using (var first = await PatchAsync(IdOf(before), """{"url":"https://first.example.com/","events":["subscription.canceled"],"active":false}"""))
        {
            await AssertPatchedAsync(first);
        }

        using var response = await PatchAsync(IdOf(before), """{"description":"Only the label"}""");

        var after = await AssertPatchedAsync(response);
        AssertPatchedFrom(before, after, new EndpointState("https://first.example.com/", "Only the label", [Canceled], false, CurrentApiVersion));
    }

    [Test]
    public async Task Patch_every_violation_is_reported_together_and_nothing_is_written()
    {
        var before = await CreateEndpointAsync();
        var body = $$"""
            {"url":"http://hooks.example.com/plain",
             "description":{{Quote(new string('d', 201))}},
             "events":["wallet.balance_low","nope","subscription.canceled","gone"],
             "active":false,
             "api_version":"2030-01-01"}
            """;

        using var response = await PatchAsync(IdOf(before), body);

        await ApiAssert.ValidationFailed(response, Details(
            "url", "must use https",
            "description", "must be at most 200 characters",
            "events[1]", "unknown event type 'nope'",
            "events[3]", "unknown event type 'gone'",
            "api_version", "is immutable; create a new endpoint at the new version"));
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Patch_one_violation_among_valid_changes_writes_none_of_them()
    {
        var before = await CreateEndpointAsync();
        var body = """{"url":"https://valid.example.com/","events":["subscription.past_due"],"active":false,"description":"bad\u0001label"}""";

        using var response = await PatchAsync(IdOf(before), body);

        await ApiAssert.ValidationFailed(response, Details("description", "must not contain control characters"));
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Patch_type_and_field_problems_are_reported_together_with_rule_violations()
    {
        var before = await CreateEndpointAsync();
        var body = """{"url":"http://hooks.example.com/plain","active":"yes","urll":"x","secret":"y","events":["wallet.balance_low",7,"nope"],"api_version":"2030-01-01"}""";

        using var response = await PatchAsync(IdOf(before), body);

        await ApiAssert.ValidationFailed(response, Details(
            "url", "must use https",
            "active", "must be a boolean",
            "urll", Unknown,
            "secret", ReadOnly,
            "events[1]", "must be a string",
            "events[2]", "unknown event type 'nope'",
            "api_version", "is immutable; create a new endpoint at the new version"));
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Patch_null_url_and_null_events_are_reported_together_with_rule_violations()
    {
        var before = await CreateEndpointAsync();
        var body = $$"""{"url":null,"events":null,"active":null,"description":{{Quote(new string('d', 201))}}}""";

        using var response = await PatchAsync(IdOf(before), body);

        await ApiAssert.ValidationFailed(response, Details(
            "url", "must not be null",
            "events", "must be a non-empty array of event types",
            "active", "must be a boolean",
            "description", "must be at most 200 characters"));
        await AssertUnchangedAsync(before);
    }
}
