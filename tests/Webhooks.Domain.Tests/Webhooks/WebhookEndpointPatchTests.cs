using static Webhooks.Domain.Tests.TestData;

namespace Webhooks.Domain.Tests.Webhooks;

public sealed class WebhookEndpointPatchTests
{
    private const string ImmutableMessage = WebhookEndpoint.ImmutableApiVersionMessage;

    private static IEnumerable<TestCaseData> NoChangeCases()
    {
        yield return new TestCaseData(Patch()).SetName("Patch_WhenEmpty_ChangesNothing");
        yield return new TestCaseData(Patch(url: "https://hooks.example.com/y3labs/ops")).SetName("Patch_WhenUrlIsTheSame_ChangesNothing");
        yield return new TestCaseData(Patch(url: " HTTPS://HOOKS.Example.com:443/y3labs/ops ")).SetName("Patch_WhenUrlNormalizesToTheSame_ChangesNothing");
        yield return new TestCaseData(Patch(description: "Ops alerts")).SetName("Patch_WhenDescriptionIsTheSame_ChangesNothing");
        yield return new TestCaseData(Patch(description: "  Ops alerts\t")).SetName("Patch_WhenDescriptionTrimsToTheSame_ChangesNothing");
        yield return new TestCaseData(Patch(events: Events(BalanceLow, BalanceZero))).SetName("Patch_WhenEventsAreTheSame_ChangesNothing");
        yield return new TestCaseData(Patch(events: Events(BalanceLow, BalanceLow, BalanceZero, BalanceLow))).SetName("Patch_WhenEventsCollapseToTheSame_ChangesNothing");
        yield return new TestCaseData(Patch(active: true)).SetName("Patch_WhenActiveIsTheSame_ChangesNothing");
        yield return new TestCaseData(Patch(apiVersion: LatestVersion)).SetName("Patch_WhenApiVersionIsTheCurrentValue_AcceptsItWithoutChange");
        yield return new TestCaseData(Patch("https://hooks.example.com/y3labs/ops", "Ops alerts", Events(BalanceLow, BalanceZero), true, LatestVersion))
            .SetName("Patch_WhenEveryFieldIsSentWithItsCurrentValue_ChangesNothing");
    }

