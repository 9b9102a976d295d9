using Webhooks.Api.Http;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>The table of <see cref="PatchFieldRulesTests"/>: one row per rule of a field.</summary>
public sealed partial class PatchFieldRulesTests
{
    private const string NotString = JsonObjectReader.MustBeStringMessage;
    private const string NotText = JsonObjectReader.MustBeTextMessage;
    private const string NotBoolean = JsonObjectReader.MustBeBooleanMessage;
    private const string NotArray = JsonObjectReader.MustBeArrayOfStringsMessage;
    private const string Unknown = JsonObjectReader.UnknownFieldMessage;
    private const string ReadOnly = JsonObjectReader.ReadOnlyMessage;
    private const string Once = JsonObjectReader.RepeatedMessage;
    private const string Immutable = WebhookEndpoint.ImmutableApiVersionMessage;

    // "https://hooks.example.com/" is 26 characters.
    private static readonly string Url2048 = "https://hooks.example.com/" + new string('a', HttpsUrl.MaxLength - 26);
    private static readonly string Url2049 = Url2048 + "a";
    private static readonly string Emoji200 = string.Concat(Enumerable.Repeat("😀", Description.MaxLength));

    private static IEnumerable<TestCaseData> Accepted()
    {
        TestCaseData Url(string name, string sent, string stored) => Case(name, Field("url", Quote(sent)), DefaultState with { Url = stored });
        yield return Url("url accepted as sent", "https://hooks.example.com/new", "https://hooks.example.com/new");
        yield return Url("url scheme and host lower-cased", "HTTPS://Hooks.Example.COM/p", "https://hooks.example.com/p");
        yield return Url("url path and query keep their case", "https://Hooks.Example.com/CasePath?Q=Keep", "https://hooks.example.com/CasePath?Q=Keep");
        yield return Url("url IDN host stored as punycode", "https://bücher.example/hook", "https://xn--bcher-kva.example/hook");
        yield return Url("url upper-case IDN host stored as lower-case punycode", "https://BÜCHER.example/hook", "https://xn--bcher-kva.example/hook");
        yield return Url("url surrounding white space trimmed", "  https://hooks.example.com/trimmed \t\n", "https://hooks.example.com/trimmed");
        yield return Url("url port and query kept", "https://hooks.example.com:8443/p?a=1&b=2", "https://hooks.example.com:8443/p?a=1&b=2");
        yield return Url("url without path", "https://hooks.example.com", "https://hooks.example.com");
        yield return Url("url of exactly 2048 characters", Url2048, Url2048);
        yield return Url("url public IPv4 literal accepted", "https://8.8.8.8/hook", "https://8.8.8.8/hook");

        TestCaseData Label(string name, string json, string? stored) => Case(name, Field("description", json), DefaultState with { Description = stored });
        yield return Label("description set", Quote("Billing alerts"), "Billing alerts");
        yield return Label("description trimmed", Quote("  Billing alerts \t"), "Billing alerts");
        yield return Label("description non-ASCII kept", Quote("Émoji 🚀 and ünïcödé"), "Émoji 🚀 and ünïcödé");
        yield return Label("description empty string clears", Quote(string.Empty), null);
        yield return Label("description white space only clears", Quote("   "), null);
        yield return Label("description tab and newline only clears", Quote("\t\n "), null);
        yield return Label("description null clears", "null", null);
        yield return Label("description of 200 characters accepted", Quote(new string('a', 200)), new string('a', 200));
        yield return Label("description of 200 emoji accepted (an emoji counts once)", Quote(Emoji200), Emoji200);
        yield return Label("description of 199 letters and an emoji accepted", Quote(new string('a', 199) + "😀"), new string('a', 199) + "😀");
        yield return Label("description of 200 characters after trimming accepted", Quote("  " + new string('b', 200) + "  "), new string('b', 200));

        TestCaseData Events(string name, string json, string[] stored) => Case(name, Field("events", json), DefaultState with { Events = stored });
        yield return Events("events one replaces the whole set", """["subscription.canceled"]""", [Canceled]);
        yield return Events("events order kept", """["subscription.past_due","wallet.balance_low"]""", [PastDue, BalanceLow]);
        yield return Events("events same set in another order kept in that order", """["wallet.balance_zero","wallet.balance_low"]""", [BalanceZero, BalanceLow]);
        yield return Events(
            "events duplicates collapsed keeping first occurrence order",
            """["wallet.balance_zero","wallet.balance_low","wallet.balance_zero","wallet.balance_low"]""",
            [BalanceZero, BalanceLow]);
        yield return Events(
            "events all four",
            """["subscription.canceled","subscription.past_due","wallet.balance_zero","wallet.balance_low"]""",
            [Canceled, PastDue, BalanceZero, BalanceLow]);
        yield return Events("events read-append-write adds one event", """["wallet.balance_low","wallet.balance_zero","subscription.past_due"]""", [BalanceLow, BalanceZero, PastDue]);

        yield return Case("api_version current value with another change applies the change", """{"api_version":"2026-04-01","active":false}""", DefaultState with { Active = false });

        // One field at a time: the others stay exactly as they were.
        yield return Case("only url changes url", """{"url":"https://other.example.com/x"}""", DefaultState with { Url = "https://other.example.com/x" });
        yield return Case("only description changes description", """{"description":"Only this"}""", DefaultState with { Description = "Only this" });
        yield return Case("only description null clears description", """{"description":null}""", DefaultState with { Description = null });
        yield return Case("only events changes events", """{"events":["subscription.past_due"]}""", DefaultState with { Events = [PastDue] });
        yield return Case("only active changes active", """{"active":false}""", DefaultState with { Active = false });
        yield return Case(
            "every field at once",
            """{"url":"https://all.example.com/","description":"All","events":["subscription.canceled","wallet.balance_zero"],"active":false,"api_version":"2026-04-01"}""",
            new EndpointState("https://all.example.com/", "All", [Canceled, BalanceZero], false, CurrentApiVersion));
    }

