using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Webhooks.Api.Http;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Webhooks.ListWebhooks;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Common;
using Webhooks.Domain.Idempotency;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Security;
using Webhooks.Infrastructure;

namespace Webhooks.Api.Tests.Http;

/// <summary>
/// How the API turns HTTP into typed requests (<see cref="RequestReader"/>): a body read the way the
/// binder reads it, its shape problems and the domain's rule violations reported together in one
/// failure, then the id (404), the page size and the decoded cursor, <c>If-Match</c> and
/// <c>Idempotency-Key</c>. The real catalog, cursor codec and caller; no HTTP server.
/// </summary>
public sealed partial class RequestReaderTests
{
    private const string Immutable = WebhookEndpoint.ImmutableApiVersionMessage;
    private const string Low = "wallet.balance_low";
    private const string Zero = "wallet.balance_zero";
    private const string OlderVersion = "2025-06-01";
    private const string Id = "0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4";

    private static readonly Guid OrgId = Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b5");

    private static readonly DataProtectionListCursorCodec Cursors = new(new EphemeralDataProtectionProvider());

    private static readonly WebhookCatalog Catalog = new(WebhookCatalogOptions.DefaultEventTypes, [OlderVersion, WebhookCatalogOptions.DefaultApiVersion]);

    private static readonly RequestReader Reader = new(Catalog, Cursors, new ProcessCaller(new Caller(CallerKind.ApiKey, Guid.NewGuid(), OrgId, [Scopes.WebhooksRead])));

    // ---- PATCH /v1/webhooks/{id} --------------------------------------------------------------

    private static IEnumerable<TestCaseData> RefusedPatches()
    {
        yield return Refused(
                """{"url":"http://not-https.example.com","description":"{{x500}}","events":[],"api_version":"1999-01-01"}""",
                ("url", "must use https"), ("description", "must be at most 200 characters"), ("events", "must contain at least one event type"), ("api_version", Immutable))
            .SetName("Patch_WhenValuesBreakTheEndpointsOwnRules_ThenReportsEveryRuleTogether");
        yield return Refused(
                """{"urll":1,"url":"http://hooks.example.com/ops","description":"bell\u0007","events":["wallet.balance_low","wallet.unknown"],"active":null,"api_version":"2099-01-01","created_at":"x"}""",
                ("urll", JsonObjectReader.UnknownFieldMessage), ("created_at", JsonObjectReader.ReadOnlyMessage), ("url", "must use https"), ("description", "must not contain control characters"),
                ("events[1]", "unknown event type 'wallet.unknown'"), ("active", JsonObjectReader.MustBeBooleanMessage), ("api_version", Immutable))
            .SetName("Patch_WhenShapeErrorsAndRuleViolationsMeet_ThenReportsThemAllInOneFailure");
        foreach (var url in new[] { "/relative/path", "//hooks.example.com/p", "hooks.example.com/p", "" })
        {
            yield return Refused($$"""{"url":"{{url}}"}""", ("url", "must be an absolute https URL")).SetName($"Patch_WhenUrlIsNotAbsolute_ThenReportsIt({url})");
        }

        yield return Refused("""{"api_version":null}""", ("api_version", Immutable)).SetName("Patch_WhenApiVersionIsNull_ThenReportsItImmutable");
        yield return Refused("""{"url":"http://x.example.com","events":[],"active":null}""" + "x", ("body", "is not valid JSON")).SetName("Patch_WhenTheBodyIsNotJson_ThenReportsOnlyTheBody");
        yield return Refused("""[{"url":"http://x.example.com"}]""", ("body", "must be a JSON object")).SetName("Patch_WhenTheBodyIsNotAnObject_ThenReportsOnlyTheBody");
        yield return Refused("""{"events":["wallet.balance_low","\ud800"]}""", ("events[1]", "must be valid Unicode text")).SetName("Patch_WhenAnEventItemCannotBeDecoded_ThenReportsTheReadersMessage");
        yield return Refused("""{"url":null}""", ("url", "must not be null")).SetName("Patch_WhenUrlIsNull_ThenReportsIt");
        yield return Refused("""{"events":null}""", ("events", "must be a non-empty array of event types")).SetName("Patch_WhenEventsIsNull_ThenReportsIt");
        yield return Refused("""{"active":null}""", ("active", JsonObjectReader.MustBeBooleanMessage)).SetName("Patch_WhenActiveIsNull_ThenReportsIt");
        yield return Refused(
                """{"urll":1,"created_at":"x","events":["wallet.balance_low","wallet.balance_zero",3]}""",
                ("urll", JsonObjectReader.UnknownFieldMessage), ("created_at", JsonObjectReader.ReadOnlyMessage), ("events[2]", "must be a string"))
            .SetName("Patch_WhenTheBodyHasShapeErrors_ThenReportsThemKeyedByField");
        yield return Refused(
                """{"id":"x","url":null,"events":null,"active":null}""",
                ("id", JsonObjectReader.ReadOnlyMessage), ("url", "must not be null"), ("events", "must be a non-empty array of event types"), ("active", JsonObjectReader.MustBeBooleanMessage))
            .SetName("Patch_WhenShapeErrorsAndNullFieldsMeet_ThenReportsEveryFieldTogether");
        yield return Refused("""{"url":"https://localhost/hook","events":["no.such_event"],"active":null}""", ("url", UrlPolicy.LocalhostMessage), ("events[0]", "unknown event type 'no.such_event'"), ("active", JsonObjectReader.MustBeBooleanMessage))
            .SetName("Patch_WhenUrlIsLocalAndOtherFieldsAreWrong_ThenReportsThemTogether");
        yield return Refused("""{"url":"https://10.0.0.1/hook","description":"ok"}""", ("url", UrlPolicy.NonPublicAddressMessage))
            .SetName("Patch_WhenOnlyTheUrlIsNonPublic_ThenReportsOnlyUrl");
    }

