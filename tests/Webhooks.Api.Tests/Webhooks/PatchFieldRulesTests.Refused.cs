using Webhooks.Api.Http;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>The refusals of <see cref="PatchFieldRulesTests"/>: the body, and every detail it must get.</summary>
public sealed partial class PatchFieldRulesTests
{
    private static IEnumerable<TestCaseData> Refused()
    {
        TestCaseData Url(string name, string json, string message) => Refuse(name, Field("url", json), "url", message);
        yield return Url("url http refused", Quote("http://hooks.example.com/p"), HttpsUrl.NotHttpsMessage);
        yield return Url("url upper-case HTTP refused", Quote("HTTP://hooks.example.com/p"), HttpsUrl.NotHttpsMessage);
        yield return Url("url ftp refused", Quote("ftp://hooks.example.com/p"), HttpsUrl.NotHttpsMessage);
        yield return Url("url without scheme refused", Quote("hooks.example.com/p"), HttpsUrl.NotAbsoluteMessage);
        yield return Url("url scheme-relative refused", Quote("//hooks.example.com/p"), HttpsUrl.NotAbsoluteMessage);
        yield return Url("url relative path refused", Quote("/relative/path"), HttpsUrl.NotAbsoluteMessage);
        yield return Url("url without host refused", Quote("https://"), HttpsUrl.NotAbsoluteMessage);
        yield return Url("url user and password refused", Quote("https://user:pw@hooks.example.com/p"), HttpsUrl.UserInfoMessage);
        yield return Url("url user name refused", Quote("https://user@hooks.example.com/p"), HttpsUrl.UserInfoMessage);
        yield return Url("url fragment refused", Quote("https://hooks.example.com/p#frag"), HttpsUrl.FragmentMessage);
        yield return Url("url empty fragment refused", Quote("https://hooks.example.com/p#"), HttpsUrl.FragmentMessage);
        yield return Url("url of 2049 characters refused", Quote(Url2049), HttpsUrl.TooLongMessage);
        yield return Url("url empty string refused", Quote(string.Empty), HttpsUrl.NotAbsoluteMessage);
        yield return Url("url white space only refused", Quote("   "), HttpsUrl.NotAbsoluteMessage);
        yield return Url("url inner space refused", Quote("https://hooks.example.com/a b"), HttpsUrl.WhiteSpaceMessage);
        yield return Url("url backslash refused", Quote("https://hooks.example.com\\p"), HttpsUrl.WhiteSpaceMessage);
        yield return Url("url null refused", "null", HttpsUrl.NullMessage);
        yield return Url("url number refused", "42", NotString);
        yield return Url("url object refused", "{\"href\":\"https://hooks.example.com/\"}", NotString);
        yield return Url("url array refused", "[\"https://hooks.example.com/\"]", NotString);
        yield return Url("url boolean refused", "true", NotString);
        yield return Url("url with an escaped lone high surrogate refused", "\"https://hooks.example.com/\\ud83d\"", NotText);
        yield return Url("url with an escaped lone low surrogate refused", "\"https://hooks.example.com/\\udc00x\"", NotText);

        TestCaseData Label(string name, string json, string message) => Refuse(name, Field("description", json), "description", message);
        yield return Label("description of 201 characters refused", Quote(new string('a', 201)), Description.TooLongMessage);
        yield return Label("description of 201 emoji refused", Quote(Emoji200 + "😀"), Description.TooLongMessage);
        yield return Label("description of 200 letters and an emoji refused", Quote(new string('a', 200) + "😀"), Description.TooLongMessage);
        yield return Label("description inner newline refused", Quote("line\nbreak"), Description.ControlCharactersMessage);
        yield return Label("description BEL refused", Quote("bell\u0007"), Description.ControlCharactersMessage);
        yield return Label("description NUL refused", Quote("nul\u0000byte"), Description.ControlCharactersMessage);
        yield return Label("description DEL refused", Quote("del\u007f"), Description.ControlCharactersMessage);
        yield return Label("description C1 control refused", Quote("c1\u0085control"), Description.ControlCharactersMessage);
        yield return Label("description number refused", "42", NotString);
        yield return Label("description boolean refused", "true", NotString);
        yield return Label("description object refused", "{}", NotString);
        yield return Label("description array refused", "[\"Ops\"]", NotString);
        yield return Label("description with an escaped lone high surrogate refused", """ "half \ud83d of an emoji" """, NotText);
        yield return Label("description with an escaped lone low surrogate refused", """ "\udc00 low first" """, NotText);
        yield return Label("description with an escaped reversed surrogate pair refused", """ "pair reversed \ude00\ud83d" """, NotText);

        TestCaseData Events(string name, string json, params string[] keysAndMessages) => Refuse(name, Field("events", json), keysAndMessages);
        yield return Events("events empty array refused", "[]", "events", EventTypeSet.EmptyMessage);
        yield return Events("events null refused", "null", "events", EventTypeSet.MissingMessage);
        yield return Events("events unknown one named", """["wallet.balance_low","x"]""", "events[1]", "unknown event type 'x'");
        yield return Events(
            "events several unknown named together",
            """["nope","wallet.balance_low","also.nope"]""",
            "events[0]", "unknown event type 'nope'", "events[2]", "unknown event type 'also.nope'");
        yield return Events("events names are case-sensitive", """["Wallet.Balance_Low"]""", "events[0]", "unknown event type 'Wallet.Balance_Low'");
        yield return Events("events empty name refused", """[""]""", "events[0]", "unknown event type ''");
        yield return Events("events number item refused", "[1]", "events[0]", NotString);
        yield return Events("events null item refused", """["wallet.balance_low",null]""", "events[1]", NotString);
        yield return Events("events array item refused", """[["wallet.balance_low"]]""", "events[0]", NotString);
        yield return Events("events object item refused", """[{"name":"wallet.balance_low"}]""", "events[0]", NotString);
        yield return Events("events several non-string items named together", "[true,false]", "events[0]", NotString, "events[1]", NotString);
        yield return Events("events string instead of array refused", Quote(BalanceLow), "events", NotArray);
        yield return Events("events number refused", "42", "events", NotArray);
        yield return Events("events object refused", """{"0":"wallet.balance_low"}""", "events", NotArray);
        yield return Events("events boolean refused", "true", "events", NotArray);
        yield return Events("events item with an escaped lone surrogate refused", """["wallet.balance_low","\ud83d"]""", "events[1]", NotText);
        yield return Events(
            "events undecodable item and unknown name reported together",
            """["wallet.\udc00balance_low","x"]""",
            "events[0]", NotText, "events[1]", "unknown event type 'x'");
        yield return Events("events non-string item and unknown name reported together", """[1,"x"]""", "events[0]", NotString, "events[1]", "unknown event type 'x'");

        foreach (var (name, json) in new[] { ("null", "null"), ("string true", "\"true\""), ("string false", "\"false\""), ("number 1", "1"), ("number 0", "0"), ("object", "{}"), ("array", "[false]") })
        {
            yield return Refuse($"active {name} refused", Field("active", json), "active", NotBoolean);
        }

        TestCaseData Version(string name, string json, string message) => Refuse(name, Field("api_version", json), "api_version", message);
        yield return Version("api_version other date refused", Quote("2026-05-01"), Immutable);
        yield return Version("api_version older date refused", Quote("2025-01-01"), Immutable);
        yield return Version("api_version current value with spaces refused", Quote(" 2026-04-01 "), Immutable);
        yield return Version("api_version empty string refused", Quote(string.Empty), Immutable);
        yield return Version("api_version null refused", "null", Immutable);
        yield return Version("api_version number refused as a wrong type", "20260401", NotString);
        yield return Version("api_version with an escaped lone surrogate refused", "\"2026-04-01\\ud83d\"", NotText);
        yield return Refuse("api_version other value refuses the whole patch", """{"api_version":"2026-05-01","active":false,"description":"New"}""", "api_version", Immutable);

        yield return Refuse("field typo urll refused", """{"urll":"https://hooks.example.com/typo"}""", "urll", Unknown);
        yield return Refuse("field names are case-sensitive", """{"URL":"https://hooks.example.com/upper"}""", "URL", Unknown);
        yield return Refuse("field singular event refused", """{"event":["wallet.balance_low"]}""", "event", Unknown);
        yield return Refuse("field enabled refused", """{"enabled":false}""", "enabled", Unknown);
        yield return Refuse("field unknown with null value refused", """{"extra":null}""", "extra", Unknown);
        yield return Refuse("field id read-only", """{"id":"0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4"}""", "id", ReadOnly);
        yield return Refuse("field org_id read-only", """{"org_id":"0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b5"}""", "org_id", ReadOnly);
        yield return Refuse("field created_at read-only", """{"created_at":"2026-04-26T12:00:00Z"}""", "created_at", ReadOnly);
        yield return Refuse("field updated_at read-only", """{"updated_at":"2026-04-27T08:30:00Z"}""", "updated_at", ReadOnly);
        yield return Refuse("field deleted_at read-only", """{"deleted_at":null}""", "deleted_at", ReadOnly);
        yield return Refuse("field deleted_at with a value read-only", """{"deleted_at":"2026-04-27T08:30:00Z"}""", "deleted_at", ReadOnly);
        yield return Refuse("field secret read-only", """{"secret":"whsec_AAAA"}""", "secret", ReadOnly);
        yield return Refuse(
            "fields unknown and read-only reported together",
            """{"id":"x","secret":"y","urll":"z","created_at":1}""",
            "id", ReadOnly, "secret", ReadOnly, "urll", Unknown, "created_at", ReadOnly);
        yield return Refuse("field url repeated refused", """{"url":"https://a.example.com/","url":"https://b.example.com/"}""", "url", Once);
        yield return Refuse("field active repeated with the same value refused", """{"active":false,"active":false}""", "active", Once);
        yield return Refuse("field description repeated around another refused", """{"description":"a","events":["wallet.balance_low"],"description":"b"}""", "description", Once);
        yield return Refuse("field unknown repeated refused", """{"urll":1,"urll":2}""", "urll", Once);
        yield return Refuse("field name with an escaped lone surrogate makes the body not valid JSON", """{"active":false,"\ud83d":1}""", "body", JsonBody.NotJsonMessage);

        yield return Refuse(
            "every violation is reported together and nothing is written",
            $$"""
            {"url":"http://hooks.example.com/plain",
             "description":{{Quote(new string('d', 201))}},
             "events":["wallet.balance_low","nope","subscription.canceled","gone"],
             "active":false,
             "api_version":"2030-01-01"}
            """,
            "url", HttpsUrl.NotHttpsMessage, "description", Description.TooLongMessage, "events[1]", "unknown event type 'nope'", "events[3]", "unknown event type 'gone'", "api_version", Immutable);
        yield return Refuse(
            "one violation among valid changes writes none of them",
            """{"url":"https://valid.example.com/","events":["subscription.past_due"],"active":false,"description":"bad\u0001label"}""",
            "description", Description.ControlCharactersMessage);
        yield return Refuse(
            "type and field problems are reported together with rule violations",
            """{"url":"http://hooks.example.com/plain","active":"yes","urll":"x","secret":"y","events":["wallet.balance_low",7,"nope"],"api_version":"2030-01-01"}""",
            "url", HttpsUrl.NotHttpsMessage, "active", NotBoolean, "urll", Unknown, "secret", ReadOnly, "events[1]", NotString, "events[2]", "unknown event type 'nope'", "api_version", Immutable);
        yield return Refuse(
            "null url and null events are reported together with rule violations",
            $$"""{"url":null,"events":null,"active":null,"description":{{Quote(new string('d', 201))}}}""",
            "url", HttpsUrl.NullMessage, "events", EventTypeSet.MissingMessage, "active", NotBoolean, "description", Description.TooLongMessage);
    }
}