    private static IEnumerable<TestCaseData> Unchanged()
    {
        yield return new TestCaseData("""{"url":"  HTTPS://HOOKS.EXAMPLE.COM/y3labs/ops "}""").SetName("url equal after normalization is not a change");
        yield return new TestCaseData("""{"description":"   Ops alerts   "}""").SetName("description equal after trimming is not a change");
        yield return new TestCaseData("""{"events":["wallet.balance_low","wallet.balance_low","wallet.balance_zero"]}""").SetName("events same set with duplicates is not a change");
        yield return new TestCaseData("""{"active":true}""").SetName("active true when already active changes nothing");
        yield return new TestCaseData("""{"api_version":"2026-04-01"}""").SetName("api_version current value is accepted and changes nothing");
    }

    private static IEnumerable<TestCaseData> TwoInARow()
    {
        yield return new TestCaseData("""{"active":false}""", DefaultState with { Active = false }, """{"active":true}""", DefaultState)
            .SetName("active false then true");
        yield return new TestCaseData("""{"description":null}""", DefaultState with { Description = null }, """{"description":"Back again"}""", DefaultState with { Description = "Back again" })
            .SetName("description cleared then set again");
        var moved = new EndpointState("https://first.example.com/", DefaultDescription, [Canceled], false, CurrentApiVersion);
        yield return new TestCaseData(
                """{"url":"https://first.example.com/","events":["subscription.canceled"],"active":false}""",
                moved,
                """{"description":"Only the label"}""",
                moved with { Description = "Only the label" })
            .SetName("description only leaves a previously patched endpoint untouched");
    }

    private static TestCaseData Case(string name, string body, EndpointState expected) => new TestCaseData(body, expected).SetName(name);

    private static TestCaseData Refuse(string name, string body, params string[] keysAndMessages) =>
        new TestCaseData(body, Details(keysAndMessages)).SetName(name);

    private static string Field(string name, string json) => $$"""{"{{name}}":{{json}}}""";
}