    [TestCaseSource(nameof(NoChangeCases))]
    public void Patch_WhenNothingDiffers_ReturnsFalseAndKeepsUpdatedAt(WebhookEndpointPatch patch)
    {
        var endpoint = NewEndpoint();
        var before = EndpointSnapshot.Of(endpoint);

        var changed = endpoint.Patch(patch, Catalog, Later);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.False);
            Assert.That(endpoint.UpdatedAt, Is.EqualTo(CreatedAt));
            Assert.That(EndpointSnapshot.Of(endpoint), Is.EqualTo(before));
        }
    }

    private static IEnumerable<TestCaseData> ChangeCases()
    {
        var original = EndpointSnapshot.Of(NewEndpoint());
        yield return new TestCaseData(
                Patch(url: "https://hooks.example.com/y3labs/alerts"),
                original with { Url = "https://hooks.example.com/y3labs/alerts", UpdatedAt = Later, Revision = 2 })
            .SetName("Patch_WhenUrlDiffers_ReplacesIt");
        yield return new TestCaseData(
                Patch(url: "  HTTPS://Bücher.example:8443/Hook?A=B  "),
                original with { Url = "https://xn--bcher-kva.example:8443/Hook?A=B", UpdatedAt = Later, Revision = 2 })
            .SetName("Patch_WhenUrlNeedsNormalizing_StoresTheNormalizedForm");
        yield return new TestCaseData(
                Patch(description: "  Billing alerts "),
                original with { Description = "Billing alerts", UpdatedAt = Later, Revision = 2 })
            .SetName("Patch_WhenDescriptionDiffers_RelabelsTrimmed");
        yield return new TestCaseData(
                Patch(description: Optional<string?>.Of(null)),
                original with { Description = null, UpdatedAt = Later, Revision = 2 })
            .SetName("Patch_WhenDescriptionIsNull_ClearsTheLabel");
        yield return new TestCaseData(
                Patch(description: ""),
                original with { Description = null, UpdatedAt = Later, Revision = 2 })
            .SetName("Patch_WhenDescriptionIsEmpty_ClearsTheLabel");
        yield return new TestCaseData(
                Patch(description: "   "),
                original with { Description = null, UpdatedAt = Later, Revision = 2 })
            .SetName("Patch_WhenDescriptionIsBlank_ClearsTheLabel");
        yield return new TestCaseData(
                Patch(description: TestData.Repeat("🚨", 200)),
                original with { Description = TestData.Repeat("🚨", 200), UpdatedAt = Later, Revision = 2 })
            .SetName("Patch_WhenDescriptionHas200Emoji_RelabelsIt");
        yield return new TestCaseData(
                Patch(events: Events(PastDue)),
                original with { Events = [PastDue], UpdatedAt = Later, Revision = 2 })
            .SetName("Patch_WhenEventsDiffer_ReplacesTheWholeSet");
        yield return new TestCaseData(
                Patch(events: Events(BalanceZero, BalanceLow)),
                original with { Events = [BalanceZero, BalanceLow], UpdatedAt = Later, Revision = 2 })
            .SetName("Patch_WhenEventsAreReordered_KeepsTheNewOrder");
        yield return new TestCaseData(
                Patch(events: Events(BalanceLow, BalanceZero, Canceled, BalanceLow)),
                original with { Events = [BalanceLow, BalanceZero, Canceled], UpdatedAt = Later, Revision = 2 })
            .SetName("Patch_WhenEventsAreAppended_ReplacesWithCollapsedSet");
        yield return new TestCaseData(
                Patch(active: false),
                original with { Active = false, UpdatedAt = Later, Revision = 2 })
            .SetName("Patch_WhenActiveIsFalse_Deactivates");
        yield return new TestCaseData(
                Patch(description: "Ops alerts", active: false, apiVersion: LatestVersion),
                original with { Active = false, UpdatedAt = Later, Revision = 2 })
            .SetName("Patch_WhenOneOfSeveralFieldsDiffers_ChangesOnlyThatOne");
        yield return new TestCaseData(
                Patch("https://hooks.example.com/new", Optional<string?>.Of(null), Events(Canceled), false, LatestVersion),
                original with { Url = "https://hooks.example.com/new", Description = null, Events = [Canceled], Active = false, UpdatedAt = Later, Revision = 2 })
            .SetName("Patch_WhenEveryFieldDiffers_ChangesThemAll"); // one patch is one revision, however many fields it changes
    }

    [TestCaseSource(nameof(ChangeCases))]
    public void Patch_WhenAValueDiffers_ChangesItAndMovesUpdatedAt(WebhookEndpointPatch patch, EndpointSnapshot expected)
    {
        var endpoint = NewEndpoint();

        var changed = endpoint.Patch(patch, Catalog, Later);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.True);
            Assert.That(EndpointSnapshot.Of(endpoint), Is.EqualTo(expected));
        }
    }

    [Test]
    public void Patch_WhenActiveIsTrueOnAnInactiveEndpoint_Activates()
    {
        var endpoint = NewEndpoint();
        endpoint.Patch(Patch(active: false), Catalog, Later);

        var changed = endpoint.Patch(Patch(active: true), Catalog, EvenLater);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.True);
            Assert.That(endpoint.Active, Is.True);
            Assert.That(endpoint.UpdatedAt, Is.EqualTo(EvenLater));
        }
    }

    [Test]
    public void Patch_WhenDescriptionIsClearedTwice_SecondTimeChangesNothing()
    {
        var endpoint = NewEndpoint();
        endpoint.Patch(Patch(description: Optional<string?>.Of(null)), Catalog, Later);

        var changed = endpoint.Patch(Patch(description: ""), Catalog, EvenLater);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.False);
            Assert.That(endpoint.Description, Is.Null);
            Assert.That(endpoint.UpdatedAt, Is.EqualTo(Later));
        }
    }

    [Test]
    public void Patch_WhenEventsAreReplaced_ReadingThemLaterIsNotAffectedByTheCallersList()
    {
        var endpoint = NewEndpoint();
        var sent = new List<string?> { PastDue };

        endpoint.Patch(Patch(events: Optional<IReadOnlyList<string?>?>.Of(sent)), Catalog, Later);
        sent.Add(Canceled);

        Assert.That(endpoint.Events, Is.EqualTo(new[] { PastDue }));
    }

    private static IEnumerable<TestCaseData> RefusedCases()
    {
        yield return new TestCaseData(Patch(url: Optional<string?>.Of(null)), new Dictionary<string, string> { ["url"] = HttpsUrl.NullMessage })
            .SetName("Patch_WhenUrlIsNull_RefusesIt");
        yield return new TestCaseData(Patch(url: "http://hooks.example.com/x"), new Dictionary<string, string> { ["url"] = HttpsUrl.NotHttpsMessage })
            .SetName("Patch_WhenUrlIsHttp_RefusesIt");
        yield return new TestCaseData(Patch(url: "https://user:pw@hooks.example.com/x"), new Dictionary<string, string> { ["url"] = HttpsUrl.UserInfoMessage })
            .SetName("Patch_WhenUrlHasCredentials_RefusesIt");
        yield return new TestCaseData(Patch(url: "https://hooks.example.com/x#top"), new Dictionary<string, string> { ["url"] = HttpsUrl.FragmentMessage })
            .SetName("Patch_WhenUrlHasAFragment_RefusesIt");
        yield return new TestCaseData(Patch(url: ""), new Dictionary<string, string> { ["url"] = HttpsUrl.NotAbsoluteMessage })
            .SetName("Patch_WhenUrlIsEmpty_RefusesIt");
        yield return new TestCaseData(Patch(description: new string('x', 201)), new Dictionary<string, string> { ["description"] = Description.TooLongMessage })
            .SetName("Patch_WhenDescriptionHas201Characters_RefusesIt");
        yield return new TestCaseData(Patch(description: TestData.Repeat("😀", 201)), new Dictionary<string, string> { ["description"] = Description.TooLongMessage })
            .SetName("Patch_WhenDescriptionHas201Emoji_RefusesIt");
        yield return new TestCaseData(Patch(description: "Ops\u0007alerts"), new Dictionary<string, string> { ["description"] = Description.ControlCharactersMessage })
            .SetName("Patch_WhenDescriptionHasAControlCharacter_RefusesIt");
        yield return new TestCaseData(Patch(events: Optional<IReadOnlyList<string?>?>.Of(null)), new Dictionary<string, string> { ["events"] = EventTypeSet.MissingMessage })
            .SetName("Patch_WhenEventsAreNull_RefusesThem");
        yield return new TestCaseData(Patch(events: Events()), new Dictionary<string, string> { ["events"] = EventTypeSet.EmptyMessage })
            .SetName("Patch_WhenEventsAreEmpty_RefusesThem");
        yield return new TestCaseData(Patch(events: Events(BalanceLow, "wallet.nope")), new Dictionary<string, string> { ["events[1]"] = "unknown event type 'wallet.nope'" })
            .SetName("Patch_WhenAnEventIsUnknown_NamesItByIndex");
        yield return new TestCaseData(Patch(active: Optional<bool?>.Of(null)), new Dictionary<string, string> { ["active"] = WebhookEndpointPatch.NotABooleanMessage })
            .SetName("Patch_WhenActiveIsNull_RefusesIt");
        yield return new TestCaseData(Patch(apiVersion: OlderVersion), new Dictionary<string, string> { ["api_version"] = ImmutableMessage })
            .SetName("Patch_WhenApiVersionIsAnotherConfiguredVersion_RefusesItAsImmutable");
        yield return new TestCaseData(Patch(apiVersion: "2027-01-01"), new Dictionary<string, string> { ["api_version"] = ImmutableMessage })
            .SetName("Patch_WhenApiVersionIsUnknown_RefusesItAsImmutable");
        yield return new TestCaseData(Patch(apiVersion: Optional<string?>.Of(null)), new Dictionary<string, string> { ["api_version"] = ImmutableMessage })
            .SetName("Patch_WhenApiVersionIsNull_RefusesItAsImmutable");
        yield return new TestCaseData(Patch(apiVersion: " 2026-04-01 "), new Dictionary<string, string> { ["api_version"] = ImmutableMessage })
            .SetName("Patch_WhenApiVersionIsPadded_RefusesItAsImmutable");
        yield return new TestCaseData(
                Patch("ftp://hooks.example.com/x", new string('x', 201), Events("nope", BalanceLow, "Subscription.Canceled"), Optional<bool?>.Of(null), "2027-01-01"),
                new Dictionary<string, string>
                {
                    ["url"] = HttpsUrl.NotHttpsMessage,
                    ["description"] = Description.TooLongMessage,
                    ["events[0]"] = "unknown event type 'nope'",
                    ["events[2]"] = "unknown event type 'Subscription.Canceled'",
                    ["active"] = WebhookEndpointPatch.NotABooleanMessage,
                    ["api_version"] = ImmutableMessage,
                })
            .SetName("Patch_WhenEveryFieldIsWrong_ReportsAllViolationsTogether");
        yield return new TestCaseData(
                Patch("https://hooks.example.com/changed", "New label", Events(PastDue), false, OlderVersion),
                new Dictionary<string, string> { ["api_version"] = ImmutableMessage })
            .SetName("Patch_WhenValidChangesComeWithAnApiVersionChange_RefusesTheWholePatch");
        yield return new TestCaseData(
                Patch("https://hooks.example.com/changed", Optional<string?>.Of(null), Events(Canceled, "x.y"), false),
                new Dictionary<string, string> { ["events[1]"] = "unknown event type 'x.y'" })
            .SetName("Patch_WhenValidChangesComeWithAnUnknownEvent_RefusesTheWholePatch");
        yield return new TestCaseData(
                Patch(url: "http://hooks.example.com/changed", description: "New label", active: false),
                new Dictionary<string, string> { ["url"] = HttpsUrl.NotHttpsMessage })
            .SetName("Patch_WhenValidChangesComeWithABadUrl_RefusesTheWholePatch");
    }

    [TestCaseSource(nameof(RefusedCases))]
    public void Patch_WhenAFieldBreaksARule_ThrowsWithEveryViolationAndChangesNothing(WebhookEndpointPatch patch, Dictionary<string, string> expectedErrors)
    {
        var endpoint = NewEndpoint();
        var before = EndpointSnapshot.Of(endpoint);

        var exception = Assert.Throws<ValidationFailedException>(() => endpoint.Patch(patch, Catalog, Later));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception.Errors, Is.EquivalentTo(expectedErrors));
            Assert.That(EndpointSnapshot.Of(endpoint), Is.EqualTo(before));
            Assert.That(endpoint.UpdatedAt, Is.EqualTo(CreatedAt));
        }
    }

    private static Optional<IReadOnlyList<string?>?> Events(params string?[] items) => Optional<IReadOnlyList<string?>?>.Of(items);
}
