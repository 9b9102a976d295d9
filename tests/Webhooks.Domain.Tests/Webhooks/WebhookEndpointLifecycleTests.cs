using static Webhooks.Domain.Tests.TestData;

namespace Webhooks.Domain.Tests.Webhooks;

/// <summary>The revision (optimistic-concurrency token and ETag basis), secret rotation and deletion.</summary>
public sealed class WebhookEndpointLifecycleTests
{
    private const string SecondSecret = "protected:whsec_second";

    private static readonly DateTimeOffset Latest = EvenLater.AddHours(1);

    [Test]
    public void Register_StartsAtRevisionOne()
    {
        Assert.That(NewEndpoint().Revision, Is.EqualTo(1));
    }

    [Test]
    public void Create_StartsAtRevisionOneAndKeepsTheProtectedSecret()
    {
        var endpoint = WebhookEndpoint.Create(
            EndpointId,
            OrgId,
            HttpsUrl.Create("https://hooks.example.com/x").Value!,
            null,
            EventTypeSet.Create([BalanceLow], Catalog).Value!,
            active: true,
            LatestVersion,
            ProtectedSecret,
            CreatedAt);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(endpoint.Revision, Is.EqualTo(1));
            Assert.That(endpoint.ProtectedSecret, Is.EqualTo(ProtectedSecret));
        }
    }

    [TestCase(null)]
    [TestCase("")]
    public void Register_WhenProtectedSecretIsMissing_Throws(string? protectedSecret)
    {
        Assert.That(
            () => Endpoints.Register(EndpointId, OrgId, new NewWebhookEndpoint("https://hooks.example.com/x", [BalanceLow]), Catalog, protectedSecret!, CreatedAt),
            Throws.InstanceOf<ArgumentException>());
    }

    private static IEnumerable<TestCaseData> SingleChanges()
    {
        var url = HttpsUrl.Create("https://hooks.example.com/other").Value!;
        var label = Description.Create("Billing").Value;
        var events = EventTypeSet.Create([PastDue], Catalog).Value!;
        yield return new TestCaseData(new Func<WebhookEndpoint, bool>(e => e.Patch(new WebhookEndpointChanges(Url: url), Later))).SetName("PatchUrl_WhenUrlDiffers_GrowsRevisionByOne");
        yield return new TestCaseData(new Func<WebhookEndpoint, bool>(e => e.Patch(new WebhookEndpointChanges(Description: label), Later))).SetName("PatchDescription_WhenLabelDiffers_GrowsRevisionByOne");
        yield return new TestCaseData(new Func<WebhookEndpoint, bool>(e => e.Patch(new WebhookEndpointChanges(Description: Optional<Description?>.Of(null)), Later))).SetName("PatchDescription_WhenLabelIsCleared_GrowsRevisionByOne");
        yield return new TestCaseData(new Func<WebhookEndpoint, bool>(e => e.Patch(new WebhookEndpointChanges(Events: events), Later))).SetName("PatchEvents_WhenEventsDiffer_GrowsRevisionByOne");
        yield return new TestCaseData(new Func<WebhookEndpoint, bool>(e => e.Patch(new WebhookEndpointChanges(Active: false), Later))).SetName("PatchActiveFalse_WhenActive_GrowsRevisionByOne");
        yield return new TestCaseData(new Func<WebhookEndpoint, bool>(e => e.Patch(Patch(description: "Billing"), Catalog, Later))).SetName("Patch_WhenOneFieldDiffers_GrowsRevisionByOne");
        yield return new TestCaseData(new Func<WebhookEndpoint, bool>(e => e.Patch(Patch(url: "https://hooks.example.com/y3labs/ops", active: false), Catalog, Later)))
            .SetName("Patch_WhenOneOfTwoSentFieldsDiffers_GrowsRevisionByOne");
    }

    [TestCaseSource(nameof(SingleChanges))]
    public void Change_WhenAValueDiffers_GrowsRevisionByExactlyOneAndMovesUpdatedAt(Func<WebhookEndpoint, bool> change)
    {
        var endpoint = NewEndpoint();

        var changed = change(endpoint);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.True);
            Assert.That(endpoint.Revision, Is.EqualTo(2));
            Assert.That(endpoint.UpdatedAt, Is.EqualTo(Later));
        }
    }

    private static IEnumerable<TestCaseData> NoOps()
    {
        var sameUrl = HttpsUrl.Create("https://hooks.example.com/y3labs/ops").Value!;
        var sameLabel = Description.Create("Ops alerts").Value;
        var sameEvents = EventTypeSet.Create([BalanceLow, BalanceZero], Catalog).Value!;
        yield return new TestCaseData(new Func<WebhookEndpoint, bool>(e => e.Patch(new WebhookEndpointChanges(Url: sameUrl), Later))).SetName("PatchUrl_WhenUrlIsTheSame_KeepsRevision");
        yield return new TestCaseData(new Func<WebhookEndpoint, bool>(e => e.Patch(new WebhookEndpointChanges(Description: sameLabel), Later))).SetName("PatchDescription_WhenLabelIsTheSame_KeepsRevision");
        yield return new TestCaseData(new Func<WebhookEndpoint, bool>(e => e.Patch(new WebhookEndpointChanges(Events: sameEvents), Later))).SetName("PatchEvents_WhenEventsAreTheSame_KeepsRevision");
        yield return new TestCaseData(new Func<WebhookEndpoint, bool>(e => e.Patch(new WebhookEndpointChanges(Active: true), Later))).SetName("PatchActiveTrue_WhenAlreadyActive_KeepsRevision");
        yield return new TestCaseData(new Func<WebhookEndpoint, bool>(e => e.Patch(Patch(), Catalog, Later))).SetName("Patch_WhenEmpty_KeepsRevision");
        yield return new TestCaseData(new Func<WebhookEndpoint, bool>(e => e.Patch(Patch("https://hooks.example.com/y3labs/ops", "Ops alerts", Optional<IReadOnlyList<string?>?>.Of([BalanceLow, BalanceZero]), true, LatestVersion), Catalog, Later)))
            .SetName("Patch_WhenEveryValueIsTheCurrentOne_KeepsRevision");
    }

    [TestCaseSource(nameof(NoOps))]
    public void Change_WhenNothingDiffers_KeepsRevisionAndUpdatedAt(Func<WebhookEndpoint, bool> change)
    {
        var endpoint = NewEndpoint();

        var changed = change(endpoint);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.False);
            Assert.That(endpoint.Revision, Is.EqualTo(1));
            Assert.That(endpoint.UpdatedAt, Is.EqualTo(CreatedAt));
        }
    }

    [Test]
    public void Patch_WhenRefused_KeepsRevision()
    {
        var endpoint = NewEndpoint();

        Assert.Catch<ValidationFailedException>(() => endpoint.Patch(Patch(description: "New label", url: "http://hooks.example.com/x"), Catalog, Later));

        Assert.That(endpoint.Revision, Is.EqualTo(1));
    }

    [Test]
    public void Changes_InSequence_GrowRevisionByOneEach()
    {
        var endpoint = NewEndpoint();
        var revisions = new List<int> { endpoint.Revision };

        endpoint.Patch(new WebhookEndpointChanges(Active: false), Later);
        revisions.Add(endpoint.Revision);
        endpoint.Patch(new WebhookEndpointChanges(Active: false), Later);
        revisions.Add(endpoint.Revision);
        endpoint.Patch(new WebhookEndpointChanges(Active: true), EvenLater);
        revisions.Add(endpoint.Revision);
        endpoint.RotateSecret(SecondSecret, SecretGrace.Default, EvenLater);
        revisions.Add(endpoint.Revision);
        endpoint.Patch(Patch(), Catalog, Latest);
        revisions.Add(endpoint.Revision);
        endpoint.Delete(Latest);
        revisions.Add(endpoint.Revision);

        Assert.That(revisions, Is.EqualTo(new[] { 1, 2, 2, 3, 4, 4, 5 }));
    }

    [TestCase(0L, null)]
    [TestCase(1L, 1L)]
    [TestCase(SecretGrace.DefaultSeconds, SecretGrace.DefaultSeconds)]
    [TestCase(SecretGrace.MaxSeconds, SecretGrace.MaxSeconds)]
    public void RotateSecret_ReplacesTheSecretKeepsTheOldOneForTheGraceAndGrowsRevisionAndUpdatedAt(long graceSeconds, long? expiresAfterSeconds)
    {
        var endpoint = NewEndpoint();
        var before = EndpointSnapshot.Of(endpoint);

        endpoint.RotateSecret(SecondSecret, Grace(graceSeconds), Later);

        Assert.That(
            EndpointSnapshot.Of(endpoint),
            Is.EqualTo(before with
            {
                ProtectedSecret = SecondSecret,
                PreviousProtectedSecret = expiresAfterSeconds is null ? null : ProtectedSecret,
                PreviousSecretExpiresAt = expiresAfterSeconds is { } seconds ? Later.AddSeconds(seconds) : null,
                Revision = 2,
                UpdatedAt = Later,
            }));
    }

    [Test]
    public void RotateSecret_Twice_IsTwoChangesAndOnlyTheLastReplacedSecretKeepsSigning()
    {
        var endpoint = NewEndpoint();

        endpoint.RotateSecret(SecondSecret, SecretGrace.Default, Later);
        endpoint.RotateSecret("protected:whsec_third", Grace(60), EvenLater);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(endpoint.ProtectedSecret, Is.EqualTo("protected:whsec_third"));
            Assert.That(endpoint.PreviousProtectedSecret, Is.EqualTo(SecondSecret));
            Assert.That(endpoint.PreviousSecretExpiresAt, Is.EqualTo(EvenLater.AddSeconds(60)));
            Assert.That(endpoint.Revision, Is.EqualTo(3));
            Assert.That(endpoint.UpdatedAt, Is.EqualTo(EvenLater));
        }
    }

    public static IEnumerable<TestCaseData> SigningSecretsCases() =>
    [
        new TestCaseData(0L, Later).Returns(new[] { SecondSecret }).SetName("ProtectedSigningSecrets_WithoutGrace_IsTheNewSecretOnly"),
        new TestCaseData(3600L, Later).Returns(new[] { SecondSecret, ProtectedSecret }).SetName("ProtectedSigningSecrets_AtTheRotation_IsTheNewSecretThenTheOldOne"),
        new TestCaseData(3600L, Later.AddSeconds(3599)).Returns(new[] { SecondSecret, ProtectedSecret }).SetName("ProtectedSigningSecrets_TheLastSecondOfTheGrace_IsBoth"),
        new TestCaseData(3600L, Later.AddSeconds(3600)).Returns(new[] { SecondSecret }).SetName("ProtectedSigningSecrets_WhenTheGraceEnds_IsTheNewSecretOnly"),
    ];

    [TestCaseSource(nameof(SigningSecretsCases))]
    public IReadOnlyList<string> ProtectedSigningSecrets(long graceSeconds, DateTimeOffset at)
    {
        var endpoint = NewEndpoint();
        endpoint.RotateSecret(SecondSecret, Grace(graceSeconds), Later);
        return endpoint.ProtectedSigningSecrets(at);
    }

    [Test]
    public void ProtectedSigningSecrets_BeforeAnyRotation_IsTheSecret()
    {
        Assert.That(NewEndpoint().ProtectedSigningSecrets(Later), Is.EqualTo(new[] { ProtectedSecret }));
    }

    [TestCase(null)]
    [TestCase("")]
    public void RotateSecret_WhenSecretIsMissing_ThrowsAndChangesNothing(string? protectedSecret)
    {
        var endpoint = NewEndpoint();
        var before = EndpointSnapshot.Of(endpoint);

        Assert.That(() => endpoint.RotateSecret(protectedSecret!, SecretGrace.Default, Later), Throws.InstanceOf<ArgumentException>());
        Assert.That(EndpointSnapshot.Of(endpoint), Is.EqualTo(before));
    }

    [Test]
    public void Delete_SetsDeletedAtAndGrowsRevisionAndUpdatedAt()
    {
        var endpoint = NewEndpoint();
        endpoint.Patch(new WebhookEndpointChanges(Active: false), Later);
        var before = EndpointSnapshot.Of(endpoint);

        endpoint.Delete(EvenLater);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(endpoint.DeletedAt, Is.EqualTo(EvenLater));
            Assert.That(endpoint.IsDeleted, Is.True);
            Assert.That(endpoint.Revision, Is.EqualTo(3));
            Assert.That(endpoint.ProtectedSecret, Is.EqualTo(ProtectedSecret));
            Assert.That(EndpointSnapshot.Of(endpoint), Is.EqualTo(before with { UpdatedAt = EvenLater, DeletedAt = EvenLater, Revision = 3 }));
        }
    }

    private static IEnumerable<TestCaseData> EveryChange()
    {
        var url = HttpsUrl.Create("https://hooks.example.com/other").Value!;
        var events = EventTypeSet.Create([PastDue], Catalog).Value!;
        yield return new TestCaseData(new Action<WebhookEndpoint>(e => e.Patch(Patch(), Catalog, Latest))).SetName("Patch_AfterDelete_ThrowsEvenWhenEmpty");
        yield return new TestCaseData(new Action<WebhookEndpoint>(e => e.Patch(Patch(active: false), Catalog, Latest))).SetName("PatchAsSent_AfterDelete_Throws");
        yield return new TestCaseData(new Action<WebhookEndpoint>(e => e.Patch(Patch(url: "https://hooks.example.com/other"), Catalog, Latest))).SetName("PatchUrlAsSent_AfterDelete_Throws");
        yield return new TestCaseData(new Action<WebhookEndpoint>(e => e.Patch(new WebhookEndpointChanges(Url: url), Latest))).SetName("PatchUrl_AfterDelete_Throws");
        yield return new TestCaseData(new Action<WebhookEndpoint>(e => e.Patch(new WebhookEndpointChanges(Description: Optional<Description?>.Of(null)), Latest))).SetName("PatchDescription_AfterDelete_Throws");
        yield return new TestCaseData(new Action<WebhookEndpoint>(e => e.Patch(new WebhookEndpointChanges(Events: events), Latest))).SetName("PatchEvents_AfterDelete_Throws");
        yield return new TestCaseData(new Action<WebhookEndpoint>(e => e.Patch(new WebhookEndpointChanges(Active: true), Latest))).SetName("PatchActiveTrue_AfterDelete_Throws");
        yield return new TestCaseData(new Action<WebhookEndpoint>(e => e.Patch(new WebhookEndpointChanges(Active: false), Latest))).SetName("PatchActiveFalse_AfterDelete_Throws");
        yield return new TestCaseData(new Action<WebhookEndpoint>(e => e.RotateSecret(SecondSecret, SecretGrace.Default, Latest))).SetName("RotateSecret_AfterDelete_Throws");
        yield return new TestCaseData(new Action<WebhookEndpoint>(e => e.Delete(Latest))).SetName("Delete_AfterDelete_Throws");
    }

    [TestCaseSource(nameof(EveryChange))]
    public void AnyChange_AfterDelete_ThrowsAndKeepsTheFinalState(Action<WebhookEndpoint> change)
    {
        var endpoint = NewEndpoint();
        endpoint.Delete(Later);
        var final = EndpointSnapshot.Of(endpoint);

        Assert.That(() => change(endpoint), Throws.InvalidOperationException);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(EndpointSnapshot.Of(endpoint), Is.EqualTo(final));
            Assert.That(endpoint.Revision, Is.EqualTo(2));
            Assert.That(endpoint.DeletedAt, Is.EqualTo(Later));
        }
    }

    private static SecretGrace Grace(long seconds) => SecretGrace.FromSeconds(seconds).Value!;
}
