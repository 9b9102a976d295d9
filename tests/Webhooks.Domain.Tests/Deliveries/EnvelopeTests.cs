using System.Text;
using Webhooks.Domain.Deliveries;
using static Webhooks.Domain.Tests.Deliveries.DeliveryTestData;

namespace Webhooks.Domain.Tests.Deliveries;

/// <summary>
/// The body a receiver gets (contract, "The request a receiver gets"): the envelope of the endpoint's
/// <c>api_version</c>, or the client envelope, with <c>data</c> exactly as published, the same bytes every time.
/// </summary>
public sealed class EnvelopeTests
{
    /// <summary>Data as a producer might send it: spaces, a line break, a number's own spelling, raw and escaped non-ASCII, HTML-ish characters.</summary>
    private const string PublishedData = """
        { "wallet_id": "w_1",
          "balance": 12.50, "note": "café ✓ 😀 <b>&'+", "escaped": "\u00e9\n" }
        """;

    private const string EndpointEnvelope =
        """{"id":"0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3c0","type":"wallet.balance_low","api_version":"2026-04-01","created_at":"2026-04-26T12:00:00Z","data":{ "wallet_id": "w_1",""" + "\n"
        + """  "balance": 12.50, "note": "café ✓ 😀 <b>&'+", "escaped": "\u00e9\n" }}""";

    private const string ClientEnvelope =
        """{"id":"0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3c0","type":"device.online","created_at":"2026-04-26T12:00:00Z","data":{ "wallet_id": "w_1",""" + "\n"
        + """  "balance": 12.50, "note": "café ✓ 😀 <b>&'+", "escaped": "\u00e9\n" }}""";

    // 14:00:00.789 at +02:00: 12:00:00 UTC, to the whole second as the API prints it.
    private static readonly DateTimeOffset CreatedAtInAnotherOffset = new(2026, 4, 26, 14, 0, 0, 789, TimeSpan.FromHours(2));

    private static Event OrganizationEventOfPublishedData() =>
        Event.ForOrganization(EventId, TestData.OrgId, TestData.BalanceLow, Data(PublishedData), CreatedAtInAnotherOffset);

    private static Event ClientEventOfPublishedData() =>
        Event.ForClient(EventId, ClientId, "device.online", Data(PublishedData), CreatedAtInAnotherOffset);

    private static EnvelopeWriters Writers(params IEnvelopeWriter[] extra) => new([new Envelope20260401Writer(), .. extra]);

    [Test]
    public void Envelope20260401_IsIdTypeApiVersionCreatedAtAndTheDataAsPublished() =>
        Assert.That(Writers().ForEndpoint(Envelope20260401Writer.Version, OrganizationEventOfPublishedData()), Is.EqualTo(Encoding.UTF8.GetBytes(EndpointEnvelope)));

    [Test]
    public void ClientEnvelope_IsIdTypeCreatedAtAndTheDataAsPublished() =>
        Assert.That(EnvelopeWriters.ForClient(ClientEventOfPublishedData()), Is.EqualTo(Encoding.UTF8.GetBytes(ClientEnvelope)));

    [Test]
    public void Envelopes_OfTheSameEvent_AreTheSameBytesEveryTime()
    {
        var evt = OrganizationEventOfPublishedData();
        var writers = Writers();
        var first = writers.ForEndpoint(Envelope20260401Writer.Version, evt);
        var firstForClient = EnvelopeWriters.ForClient(evt);

        var second = writers.ForEndpoint(Envelope20260401Writer.Version, evt);
        var secondForClient = EnvelopeWriters.ForClient(evt);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.EqualTo(first));
            Assert.That(new Envelope20260401Writer().Write(evt), Is.EqualTo(first));
            Assert.That(secondForClient, Is.EqualTo(firstForClient));
        }
    }

    [Test]
    public void ForEndpoint_WithTwoVersions_WritesEachEndpointsOwnEnvelope()
    {
        var writers = Writers(new NestedWriter());
        var evt = OrganizationEvent();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(writers.Versions, Is.EquivalentTo(new[] { Envelope20260401Writer.Version, NestedWriter.Version }));
            Assert.That(
                Encoding.UTF8.GetString(writers.ForEndpoint(Envelope20260401Writer.Version, evt)),
                Is.EqualTo("""{"id":"0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3c0","type":"wallet.balance_low","api_version":"2026-04-01","created_at":"2026-04-26T12:00:00Z","data":{"wallet_id":"w_1"}}"""));
            Assert.That(
                Encoding.UTF8.GetString(writers.ForEndpoint(NestedWriter.Version, evt)),
                Is.EqualTo("""{"version":"2027-01-01","event":{"id":"0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3c0","payload":{"wallet_id":"w_1"}}}"""));
        }
    }

    [Test]
    public void ForEndpoint_OfAVersionNoWriterServes_IsRefused() =>
        Assert.That(
            () => Writers().ForEndpoint("2027-01-01", OrganizationEvent()),
            Throws.InvalidOperationException.With.Message.EqualTo("No envelope writer for API version 2027-01-01."));

    [Test]
    public void EnvelopeWriters_TwoForOneVersion_AreRefused() =>
        Assert.That(
            () => Writers(new Envelope20260401Writer()),
            Throws.ArgumentException.With.Message.StartsWith("Two envelope writers for API version 2026-04-01."));

    [Test]
    public void EnsureServes_EveryConfiguredVersion_Passes() =>
        Assert.That(() => Writers(new NestedWriter()).EnsureServes([NestedWriter.Version, Envelope20260401Writer.Version]), Throws.Nothing);

    [Test]
    public void EnsureServes_NoVersions_Passes() =>
        Assert.That(() => Writers().EnsureServes([]), Throws.Nothing);

    [Test]
    public void EnsureServes_AVersionWithoutAWriter_NamesEachMissingOneAndTheWritersThatExist() =>
        Assert.That(
            () => Writers().EnsureServes(["2025-06-01", Envelope20260401Writer.Version, "2027-01-01"]),
            Throws.InvalidOperationException.With.Message.EqualTo(
                "No envelope writer for API version(s) 2025-06-01, 2027-01-01: every configured version needs one. Writers exist for 2026-04-01."));

    [Test]
    public void EnsureServes_AVersionSpelledAnyOtherWay_IsNotServed() =>
        Assert.That(() => Writers().EnsureServes(["2026-04-01 "]), Throws.InvalidOperationException);

    [Test]
    public void EnsureServes_WithoutAList_IsAProgrammingError() =>
        Assert.That(() => Writers().EnsureServes(null!), Throws.ArgumentNullException);

    [TestCase(0, "2026-04-26T12:00:00Z")]
    [TestCase(999, "2026-04-26T12:00:00Z")]
    public void Timestamp_IsRfc3339UtcToTheWholeSecond(int milliseconds, string expected) =>
        Assert.That(EnvelopeJson.Timestamp(TestData.CreatedAt.AddMilliseconds(milliseconds).ToOffset(TimeSpan.FromHours(-5))), Is.EqualTo(expected));

    /// <summary>A second envelope version of another shape, as a later API version might have.</summary>
    private sealed class NestedWriter : IEnvelopeWriter
    {
        public const string Version = "2027-01-01";

        public string ApiVersion => Version;

        public byte[] Write(Event evt) =>
            Encoding.UTF8.GetBytes($$"""{"version":"{{Version}}","event":{"id":"{{evt.Id:D}}","payload":""" + evt.Data + "}}");
    }
}