    [TestCaseSource(nameof(RefusedPatches))]
    public async Task PatchWebhook_WhenRefused_ThenThrowsEveryProblemInOneFailure(string body, Dictionary<string, string> expected)
    {
        var json = await BodyAsync(body);

        var exception = Assert.Throws<ValidationFailedException>(() => Reader.PatchWebhook(Id, json, null));

        Assert.That(exception!.Errors, Is.EquivalentTo(expected));
    }

    [Test]
    public async Task PatchWebhook_WhenTheBodyIsEmpty_ThenChangesNothing()
    {
        var command = Reader.PatchWebhook(Id, await BodyAsync("{}"), null);

        Assert.That(command.Changes, Is.EqualTo(WebhookEndpointChanges.None));
        Assert.That(command.Id, Is.EqualTo(Guid.Parse(Id)));
        Assert.That(command.IfMatch, Is.Null);
    }

    [Test]
    public async Task PatchWebhook_WhenEveryFieldIsValid_ThenCarriesTheCheckedValues()
    {
        var body = $$"""{"url":" HTTPS://Hooks.Example.com/new ","description":"  label ","events":["{{Low}}","{{Zero}}","{{Low}}"],"active":false,"api_version":"{{OlderVersion}}"}""";

        var changes = Reader.PatchWebhook(Id, await BodyAsync(body), null).Changes;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changes.Url.Value.Value, Is.EqualTo("https://hooks.example.com/new"));
            Assert.That(changes.Description.Value?.Value, Is.EqualTo("label"));
            Assert.That(changes.Events.Value.Items, Is.EqualTo(new[] { Low, Zero }));
            Assert.That(changes.Active.Value, Is.False);
            Assert.That(changes.ApiVersion.Value, Is.EqualTo(OlderVersion), "a configured version is for the endpoint to accept or refuse");
        }
    }

    [Test]
    public async Task PatchWebhook_WhenDescriptionIsNull_ThenClearsTheLabel()
    {
        var changes = Reader.PatchWebhook(Id, await BodyAsync("""{"description":null}"""), null).Changes;

        Assert.That(changes.Description.HasValue, Is.True);
        Assert.That(changes.Description.Value, Is.Null);
    }

    [TestCase("not-a-uuid")]
    [TestCase("")]
    [TestCase("0190a1b2c3d47e5fa7b8c9d0e1f2a3b4")]
    [TestCase("{0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4}")]
    [TestCase("(0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4)")]
    public async Task PatchWebhook_WhenTheIdIsNotAHyphenatedUuid_ThenNotFoundAfterTheBody(string id)
    {
        var valid = await BodyAsync("""{"active":false}""");
        var invalid = await BodyAsync("""{"active":null}""");

        Assert.Throws<NotFoundException>(() => Reader.PatchWebhook(id, valid, null));
        var exception = Assert.Throws<ValidationFailedException>(() => Reader.PatchWebhook(id, invalid, null));
        Assert.That(exception!.Errors.Keys, Is.EqualTo(new[] { "active" }), "the body is checked before existence");
    }

    [Test]
    public void EndpointId_WhenTheIdIsInUpperCase_ThenIsTheSameEndpoint()
    {
        Assert.That(RequestReader.EndpointId(Id.ToUpperInvariant()), Is.EqualTo(Guid.Parse(Id)));
    }

    [TestCase("*", true)]
    [TestCase("\"a\", *", true)]
    [TestCase(" \"a\" ,, \"b\" ", false)]
    public void IfMatchOf_WhenSent_ThenIsParsedIntoTagsOrAny(string header, bool any)
    {
        var ifMatch = RequestReader.IfMatchOf(header)!;

        Assert.That(ifMatch.Any, Is.EqualTo(any));
        Assert.That(ifMatch.Matches("\"b\""), Is.EqualTo(any || header.Contains("\"b\"", StringComparison.Ordinal)));
        Assert.That(ifMatch.Matches("\"c\""), Is.EqualTo(any));
    }

    [Test]
    public void IfMatchOf_WhenAbsent_ThenIsNull() => Assert.That(RequestReader.IfMatchOf(null), Is.Null);

    // ---- POST /v1/webhooks ---------------------------------------------------------------------

    private static IEnumerable<TestCaseData> RefusedCreates()
    {
        yield return Refused("{}", ("url", "is required"), ("events", "is required")).SetName("Create_WhenUrlAndEventsAreAbsent_ThenReportsBothAsRequired");
        yield return Refused("""{"url":null,"events":null}""", ("url", "is required"), ("events", "is required")).SetName("Create_WhenUrlAndEventsAreNull_ThenReportsBothAsRequired");
        yield return Refused("""{"secret":"x","active":null}""", ("secret", JsonObjectReader.ReadOnlyMessage), ("url", "is required"), ("events", "is required"), ("active", JsonObjectReader.MustBeBooleanMessage))
            .SetName("Create_WhenEverythingIsMissingOrWrong_ThenReportsAllTogether");
        yield return Refused(
                """{"secret":"x","url":"https://user:pw@hooks.example.com/","events":["wallet.balance_low","wallet.unknown"],"description":"{{x201}}","active":null,"api_version":"1999-01-01"}""",
                ("secret", JsonObjectReader.ReadOnlyMessage), ("url", "must not contain a user name or password"), ("description", "must be at most 200 characters"),
                ("events[1]", "unknown event type 'wallet.unknown'"), ("active", JsonObjectReader.MustBeBooleanMessage), ("api_version", $"must be one of: {OlderVersion}, {WebhookCatalogOptions.DefaultApiVersion}"))
            .SetName("Create_WhenShapeErrorsAndRuleViolationsMeet_ThenReportsThemAllInOneFailure");
        yield return Refused("""{"events":[]}""", ("url", "is required"), ("events", "must contain at least one event type")).SetName("Create_WhenUrlIsMissingAndEventsBreakTheirRule_ThenReportsBoth");
        yield return Refused("""{"url":"/relative/path","events":["wallet.balance_low"]}""", ("url", "must be an absolute https URL")).SetName("Create_WhenUrlIsNotAbsolute_ThenReportsIt");
        yield return Refused("""{"url":"https://hooks.example.com/x"}""", ("events", "is required")).SetName("Create_WhenOnlyEventsIsMissing_ThenReportsOnlyEvents");
        yield return Refused("{", ("body", "is not valid JSON")).SetName("Create_WhenTheBodyIsNotJson_ThenReportsOnlyTheBodyAndNothingAsRequired");
        yield return Refused("[]", ("body", "must be a JSON object")).SetName("Create_WhenTheBodyIsNotAnObject_ThenReportsOnlyTheBodyAndNothingAsRequired");
    }

    [TestCaseSource(nameof(RefusedCreates))]
    public async Task CreateWebhook_WhenRefused_ThenThrowsEveryProblemInOneFailure(string body, Dictionary<string, string> expected)
    {
        var json = await BodyAsync(body);

        var exception = Assert.Throws<ValidationFailedException>(() => Reader.CreateWebhook(json, null));

        Assert.That(exception!.Errors, Is.EquivalentTo(expected));
    }

    [Test]
    public async Task CreateWebhook_WhenOnlyUrlAndEventsAreSent_ThenAppliesTheDefaults()
    {
        var command = Reader.CreateWebhook(await BodyAsync($$"""{"url":"https://hooks.example.com/x","events":["{{Low}}"]}"""), null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(command.Url.Value, Is.EqualTo("https://hooks.example.com/x"));
            Assert.That(command.Events.Items, Is.EqualTo(new[] { Low }));
            Assert.That(command.Description, Is.Null);
            Assert.That(command.Active, Is.True);
            Assert.That(command.ApiVersion, Is.EqualTo(WebhookCatalogOptions.DefaultApiVersion), "the newest configured version");
            Assert.That(command.IdempotencyKey, Is.Null);
        }
    }

    [Test]
    public async Task CreateWebhook_WhenEveryFieldIsSent_ThenCarriesTheCheckedValues()
    {
        var body = $$"""{"url":"https://hooks.example.com/x","events":["{{Zero}}","{{Low}}"],"description":" label ","active":false,"api_version":"{{OlderVersion}}"}""";

        var command = Reader.CreateWebhook(await BodyAsync(body), null);

        Assert.That((command.Description?.Value, command.Active, command.ApiVersion, command.Events.Items), Is.EqualTo(("label", false, OlderVersion, (IReadOnlyList<string>)[Zero, Low])));
    }

    [Test]
    public async Task CreateWebhook_WhenAnIdempotencyKeyIsSent_ThenCarriesItWithTheHashOfTheBodyInCanonicalForm()
    {
        var spaced = Reader.CreateWebhook(await BodyAsync($$"""{ "url" : "https://hooks.example.com/x", "events" : [ "{{Low}}" ] }"""), "retry-1");
        var compact = Reader.CreateWebhook(await BodyAsync($$"""{"url":"https://hooks.example.com/x","events":["{{Low}}"]}"""), "retry-1");

        Assert.That(spaced.IdempotencyKey!.Value, Is.EqualTo("retry-1"));
        Assert.That(spaced.IdempotencyKey.RequestHash, Is.EqualTo(compact.IdempotencyKey!.RequestHash).And.Length.EqualTo(64));
    }

    [TestCase("")]
    [TestCase("has space")]
    [TestCase("é")]
    public async Task CreateWebhook_WhenTheIdempotencyKeyIsInvalid_ThenReportsItWithTheBodysProblems(string key)
    {
        var json = await BodyAsync("[]");

        var exception = Assert.Throws<ValidationFailedException>(() => Reader.CreateWebhook(json, key));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["body"] = "must be a JSON object", ["Idempotency-Key"] = IdempotencyKey.InvalidMessage }));
    }
}
