using Webhooks.Domain.Deliveries;
using static Webhooks.Domain.Tests.Deliveries.DeliveryTestData;
using static Webhooks.Domain.Tests.TestData;

namespace Webhooks.Domain.Tests.Deliveries;

/// <summary>
/// The delivery's state machine (contract, "Outcomes and retries"): what each attempt's result means,
/// when the next attempt is due, and that an ended delivery stays ended. The clock is the instants
/// passed in; the jitter's random number is given.
/// </summary>
public sealed class DeliveryTests
{
    /// <summary>The middle of the jitter band: the wait exactly as the schedule lists it.</summary>
    private const double NoSpread = 0.5;

    private static readonly DateTimeOffset Start = Later;

    [Test]
    public void DeliverTo_AnEndpoint_IsPendingAndDueWhenTheEventWasCreated()
    {
        var delivery = ToEndpoint();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(delivery.Id, Is.EqualTo(DeliveryId));
            Assert.That(delivery.EventId, Is.EqualTo(EventId));
            Assert.That(delivery.EventType, Is.EqualTo(BalanceLow));
            Assert.That(delivery.OrgId, Is.EqualTo(OrgId));
            Assert.That(delivery.EndpointId, Is.EqualTo(EndpointId));
            Assert.That(delivery.ClientId, Is.Null);
            Assert.That(delivery.Target, Is.EqualTo(DeliveryTarget.Endpoint(EndpointId)));
            Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Pending));
            Assert.That(delivery.HasEnded, Is.False);
            Assert.That(delivery.AttemptCount, Is.Zero);
            Assert.That(delivery.Attempts, Is.Empty);
            Assert.That(delivery.NextAttemptAt, Is.EqualTo(CreatedAt));
            Assert.That(delivery.LastAttemptAt, Is.Null);
            Assert.That(delivery.LastResponseStatus, Is.Null);
            Assert.That(delivery.CreatedAt, Is.EqualTo(CreatedAt));
            Assert.That(delivery.UpdatedAt, Is.EqualTo(CreatedAt));
        }
    }

    [Test]
    public void DeliverTo_AClient_BelongsToNoOrganization()
    {
        var delivery = ClientEvent().DeliverTo(DeliveryId, DeliveryTarget.Client(ClientId));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(delivery.EventType, Is.EqualTo("device.online"));
            Assert.That(delivery.OrgId, Is.Null);
            Assert.That(delivery.EndpointId, Is.Null);
            Assert.That(delivery.ClientId, Is.EqualTo(ClientId));
            Assert.That(delivery.Target, Is.EqualTo(DeliveryTarget.Client(ClientId)));
            Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Pending));
            Assert.That(delivery.NextAttemptAt, Is.EqualTo(CreatedAt));
        }
    }

    /// <summary>
    /// The first attempt's result, the verdict, the status it leaves, and when the next attempt is due
    /// (seconds after the attempt ended; <c>null</c>: none). The default schedule's first wait is 5 s.
    /// </summary>
    private static readonly TestCaseData[] FirstAttempts =
    [
        Verdict(Answer(199), AttemptVerdict.WillRetry, DeliveryStatus.Pending, 5).SetName("199: below 2xx, retried"),
        Verdict(Answer(200), AttemptVerdict.Succeeded, DeliveryStatus.Succeeded, null).SetName("200: succeeded"),
        Verdict(Answer(204, body: null), AttemptVerdict.Succeeded, DeliveryStatus.Succeeded, null).SetName("204 without a body: succeeded"),
        Verdict(Answer(299), AttemptVerdict.Succeeded, DeliveryStatus.Succeeded, null).SetName("299: succeeded"),
        Verdict(Answer(300), AttemptVerdict.WillRetry, DeliveryStatus.Pending, 5).SetName("300: above 2xx, retried"),
        Verdict(Answer(301), AttemptVerdict.WillRetry, DeliveryStatus.Pending, 5).SetName("301: a redirect is not followed, retried"),
        Verdict(Answer(308), AttemptVerdict.WillRetry, DeliveryStatus.Pending, 5).SetName("308: a redirect is not followed, retried"),
        Verdict(Answer(400), AttemptVerdict.WillRetry, DeliveryStatus.Pending, 5).SetName("400: retried"),
        Verdict(Answer(404), AttemptVerdict.WillRetry, DeliveryStatus.Pending, 5).SetName("404: retried"),
        Verdict(Answer(409), AttemptVerdict.WillRetry, DeliveryStatus.Pending, 5).SetName("409: retried"),
        Verdict(Answer(410), AttemptVerdict.ReceiverGone, DeliveryStatus.Failed, null).SetName("410: failed for good, the receiver is gone"),
        Verdict(Answer(411), AttemptVerdict.WillRetry, DeliveryStatus.Pending, 5).SetName("411: retried"),
        Verdict(Answer(429), AttemptVerdict.WillRetry, DeliveryStatus.Pending, 5).SetName("429 without Retry-After: retried"),
        Verdict(Answer(500), AttemptVerdict.WillRetry, DeliveryStatus.Pending, 5).SetName("500: retried"),
        Verdict(Answer(503), AttemptVerdict.WillRetry, DeliveryStatus.Pending, 5).SetName("503 without Retry-After: retried"),
        Verdict(AttemptResult.Failed("timed out after 15 s", TimeSpan.FromSeconds(15)), AttemptVerdict.WillRetry, DeliveryStatus.Pending, 5)
            .SetName("a time-out, no status: retried"),
        Verdict(AttemptResult.Failed("connection refused", TimeSpan.FromMilliseconds(3)), AttemptVerdict.WillRetry, DeliveryStatus.Pending, 5)
            .SetName("a refused connection, no status: retried"),
    ];

    [TestCaseSource(nameof(FirstAttempts))]
    public void RecordAttempt_TheFirstResult_DecidesTheDeliverysState(AttemptResult result, AttemptVerdict verdict, DeliveryStatus status, double? nextAfterSeconds)
    {
        var delivery = ToEndpoint();

        var actual = delivery.RecordAttempt(result, Start, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);

        var end = Start + result.Duration;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(actual, Is.EqualTo(verdict));
            Assert.That(delivery.Status, Is.EqualTo(status));
            Assert.That(delivery.HasEnded, Is.EqualTo(status != DeliveryStatus.Pending));
            Assert.That(delivery.NextAttemptAt, Is.EqualTo(nextAfterSeconds is { } seconds ? end + TimeSpan.FromSeconds(seconds) : null));
            Assert.That(delivery.AttemptCount, Is.EqualTo(1));
            Assert.That(delivery.LastAttemptAt, Is.EqualTo(Start));
            Assert.That(delivery.LastResponseStatus, Is.EqualTo(result.StatusCode));
            Assert.That(delivery.UpdatedAt, Is.EqualTo(end));
        }
    }

    /// <summary>
    /// The second attempt (the default schedule's second wait is 300 s): a <c>Retry-After</c> counts
    /// only on 429 and 503, only when it asks for longer, and at most the longest wait (10 h).
    /// </summary>
    private static readonly TestCaseData[] SecondAttempts =
    [
        Wait(Answer(429, retryAfter: TimeSpan.FromSeconds(900)), 900).SetName("429, Retry-After longer than the wait: honoured"),
        Wait(Answer(429, retryAfter: TimeSpan.FromSeconds(60)), 300).SetName("429, Retry-After shorter than the wait: the wait"),
        Wait(Answer(503, retryAfter: TimeSpan.FromSeconds(900)), 900).SetName("503, Retry-After longer than the wait: honoured"),
        Wait(Answer(503, retryAfter: TimeSpan.FromSeconds(299)), 300).SetName("503, Retry-After shorter than the wait: the wait"),
        Wait(Answer(503, retryAfter: TimeSpan.FromDays(3)), 36000).SetName("503, Retry-After beyond the longest wait: capped at it"),
        Wait(Answer(429, retryAfter: TimeSpan.FromSeconds(36001)), 36000).SetName("429, Retry-After one second beyond the longest wait: capped at it"),
        Wait(Answer(500, retryAfter: TimeSpan.FromSeconds(900)), 300).SetName("500 with Retry-After: ignored"),
        Wait(Answer(502, retryAfter: TimeSpan.FromSeconds(900)), 300).SetName("502 with Retry-After: ignored"),
        Wait(new AttemptResult(null, TimeSpan.FromMilliseconds(250), null, "reset by peer", TimeSpan.FromSeconds(900)), 300)
            .SetName("an error without a status, with Retry-After: ignored"),
    ];

    [TestCaseSource(nameof(SecondAttempts))]
    public void RecordAttempt_AfterTheSecondFailure_WaitsAsRetryAfterAllows(AttemptResult result, double waitSeconds)
    {
        var delivery = ToEndpoint();
        delivery.RecordAttempt(Answer(500), Start, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);
        var secondStart = delivery.NextAttemptAt!.Value;

        var verdict = delivery.RecordAttempt(result, secondStart, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict, Is.EqualTo(AttemptVerdict.WillRetry));
            Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Pending));
            Assert.That(delivery.NextAttemptAt, Is.EqualTo(secondStart + result.Duration + TimeSpan.FromSeconds(waitSeconds)));
            Assert.That(delivery.AttemptCount, Is.EqualTo(2));
        }
    }

    /// <summary>Every wait of the default schedule at the edges of its ±20 % band.</summary>
    private static readonly TestCaseData[] Walks =
    [
        new TestCaseData(0.0, new[] { 4.0, 240, 1440, 5760, 14400, 28800, 28800 }).SetName("the shortest of each band (unitRandom 0)"),
        new TestCaseData(0.999, new[] { 5.998, 359.88, 2159.28, 8637.12, 21592.8, 43185.6, 43185.6 }).SetName("the longest of each band (unitRandom 0.999)"),
    ];

    [TestCaseSource(nameof(Walks))]
    public void RecordAttempt_FailingThroughTheDefaultSchedule_RetriesAfterEachWaitThenFailsAfterTheEighth(double unitRandom, double[] waitSeconds)
    {
        var delivery = ToEndpoint();
        var startedAt = delivery.NextAttemptAt!.Value;
        var verdicts = new List<AttemptVerdict>();
        var waits = new List<double>();
        var starts = new List<DateTimeOffset>();

        for (var attempt = 1; attempt <= RetrySchedule.Default.MaxAttempts; attempt++)
        {
            var result = Answer(500, milliseconds: 1500);
            starts.Add(startedAt);
            verdicts.Add(delivery.RecordAttempt(result, startedAt, AttemptTrigger.Scheduled, RetrySchedule.Default, unitRandom));
            if (delivery.NextAttemptAt is { } next)
            {
                waits.Add(Math.Round((next - (startedAt + result.Duration)).TotalSeconds, 3));
                startedAt = next;
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdicts, Is.EqualTo(Enumerable.Repeat(AttemptVerdict.WillRetry, 7).Append(AttemptVerdict.Failed)));
            Assert.That(waits, Is.EqualTo(waitSeconds));
            Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Failed));
            Assert.That(delivery.NextAttemptAt, Is.Null);
            Assert.That(delivery.AttemptCount, Is.EqualTo(8));
            Assert.That(delivery.Attempts.Select(a => a.Number), Is.EqualTo(Enumerable.Range(1, 8)));
            Assert.That(delivery.Attempts.Select(a => a.StartedAt), Is.EqualTo(starts));
            Assert.That(delivery.Attempts.Select(a => a.Trigger), Is.All.EqualTo(AttemptTrigger.Scheduled));
            Assert.That(delivery.LastAttemptAt, Is.EqualTo(starts[^1]));
            Assert.That(delivery.UpdatedAt, Is.EqualTo(starts[^1] + TimeSpan.FromMilliseconds(1500)));
        }
    }

    [Test]
    public void RecordAttempt_AfterTheLastAttemptOfAShortSchedule_FailsEvenWhenRetryAfterAsksForMore()
    {
        var delivery = ToEndpoint();
        var schedule = RetrySchedule.Create([5], 0).Value!;
        delivery.RecordAttempt(Answer(503), Start, AttemptTrigger.Scheduled, schedule, NoSpread);

        var verdict = delivery.RecordAttempt(Answer(503, retryAfter: TimeSpan.FromSeconds(60)), delivery.NextAttemptAt!.Value, AttemptTrigger.Scheduled, schedule, NoSpread);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict, Is.EqualTo(AttemptVerdict.Failed));
            Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Failed));
            Assert.That(delivery.NextAttemptAt, Is.Null);
            Assert.That(delivery.AttemptCount, Is.EqualTo(2));
        }
    }

    /// <summary>How a delivery can have ended before an attempt in flight comes back.</summary>
    private static readonly TestCaseData[] Ended =
    [
        new TestCaseData((Action<Delivery>)(d => d.RecordAttempt(Answer(200), Start, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread)), DeliveryStatus.Succeeded)
            .SetName("succeeded (another attempt)"),
        new TestCaseData((Action<Delivery>)(d => d.RecordAttempt(Answer(410), Start, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread)), DeliveryStatus.Failed)
            .SetName("failed for good (410)"),
        new TestCaseData((Action<Delivery>)(d => d.Cancel(Start)), DeliveryStatus.Canceled).SetName("canceled"),
    ];

    [TestCaseSource(nameof(Ended))]
    public void RecordAttempt_AfterTheDeliveryEnded_IsRecordedAndChangesNothingElse(Action<Delivery> end, DeliveryStatus status)
    {
        var delivery = ToEndpoint();
        end(delivery);
        var countBefore = delivery.AttemptCount;
        var attemptStart = EvenLater;
        var result = Answer(500, milliseconds: 40, body: "late");

        var verdict = delivery.RecordAttempt(result, attemptStart, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict, Is.EqualTo(AttemptVerdict.AlreadyEnded));
            Assert.That(delivery.Status, Is.EqualTo(status));
            Assert.That(delivery.NextAttemptAt, Is.Null);
            Assert.That(delivery.AttemptCount, Is.EqualTo(countBefore + 1));
            Assert.That(delivery.Attempts, Has.Count.EqualTo(countBefore + 1));
            Assert.That(delivery.Attempts[^1].Number, Is.EqualTo(countBefore + 1));
            Assert.That(delivery.Attempts[^1].ResponseBody, Is.EqualTo("late"));
            Assert.That(delivery.LastAttemptAt, Is.EqualTo(attemptStart));
            Assert.That(delivery.LastResponseStatus, Is.EqualTo(500));
            Assert.That(delivery.UpdatedAt, Is.EqualTo(attemptStart + result.Duration));
        }
    }

    [Test]
    public void RecordAttempt_AFailureAfterSuccess_DoesNotUndoIt()
    {
        var delivery = ToEndpoint();
        delivery.RecordAttempt(Answer(200), Start, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);

        var verdict = delivery.RecordAttempt(Answer(410), Later.AddSeconds(1), AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);

        Assert.That((verdict, delivery.Status), Is.EqualTo((AttemptVerdict.AlreadyEnded, DeliveryStatus.Succeeded)));
    }

    [Test]
    public void RecordAttempt_KeepsEveryPartOfTheResult()
    {
        var delivery = ToEndpoint();

        delivery.RecordAttempt(Answer(502, milliseconds: 812.4, body: "{\"error\":\"upstream\"}"), Start, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);
        delivery.RecordAttempt(AttemptResult.Failed("TLS: the certificate is not trusted", TimeSpan.FromMilliseconds(20.6)), Later.AddMinutes(1), AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);

        var expected = new[]
        {
            (DeliveryId, 1, AttemptTrigger.Scheduled, Start, 812, (int?)502, (string?)"{\"error\":\"upstream\"}", (string?)null),
            (DeliveryId, 2, AttemptTrigger.Scheduled, Later.AddMinutes(1), 21, null, null, "TLS: the certificate is not trusted"),
        };
        Assert.That(
            delivery.Attempts.Select(a => (a.DeliveryId, a.Number, a.Trigger, a.StartedAt, a.DurationMs, a.ResponseStatus, a.ResponseBody, a.Error)),
            Is.EqualTo(expected));
        Assert.That(delivery.LastResponseStatus, Is.Null, "an attempt without an answer has no status");
    }

    private static readonly TestCaseData[] Durations =
    [
        new TestCaseData(TimeSpan.Zero, 0).SetName("none: 0 ms"),
        new TestCaseData(TimeSpan.FromMilliseconds(0.4), 0).SetName("0.4 ms: 0 ms"),
        new TestCaseData(TimeSpan.FromMilliseconds(1.6), 2).SetName("1.6 ms: 2 ms"),
        new TestCaseData(TimeSpan.FromSeconds(15), 15000).SetName("15 s: 15000 ms"),
        new TestCaseData(TimeSpan.FromMilliseconds(-5), 0).SetName("a clock step backwards: 0 ms"),
        new TestCaseData(TimeSpan.FromDays(30), int.MaxValue).SetName("longer than an int holds: the largest int"),
    ];

    [TestCaseSource(nameof(Durations))]
    public void RecordAttempt_StoresTheDurationInWholeMilliseconds(TimeSpan duration, int milliseconds)
    {
        var delivery = ToEndpoint();

        delivery.RecordAttempt(new AttemptResult(200, duration, null, null), Start, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);

        Assert.That(delivery.Attempts[0].DurationMs, Is.EqualTo(milliseconds));
    }

    private static readonly TestCaseData[] LongTexts =
    [
        new TestCaseData(Repeat("e", DeliveryAttempt.MaxErrorLength - 1), Repeat("e", DeliveryAttempt.MaxErrorLength - 1)).SetName("one under the limit: kept"),
        new TestCaseData(Repeat("e", DeliveryAttempt.MaxErrorLength), Repeat("e", DeliveryAttempt.MaxErrorLength)).SetName("at the limit: kept"),
        new TestCaseData(Repeat("e", DeliveryAttempt.MaxErrorLength + 1), Repeat("e", DeliveryAttempt.MaxErrorLength)).SetName("one over: cut to the limit"),
        new TestCaseData(Repeat("e", 5000), Repeat("e", DeliveryAttempt.MaxErrorLength)).SetName("far over: cut to the limit"),
        new TestCaseData(Repeat("e", DeliveryAttempt.MaxErrorLength - 1) + "\U0001F600 and more", Repeat("e", DeliveryAttempt.MaxErrorLength - 1))
            .SetName("a surrogate pair across the limit: cut before it"),
    ];

    [TestCaseSource(nameof(LongTexts))]
    public void RecordAttempt_KeepsTheStartOfALongError(string error, string kept)
    {
        var delivery = ToEndpoint();

        delivery.RecordAttempt(AttemptResult.Failed(error, TimeSpan.FromSeconds(1)), Start, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);

        Assert.That(delivery.Attempts[0].Error, Is.EqualTo(kept));
    }

    [TestCase(AttemptResult.MaxResponseBodyBytes, AttemptResult.MaxResponseBodyBytes)]
    [TestCase(AttemptResult.MaxResponseBodyBytes + 1, AttemptResult.MaxResponseBodyBytes)]
    public void RecordAttempt_KeepsAtMost4KiBOfTheResponseBody(int length, int kept)
    {
        var delivery = ToEndpoint();

        delivery.RecordAttempt(Answer(500, body: Repeat("b", length)), Start, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);

        Assert.That(delivery.Attempts[0].ResponseBody, Is.EqualTo(Repeat("b", kept)));
    }

    [Test]
    public void RecordAttempt_ShowsEachNulOfTheResponseBodyAndErrorAsTheReplacementCharacter()
    {
        var answered = ToEndpoint();
        var failed = ToEndpoint();

        answered.RecordAttempt(Answer(500, body: "a\0b\0"), Start, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);
        failed.RecordAttempt(AttemptResult.Failed("reset\0", TimeSpan.FromSeconds(1)), Start, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);

        Assert.Multiple(() =>
        {
            Assert.That(answered.Attempts[0].ResponseBody, Is.EqualTo("a\uFFFDb\uFFFD"));
            Assert.That(failed.Attempts[0].Error, Is.EqualTo("reset\uFFFD"));
        });
    }

    [Test]
    public void Cancel_WhilePending_EndsTheDeliveryWithNothingDue()
    {
        var delivery = ToEndpoint();
        delivery.RecordAttempt(Answer(500), Start, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);

        var canceled = delivery.Cancel(EvenLater);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(canceled, Is.True);
            Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Canceled));
            Assert.That(delivery.HasEnded, Is.True);
            Assert.That(delivery.NextAttemptAt, Is.Null);
            Assert.That(delivery.UpdatedAt, Is.EqualTo(EvenLater));
            Assert.That(delivery.AttemptCount, Is.EqualTo(1), "the attempts made stay");
        }
    }

    [Test]
    public void AnAttemptInFlightWhenTheDeliveryWasCanceled_IsRecorded_AndUpdatedAtStaysAtTheCancellation()
    {
        var delivery = ToEndpoint();
        delivery.Cancel(EvenLater);

        var verdict = delivery.RecordAttempt(Answer(200), Start, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict, Is.EqualTo(AttemptVerdict.AlreadyEnded));
            Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Canceled));
            Assert.That(delivery.AttemptCount, Is.EqualTo(1));
            Assert.That(delivery.UpdatedAt, Is.EqualTo(EvenLater), "the attempt ended before the cancellation: updated_at does not go back");
        }
    }

    private static readonly TestCaseData[] EndedBefore =
    [
        new TestCaseData(Answer(200), DeliveryStatus.Succeeded).SetName("succeeded"),
        new TestCaseData(Answer(410), DeliveryStatus.Failed).SetName("failed"),
    ];

    [TestCaseSource(nameof(EndedBefore))]
    public void Cancel_AfterTheDeliveryEnded_ChangesNothing(AttemptResult result, DeliveryStatus status)
    {
        var delivery = ToEndpoint();
        delivery.RecordAttempt(result, Start, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);
        var updatedAt = delivery.UpdatedAt;

        var canceled = delivery.Cancel(EvenLater);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(canceled, Is.False);
            Assert.That(delivery.Status, Is.EqualTo(status));
            Assert.That(delivery.UpdatedAt, Is.EqualTo(updatedAt));
        }
    }

    [Test]
    public void Cancel_Twice_KeepsTheFirstTime()
    {
        var delivery = ToEndpoint();
        delivery.Cancel(Later);

        var canceled = delivery.Cancel(EvenLater);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(canceled, Is.False);
            Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Canceled));
            Assert.That(delivery.UpdatedAt, Is.EqualTo(Later));
        }
    }

    [Test]
    public void RecordAttempt_WithoutAResultOrASchedule_IsAProgrammingError()
    {
        var delivery = ToEndpoint();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => delivery.RecordAttempt(null!, Start, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread), Throws.ArgumentNullException);
            Assert.That(() => delivery.RecordAttempt(Answer(200), Start, AttemptTrigger.Scheduled, null!, NoSpread), Throws.ArgumentNullException);
            Assert.That(delivery.AttemptCount, Is.Zero);
        }
    }

    private static TestCaseData Verdict(AttemptResult result, AttemptVerdict verdict, DeliveryStatus status, double? nextAfterSeconds) =>
        new(result, verdict, status, nextAfterSeconds);

    private static TestCaseData Wait(AttemptResult result, double waitSeconds) => new(result, waitSeconds);
}
