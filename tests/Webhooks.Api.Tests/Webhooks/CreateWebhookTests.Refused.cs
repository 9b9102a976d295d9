using Webhooks.Api.Http;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>The refusals of <c>POST /v1/webhooks</c>: the body, and every detail it must get (the code's messages).</summary>
public sealed partial class CreateWebhookTests
{
    private const string Required = RequestReader.IsRequired;
    private const string ReadOnly = JsonObjectReader.ReadOnlyMessage;
    private const string Unknown = JsonObjectReader.UnknownFieldMessage;
    private const string NotString = JsonObjectReader.MustBeStringMessage;
    private const string NotBoolean = JsonObjectReader.MustBeBooleanMessage;
    private const string NotArray = JsonObjectReader.MustBeArrayOfStringsMessage;
    private const string NotText = JsonObjectReader.MustBeTextMessage;

    // The catalog's message lists the configured versions.
    private const string UnknownApiVersion = "must be one of: 2026-04-01";

    private static IEnumerable<TestCaseData> Refused()
    {
        foreach (var (name, json, missing) in new[]
        {
            ("Create_WithEmptyObject_RequiresUrlAndEvents", "{}", new[] { "url", "events" }),
            ("Create_WithOnlyOptionalFields_RequiresUrlAndEvents", """{"description":"x","active":true}""", ["url", "events"]),
            ("Create_WithoutUrl_RequiresUrl", """{"events":["wallet.balance_low"]}""", ["url"]),
            ("Create_WithoutEvents_RequiresEvents", """{"url":"https://hooks.example.com/x"}""", ["events"]),
            ("Create_WithNullUrl_RequiresUrl", """{"url":null,"events":["wallet.balance_low"]}""", ["url"]),
            ("Create_WithNullEvents_RequiresEvents", """{"url":"https://hooks.example.com/x","events":null}""", ["events"]),
            ("Create_WithBothNull_RequiresBoth", """{"url":null,"events":null}""", ["url", "events"]),
        })
        {
            yield return new TestCaseData(json, missing.ToDictionary(field => field, _ => Required)).SetName(name);
        }

        foreach (var version in new[] { "2025-01-01", "2026-04-02", "2026-4-1", string.Empty, "latest" })
        {
            yield return Member($"Create_WithAnUnknownApiVersion_Is400({Quote(version)})", $"\"api_version\":{Quote(version)}", "api_version", UnknownApiVersion);
        }

        foreach (var (field, value) in new[]
        {
            ("id", "\"0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4\""), ("org_id", "\"0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b5\""),
            ("created_at", "\"2026-04-26T12:00:00Z\""), ("updated_at", "\"2026-04-26T12:00:00Z\""), ("deleted_at", "null"), ("secret", "\"whsec_abc\""),
        })
        {
            yield return Member($"Create_WithAReadOnlyField_Is400({field})", $"\"{field}\":{value}", field, ReadOnly);
        }

        foreach (var field in new[] { "urll", "Url", "event", "enabled", "apiVersion" })
        {
            yield return Member($"Create_WithAnUnknownField_Is400({field})", $"\"{field}\":\"x\"", field, Unknown);
        }

        yield return Refuse(
            "Create_WithEveryReadOnlyAndUnknownField_NamesEachOne",
            """
            {"url":"https://hooks.example.com/x","events":["wallet.balance_low"],
             "id":"0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4","org_id":"0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b5",
             "created_at":"2026-04-26T12:00:00Z","updated_at":"2026-04-26T12:00:00Z","deleted_at":null,
             "secret":"whsec_x","urll":"https://hooks.example.com/y"}
            """,
            "id", ReadOnly, "org_id", ReadOnly, "created_at", ReadOnly, "updated_at", ReadOnly, "deleted_at", ReadOnly, "secret", ReadOnly, "urll", Unknown);
        yield return Refuse(
            "Create_WithARepeatedField_Is400",
            """{"url":"https://hooks.example.com/x","url":"https://hooks.example.com/y","events":["wallet.balance_low"]}""",
            "url", JsonObjectReader.RepeatedMessage);

        // A wrong JSON type is named.
        yield return Member("Create_WithAWrongJsonType_Is400NamingTheField(url number)", "\"url\":5", "url", NotString);
        yield return Member("Create_WithAWrongJsonType_Is400NamingTheField(url array)", "\"url\":[\"https://hooks.example.com/x\"]", "url", NotString);
        yield return Member("Create_WithAWrongJsonType_Is400NamingTheField(events string)", "\"events\":\"wallet.balance_low\"", "events", NotArray);
        yield return Member("Create_WithAWrongJsonType_Is400NamingTheField(events object)", "\"events\":{\"0\":\"wallet.balance_low\"}", "events", NotArray);
        yield return Member("Create_WithAWrongJsonType_Is400NamingTheField(events number item)", "\"events\":[\"wallet.balance_low\",1]", "events[1]", NotString);
        yield return Member("Create_WithAWrongJsonType_Is400NamingTheField(events null item)", "\"events\":[null]", "events[0]", NotString);
        yield return Member("Create_WithAWrongJsonType_Is400NamingTheField(description number)", "\"description\":42", "description", NotString);
        yield return Member("Create_WithAWrongJsonType_Is400NamingTheField(active string)", "\"active\":\"true\"", "active", NotBoolean);
        yield return Member("Create_WithAWrongJsonType_Is400NamingTheField(active number)", "\"active\":1", "active", NotBoolean);
        yield return Member("Create_WithAWrongJsonType_Is400NamingTheField(active null)", "\"active\":null", "active", NotBoolean);
        yield return Member("Create_WithAWrongJsonType_Is400NamingTheField(api_version number)", "\"api_version\":20260401", "api_version", NotString);

        // A rule of a field is broken.
        yield return Member("Create_BreakingARule_Is400NamingTheField(url http)", "\"url\":\"http://hooks.example.com/x\"", "url", HttpsUrl.NotHttpsMessage);
        yield return Member("Create_BreakingARule_Is400NamingTheField(url empty)", "\"url\":\"\"", "url", HttpsUrl.NotAbsoluteMessage);
        yield return Member("Create_BreakingARule_Is400NamingTheField(url without scheme)", "\"url\":\"hooks.example.com/x\"", "url", HttpsUrl.NotAbsoluteMessage);
        yield return Member("Create_BreakingARule_Is400NamingTheField(url user info)", "\"url\":\"https://user:pw@hooks.example.com/x\"", "url", HttpsUrl.UserInfoMessage);
        yield return Member("Create_BreakingARule_Is400NamingTheField(url fragment)", "\"url\":\"https://hooks.example.com/x#frag\"", "url", HttpsUrl.FragmentMessage);
        yield return Member("Create_BreakingARule_Is400NamingTheField(events empty)", "\"events\":[]", "events", EventTypeSet.EmptyMessage);
        yield return Member("Create_BreakingARule_Is400NamingTheField(events unknown)", "\"events\":[\"Wallet.Balance_Low\"]", "events[0]", "unknown event type 'Wallet.Balance_Low'");
        yield return Member("Create_BreakingARule_Is400NamingTheField(description control)", "\"description\":\"a\\u0001b\"", "description", Description.ControlCharactersMessage);
        yield return Member("Create_BreakingARule_Is400NamingTheField(url relative path)", "\"url\":\"/relative/path\"", "url", HttpsUrl.NotAbsoluteMessage);
        yield return Member("Create_BreakingARule_Is400NamingTheField(url scheme-relative)", "\"url\":\"//hooks.example.com/x\"", "url", HttpsUrl.NotAbsoluteMessage);

        // A JSON string with an escaped lone surrogate has no text: it is named, and nothing else is said of its field.
        yield return Member("Create_WithALoneSurrogateInUrl_Is400", "\"url\":\"https://hooks.example.com/\\ud83d\"", "url", NotText);
        yield return Member("Create_WithALoneSurrogateInDescription_Is400", "\"description\":\"half \\ud83d emoji\"", "description", NotText);
        yield return Member("Create_WithALoneSurrogateInAnEvent_Is400", "\"events\":[\"wallet.balance_low\",\"\\udc00\"]", "events[1]", NotText);
        yield return Member("Create_WithALoneSurrogateInApiVersion_Is400", "\"api_version\":\"2026-04-01\\ud83d\"", "api_version", NotText);

        yield return Refuse(
            "Create_WithEveryRuleViolated_ReportsAllTogether",
            $$"""
            {"url":"http://hooks.example.com/x","events":["wallet.balance_low","wallet.nope","wallet.balance_low","other"],
             "description":"{{new string('d', 201)}}","api_version":"2025-01-01"}
            """,
            "url", HttpsUrl.NotHttpsMessage, "description", Description.TooLongMessage, "events[1]", "unknown event type 'wallet.nope'", "events[3]", "unknown event type 'other'", "api_version", UnknownApiVersion);
        yield return Refuse(
            "Create_WithShapeErrorsAndRuleViolations_ReportsAllTogether",
            """{"url":"/relative/path","events":["wallet.balance_low","\udc00","nope"],"description":"a\u0007","active":null,"secret":"x"}""",
            "url", HttpsUrl.NotAbsoluteMessage, "events[1]", NotText, "events[2]", "unknown event type 'nope'", "description", Description.ControlCharactersMessage, "active", NotBoolean, "secret", ReadOnly);
    }

    /// <summary>A valid body (a URL and one event) with <paramref name="member"/> added, or replacing the member of its name.</summary>
    private static TestCaseData Member(string name, string member, string field, string message)
    {
        var fields = new Dictionary<string, string>
        {
            ["url"] = "\"url\":\"https://hooks.example.com/x\"",
            ["events"] = "\"events\":[\"wallet.balance_low\"]",
        };
        fields[member.Split(':')[0].Trim('"')] = member;
        return Refuse(name, "{" + string.Join(",", fields.Values) + "}", field, message);
    }

    private static TestCaseData Refuse(string name, string json, params string[] keysAndMessages) =>
        new TestCaseData(json, Details(keysAndMessages)).SetName(name);
}
