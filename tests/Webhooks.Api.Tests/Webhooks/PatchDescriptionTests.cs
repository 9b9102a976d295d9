using Webhooks.Api.Tests.Support;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// <c>description</c>: trimmed; empty after trimming, or <c>null</c>, clears the label; at most 200
/// code points after trimming; no control characters.
/// </summary>
[TestFixture]
public sealed class PatchDescriptionTests : WebhooksFixture
{
    private const string TooLong = "must be at most 200 characters";
    private const string NoControl = "must not contain control characters";

    private static IEnumerable<TestCaseData> AcceptedDescriptions()
    {
        yield return new TestCaseData(Quote("Billing alerts"), "Billing alerts").SetName("description set");
        yield return new TestCaseData(Quote("  Billing alerts \t"), "Billing alerts").SetName("description trimmed");
        yield return new TestCaseData(Quote("Émoji 🚀 and ünïcödé"), "Émoji 🚀 and ünïcödé").SetName("description non-ASCII kept");
        yield return new TestCaseData(Quote(""), null).SetName("description empty string clears");
        yield return new TestCaseData(Quote("   "), null).SetName("description white space only clears");
        yield return new TestCaseData(Quote("\t\n "), null).SetName("description tab and newline only clears");
        yield return new TestCaseData("null", null).SetName("description null clears");
        yield return new TestCaseData(Quote(new string('a', 200)), new string('a', 200)).SetName("description of 200 characters accepted");
        yield return new TestCaseData(Quote(string.Concat(Enumerable.Repeat("😀", 200))), string.Concat(Enumerable.Repeat("😀", 200)))
            .SetName("description of 200 emoji accepted (an emoji counts once)");
        yield return new TestCaseData(Quote(new string('a', 199) + "😀"), new string('a', 199) + "😀").SetName("description of 199 letters and an emoji accepted");
        yield return new TestCaseData(Quote("  " + new string('b', 200) + "  "), new string('b', 200)).SetName("description of 200 characters after trimming accepted");
    }

    private static IEnumerable<TestCaseData> RefusedDescriptions()
    {
        yield return new TestCaseData(Quote(new string('a', 201)), TooLong).SetName("description of 201 characters refused");
        yield return new TestCaseData(Quote(string.Concat(Enumerable.Repeat("😀", 201))), TooLong).SetName("description of 201 emoji refused");
        yield return new TestCaseData(Quote(new string('a', 200) + "😀"), TooLong).SetName("description of 200 letters and an emoji refused");
        yield return new TestCaseData(Quote("line\nbreak"), NoControl).SetName("description inner newline refused");
        yield return new TestCaseData(Quote("bell\u0007"), NoControl).SetName("description BEL refused");
        yield return new TestCaseData(Quote("nul\u0000byte"), NoControl).SetName("description NUL refused");
        yield return new TestCaseData(Quote("del\u007f"), NoControl).SetName("description DEL refused");
        yield return new TestCaseData(Quote("c1\u0085control"), NoControl).SetName("description C1 control refused");
        yield return new TestCaseData("42", "must be a string").SetName("description number refused");
        yield return new TestCaseData("true", "must be a string").SetName("description boolean refused");
        yield return new TestCaseData("{}", "must be a string").SetName("description object refused");
        yield return new TestCaseData("[\"Ops\"]", "must be a string").SetName("description array refused");
    }

    [TestCaseSource(nameof(AcceptedDescriptions))]
    public async Task Patch_description_accepted(string descriptionJson, string? stored)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), $$"""{"description":{{descriptionJson}}}""");

        var after = await AssertPatchedAsync(response);
        AssertPatchedFrom(before, after, DefaultState with { Description = stored });
    }

    [TestCaseSource(nameof(RefusedDescriptions))]
    public async Task Patch_description_refused_with_its_reason_and_nothing_written(string descriptionJson, string message)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), $$"""{"description":{{descriptionJson}}}""");

        await ApiAssert.ValidationFailed(response, Details("description", message));
        await AssertUnchangedAsync(before);
    }

    [TestCase("""half \ud83d of an emoji""", TestName = "description with an escaped lone high surrogate refused")]
    [TestCase("""\udc00 low first""", TestName = "description with an escaped lone low surrogate refused")]
    [TestCase("""pair reversed \ude00\ud83d""", TestName = "description with an escaped reversed surrogate pair refused")]
    public async Task Patch_description_with_a_lone_surrogate_is_refused_not_a_server_error(string escaped)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), $$"""{"description":"{{escaped}}"}""");

        await ApiAssert.ValidationFailed(response, Details("description", "must be valid Unicode text"));
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Patch_description_cleared_then_set_again()
    {
        var before = await CreateEndpointAsync();

        using (var clear = await PatchAsync(IdOf(before), """{"description":null}"""))
        {
            var cleared = await AssertPatchedAsync(clear);
            AssertPatchedFrom(before, cleared, DefaultState with { Description = null });
        }

        using var set = await PatchAsync(IdOf(before), """{"description":"Back again"}""");
        var after = await AssertPatchedAsync(set);
        AssertPatchedFrom(before, after, DefaultState with { Description = "Back again" });
    }

    [Test]
    public async Task Patch_description_equal_after_trimming_is_not_a_change()
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), """{"description":"   Ops alerts   "}""");

        var after = await AssertPatchedAsync(response);
        AssertSameResource(after, before, "the same label with surrounding spaces changes nothing");
    }
}
