using Webhooks.Api.Http;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>The refused bodies and missing ids of <see cref="PatchOrderOfChecksTests"/>.</summary>
public sealed partial class PatchOrderOfChecksTests
{
    private static IEnumerable<TestCaseData> InvalidBodies()
    {
        yield return new TestCaseData("{", Details("body", JsonBody.NotJsonMessage)).SetName("malformed JSON");
        yield return new TestCaseData("[]", Details("body", JsonBody.NotObjectMessage)).SetName("array body");
        yield return new TestCaseData("""{"active":"no"}""", Details("active", JsonObjectReader.MustBeBooleanMessage)).SetName("wrong type");
        yield return new TestCaseData("""{"url":null}""", Details("url", HttpsUrl.NullMessage)).SetName("null url");
        yield return new TestCaseData("""{"events":null}""", Details("events", EventTypeSet.MissingMessage)).SetName("null events");
        yield return new TestCaseData("""{"urll":"https://hooks.example.com/"}""", Details("urll", JsonObjectReader.UnknownFieldMessage)).SetName("unknown field");
        yield return new TestCaseData("""{"secret":"whsec_x"}""", Details("secret", JsonObjectReader.ReadOnlyMessage)).SetName("read-only field");
        yield return new TestCaseData("""{"active":true,"active":false}""", Details("active", JsonObjectReader.RepeatedMessage)).SetName("repeated field");
    }

    /// <summary>Rules that do not need the stored endpoint belong to the body's shape.</summary>
    private static IEnumerable<TestCaseData> RuleViolations()
    {
        yield return new TestCaseData("""{"url":"http://hooks.example.com/"}""", Details("url", HttpsUrl.NotHttpsMessage)).SetName("url rule");
        yield return new TestCaseData(
                $$"""{"description":{{Quote(new string('a', 201))}}}""",
                Details("description", Description.TooLongMessage)).SetName("description rule");
        yield return new TestCaseData("""{"events":[]}""", Details("events", EventTypeSet.EmptyMessage)).SetName("events empty rule");
        yield return new TestCaseData("""{"events":["x"]}""", Details("events[0]", "unknown event type 'x'")).SetName("events unknown rule");
        yield return new TestCaseData("""{"url":"/relative/path"}""", Details("url", HttpsUrl.NotAbsoluteMessage)).SetName("url relative rule");
        yield return new TestCaseData("""{"api_version":null}""", Details("api_version", Immutable)).SetName("api_version null rule");
        yield return new TestCaseData("""{"api_version":"2030-01-01"}""", Details("api_version", Immutable)).SetName("api_version not configured rule");
        yield return new TestCaseData(
                """{"urll":1,"url":"http://hooks.example.com/","description":"a\u0007","events":["wallet.balance_low",1,"x"],"active":null,"api_version":""}""",
                Details(
                    "urll", JsonObjectReader.UnknownFieldMessage,
                    "url", HttpsUrl.NotHttpsMessage,
                    "description", Description.ControlCharactersMessage,
                    "events[1]", JsonObjectReader.MustBeStringMessage,
                    "events[2]", "unknown event type 'x'",
                    "active", JsonObjectReader.MustBeBooleanMessage,
                    "api_version", Immutable))
            .SetName("shape errors and rule violations reported together");
    }

    /// <summary>Values whose reading fails are shape errors too; a body that is not an object is reported alone.</summary>
    private static IEnumerable<TestCaseData> UndecodableBodies()
    {
        yield return new TestCaseData("""{"url":"https://hooks.example.com/\ud83d"}""", Details("url", JsonObjectReader.MustBeTextMessage))
            .SetName("url with a lone surrogate");
        yield return new TestCaseData("""{"events":["wallet.balance_low","\udc00"]}""", Details("events[1]", JsonObjectReader.MustBeTextMessage))
            .SetName("events item with a lone surrogate");
        yield return new TestCaseData("""{"url":"http://hooks.example.com/","events":[],"active":null""", Details("body", JsonBody.NotJsonMessage))
            .SetName("malformed JSON with rule violations inside");
    }

    private static IEnumerable<TestCaseData> MissingIds()
    {
        yield return new TestCaseData(UnknownId).SetName("unknown UUID");
        yield return new TestCaseData("00000000-0000-0000-0000-000000000000").SetName("empty UUID");
        yield return new TestCaseData("not-a-uuid").SetName("not a UUID");
        yield return new TestCaseData("123").SetName("a number");
        yield return new TestCaseData("0190a1b2c3d47e5fa7b8c9d0e1f2a3b4").SetName("UUID without hyphens");
        yield return new TestCaseData("%7B0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4%7D").SetName("UUID in braces");
    }
}
