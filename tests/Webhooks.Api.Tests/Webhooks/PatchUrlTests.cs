using Webhooks.Api.Tests.Support;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary><c>url</c>: the HTTPS rule (the same as create); <c>null</c> is refused.</summary>
[TestFixture]
public sealed class PatchUrlTests : WebhooksFixture
{
    private const string MustUseHttps = "must use https";
    private const string MustBeAbsolute = "must be an absolute https URL";
    private const string NoUserInfo = "must not contain a user name or password";
    private const string NoFragment = "must not contain a fragment";
    private const string TooLong = "must be at most 2048 characters";
    private const string NoWhiteSpace = "must not contain white space, control characters or backslashes";
    private const string MustBeText = "must be valid Unicode text";

    // "https://hooks.example.com/" is 26 characters.
    private static readonly string Url2048 = "https://hooks.example.com/" + new string('a', 2048 - 26);
    private static readonly string Url2049 = "https://hooks.example.com/" + new string('a', 2049 - 26);

    private static IEnumerable<TestCaseData> AcceptedUrls()
    {
        yield return new TestCaseData("https://hooks.example.com/new", "https://hooks.example.com/new").SetName("url accepted as sent");
        yield return new TestCaseData("HTTPS://Hooks.Example.COM/p", "https://hooks.example.com/p").SetName("url scheme and host lower-cased");
        yield return new TestCaseData("https://Hooks.Example.com/CasePath?Q=Keep", "https://hooks.example.com/CasePath?Q=Keep")
            .SetName("url path and query keep their case");
        yield return new TestCaseData("https://bücher.example/hook", "https://xn--bcher-kva.example/hook").SetName("url IDN host stored as punycode");
        yield return new TestCaseData("https://BÜCHER.example/hook", "https://xn--bcher-kva.example/hook").SetName("url upper-case IDN host stored as lower-case punycode");
        yield return new TestCaseData("  https://hooks.example.com/trimmed \t\n", "https://hooks.example.com/trimmed").SetName("url surrounding white space trimmed");
        yield return new TestCaseData("https://hooks.example.com:8443/p?a=1&b=2", "https://hooks.example.com:8443/p?a=1&b=2").SetName("url port and query kept");
        yield return new TestCaseData("https://hooks.example.com", "https://hooks.example.com").SetName("url without path");
        yield return new TestCaseData(Url2048, Url2048).SetName("url of exactly 2048 characters");
        yield return new TestCaseData("https://8.8.8.8/hook", "https://8.8.8.8/hook").SetName("url public IPv4 literal accepted");
    }

    private static IEnumerable<TestCaseData> RefusedUrls()
    {
        yield return new TestCaseData(Quote("http://hooks.example.com/p"), MustUseHttps).SetName("url http refused");
        yield return new TestCaseData(Quote("HTTP://hooks.example.com/p"), MustUseHttps).SetName("url upper-case HTTP refused");
        yield return new TestCaseData(Quote("ftp://hooks.example.com/p"), MustUseHttps).SetName("url ftp refused");
        yield return new TestCaseData(Quote("hooks.example.com/p"), MustBeAbsolute).SetName("url without scheme refused");
        yield return new TestCaseData(Quote("//hooks.example.com/p"), MustBeAbsolute).SetName("url scheme-relative refused");
        yield return new TestCaseData(Quote("/relative/path"), MustBeAbsolute).SetName("url relative path refused");
        yield return new TestCaseData(Quote("https://"), MustBeAbsolute).SetName("url without host refused");
        yield return new TestCaseData(Quote("https://user:pw@hooks.example.com/p"), NoUserInfo).SetName("url user and password refused");
        yield return new TestCaseData(Quote("https://user@hooks.example.com/p"), NoUserInfo).SetName("url user name refused");
        yield return new TestCaseData(Quote("https://hooks.example.com/p#frag"), NoFragment).SetName("url fragment refused");
        yield return new TestCaseData(Quote("https://hooks.example.com/p#"), NoFragment).SetName("url empty fragment refused");
        yield return new TestCaseData(Quote(Url2049), TooLong).SetName("url of 2049 characters refused");
        yield return new TestCaseData(Quote(""), MustBeAbsolute).SetName("url empty string refused");
        yield return new TestCaseData(Quote("   "), MustBeAbsolute).SetName("url white space only refused");
        yield return new TestCaseData(Quote("https://hooks.example.com/a b"), NoWhiteSpace).SetName("url inner space refused");
        yield return new TestCaseData(Quote("https://hooks.example.com\\p"), NoWhiteSpace).SetName("url backslash refused");
        yield return new TestCaseData("null", "must not be null").SetName("url null refused");
        yield return new TestCaseData("42", "must be a string").SetName("url number refused");
        yield return new TestCaseData("{\"href\":\"https://hooks.example.com/\"}", "must be a string").SetName("url object refused");
        yield return new TestCaseData("[\"https://hooks.example.com/\"]", "must be a string").SetName("url array refused");
        yield return new TestCaseData("true", "must be a string").SetName("url boolean refused");
        yield return new TestCaseData("\"https://hooks.example.com/\\ud83d\"", MustBeText).SetName("url with an escaped lone high surrogate refused");
        yield return new TestCaseData("\"https://hooks.example.com/\\udc00x\"", MustBeText).SetName("url with an escaped lone low surrogate refused");
    }

    [TestCaseSource(nameof(AcceptedUrls))]
    public async Task Patch_url_accepted_is_stored_normalized(string sent, string stored)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), $$"""{"url":{{Quote(sent)}}}""");

        var after = await AssertPatchedAsync(response);
        AssertPatchedFrom(before, after, DefaultState with { Url = stored });
    }

    [TestCaseSource(nameof(RefusedUrls))]
    public async Task Patch_url_refused_with_its_reason_and_nothing_written(string urlJson, string message)
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), $$"""{"url":{{urlJson}}}""");

        await ApiAssert.ValidationFailed(response, Details("url", message));
        await AssertUnchangedAsync(before);
    }

    [Test]
    public async Task Patch_url_equal_after_normalization_is_not_a_change()
    {
        var before = await CreateEndpointAsync();

        using var response = await PatchAsync(IdOf(before), """{"url":"  HTTPS://HOOKS.EXAMPLE.COM/y3labs/ops "}""");

        var after = await AssertPatchedAsync(response);
        AssertSameResource(after, before, "the same URL in another spelling changes nothing");
    }
}
