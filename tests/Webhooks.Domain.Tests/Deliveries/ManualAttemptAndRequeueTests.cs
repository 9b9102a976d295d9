using Webhooks.Domain.Deliveries;
using static Webhooks.Domain.Tests.Deliveries.DeliveryTestData;
using static Webhooks.Domain.Tests.TestData;

namespace Webhooks.Domain.Tests.Deliveries;

/// <summary>
/// Steering a delivery (contract, "Seeing and steering deliveries"): a manual attempt is made whatever
/// the status and never restarts the schedule; recover puts a failed delivery back with a fresh round.
/// </summary>
public sealed class ManualAttemptAndRequeueTests
{
    private const double NoSpread = 0.5;

    private static readonly DateTimeOffset ManualStart = EvenLater;

    /// <summary>A delivery in <paramref name="status"/>, reached by a scheduled attempt at <see cref="TestData.Later"/> (or a cancellation).</summary>
    private static Delivery In(DeliveryStatus status)
    {
        var delivery = ToEndpoint();
        switch (status)
        {
            case DeliveryStatus.Pending:
                delivery.RecordAttempt(Answer(500), Later, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);
                break;
            case DeliveryStatus.Succeeded:
                delivery.RecordAttempt(Answer(200), Later, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);
                break;
            case DeliveryStatus.Failed:
                delivery.RecordAttempt(Answer(410), Later, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);
                break;
            case DeliveryStatus.Canceled:
                delivery.Cancel(Later);
                break;
        }

        return delivery;
    }

    public static IEnumerable<TestCaseData> ManualOutcomes()
    {
        // from, answer (null: no answer), status after, verdict, whether next_attempt_at is kept
        yield return Case(DeliveryStatus.Pending, 200, DeliveryStatus.Succeeded, AttemptVerdict.Succeeded, keepsNext: false);
        yield return Case(DeliveryStatus.Pending, 500, DeliveryStatus.Pending, AttemptVerdict.ManualFailed, keepsNext: true);
        yield return Case(DeliveryStatus.Pending, 429, DeliveryStatus.Pending, AttemptVerdict.ManualFailed, keepsNext: true);
        yield return Case(DeliveryStatus.Pending, null, DeliveryStatus.Pending, AttemptVerdict.ManualFailed, keepsNext: true);
        yield return Case(DeliveryStatus.Pending, 410, DeliveryStatus.Failed, AttemptVerdict.ReceiverGone, keepsNext: false);
        yield return Case(DeliveryStatus.Failed, 204, DeliveryStatus.Succeeded, AttemptVerdict.Succeeded, keepsNext: true);
        yield return Case(DeliveryStatus.Failed, 503, DeliveryStatus.Failed, AttemptVerdict.ManualFailed, keepsNext: true);
        yield return Case(DeliveryStatus.Failed, 410, DeliveryStatus.Failed, AttemptVerdict.ReceiverGone, keepsNext: true);
        yield return Case(DeliveryStatus.Canceled, 200, DeliveryStatus.Succeeded, AttemptVerdict.Succeeded, keepsNext: true);
        yield return Case(DeliveryStatus.Canceled, 302, DeliveryStatus.Canceled, AttemptVerdict.ManualFailed, keepsNext: true);
        yield return Case(DeliveryStatus.Succeeded, 200, DeliveryStatus.Succeeded, AttemptVerdict.Succeeded, keepsNext: true);
        yield return Case(DeliveryStatus.Succeeded, 500, DeliveryStatus.Succeeded, AttemptVerdict.ManualFailed, keepsNext: true);
        yield return Case(DeliveryStatus.Succeeded, 410, DeliveryStatus.Succeeded, AttemptVerdict.ReceiverGone, keepsNext: true);

        static TestCaseData Case(DeliveryStatus from, int? answer, DeliveryStatus after, AttemptVerdict verdict, bool keepsNext) =>
            new TestCaseData(from, answer, after, verdict, keepsNext).SetArgDisplayNames(from.ToString(), answer?.ToString() ?? "no answer");
    }

    [TestCaseSource(nameof(ManualOutcomes))]
    public void RecordAttempt_Manual_DecidesByStatusAndAnswer(DeliveryStatus from, int? answer, DeliveryStatus after, AttemptVerdict expected, bool keepsNext)
    {
        var delivery = In(from);
        var nextBefore = delivery.NextAttemptAt;
        var countBefore = delivery.AttemptCount;
        var result = answer is { } status ? Answer(status, milliseconds: 300) : AttemptResult.Failed("connection refused", TimeSpan.FromMilliseconds(300));

        var verdict = delivery.RecordAttempt(result, ManualStart, AttemptTrigger.Manual, RetrySchedule.Default, NoSpread);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict, Is.EqualTo(expected));
            Assert.That(delivery.Status, Is.EqualTo(after));
            Assert.That(delivery.NextAttemptAt, keepsNext ? Is.EqualTo(nextBefore) : Is.Null);
            Assert.That(delivery.AttemptCount, Is.EqualTo(countBefore + 1));
            Assert.That(delivery.LastAttemptAt, Is.EqualTo(ManualStart));
            Assert.That(delivery.LastResponseStatus, Is.EqualTo(answer));
            Assert.That(delivery.UpdatedAt, Is.EqualTo(ManualStart.AddMilliseconds(300)));
            Assert.That(delivery.Attempts[^1].Number, Is.EqualTo(countBefore + 1));
            Assert.That(delivery.Attempts[^1].Trigger, Is.EqualTo(AttemptTrigger.Manual));
        }
    }

    [Test]
    public void RecordAttempt_ManualFailuresBetweenScheduledOnes_DoNotMoveTheSchedule()
    {
        var delivery = In(DeliveryStatus.Pending); // one scheduled failure: the next wait is the schedule's second
        for (var i = 0; i < 4; i++)
        {
            delivery.RecordAttempt(Answer(500), ManualStart.AddMinutes(i), AttemptTrigger.Manual, RetrySchedule.Default, NoSpread);
        }

        var scheduledStart = ManualStart.AddHours(1);
        var verdict = delivery.RecordAttempt(Answer(500, milliseconds: 0), scheduledStart, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict, Is.EqualTo(AttemptVerdict.WillRetry));
            Assert.That(delivery.AttemptCount, Is.EqualTo(6));
            Assert.That(delivery.ScheduledAttempts, Is.EqualTo(2));
            Assert.That(delivery.NextAttemptAt, Is.EqualTo(scheduledStart + RetrySchedule.Default.Waits[1]));
            Assert.That(delivery.Attempts.Select(a => a.Trigger), Is.EqualTo(new[]
            {
                AttemptTrigger.Scheduled, AttemptTrigger.Manual, AttemptTrigger.Manual, AttemptTrigger.Manual, AttemptTrigger.Manual, AttemptTrigger.Scheduled,
            }));
            Assert.That(delivery.Attempts.Select(a => a.Number), Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6 }));
        }
    }

    [Test]
    public void RecordAttempt_Scheduled_CountsTheRoundAndManual_DoesNot()
    {
        var delivery = ToEndpoint();

        delivery.RecordAttempt(Answer(500), Later, AttemptTrigger.Manual, RetrySchedule.Default, NoSpread);
        var afterManual = delivery.ScheduledAttempts;
        delivery.RecordAttempt(Answer(500), Later, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);

        Assert.That((afterManual, delivery.ScheduledAttempts, delivery.AttemptCount), Is.EqualTo((0, 1, 2)));
    }

    [TestCase(DeliveryStatus.Pending)]
    [TestCase(DeliveryStatus.Succeeded)]
    [TestCase(DeliveryStatus.Canceled)]
    public void Requeue_WhenNotFailed_ChangesNothing(DeliveryStatus status)
    {
        var delivery = In(status);
        var before = (delivery.Status, delivery.NextAttemptAt, delivery.ScheduledAttempts, delivery.UpdatedAt);

        var requeued = delivery.Requeue(ManualStart);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(requeued, Is.False);
            Assert.That((delivery.Status, delivery.NextAttemptAt, delivery.ScheduledAttempts, delivery.UpdatedAt), Is.EqualTo(before));
        }
    }

    [Test]
    public void Requeue_WhenFailed_IsPendingDueNowWithAFreshRound()
    {
        var delivery = ToEndpoint();
        var attemptAt = Later;
        while (!delivery.HasEnded)
        {
            delivery.RecordAttempt(Answer(500, milliseconds: 0), attemptAt, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);
            attemptAt = delivery.NextAttemptAt ?? attemptAt;
        }

        var now = attemptAt.AddDays(1);

        var requeued = delivery.Requeue(now);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(requeued, Is.True);
            Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Pending));
            Assert.That(delivery.NextAttemptAt, Is.EqualTo(now));
            Assert.That(delivery.UpdatedAt, Is.EqualTo(now));
            Assert.That(delivery.ScheduledAttempts, Is.Zero);
            Assert.That(delivery.AttemptCount, Is.EqualTo(RetrySchedule.Default.MaxAttempts), "the attempts so far are kept");
        }
    }

    [Test]
    public void Requeue_ThenFailingAgain_GetsTheWholeScheduleAgain()
    {
        var delivery = In(DeliveryStatus.Failed);
        delivery.Requeue(ManualStart);
        var waits = new List<TimeSpan>();
        var attemptAt = ManualStart;
        AttemptVerdict verdict;
        do
        {
            verdict = delivery.RecordAttempt(Answer(500, milliseconds: 0), attemptAt, AttemptTrigger.Scheduled, RetrySchedule.Default, NoSpread);
            if (delivery.NextAttemptAt is { } next)
            {
                waits.Add(next - attemptAt);
                attemptAt = next;
            }
        }
        while (verdict == AttemptVerdict.WillRetry);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict, Is.EqualTo(AttemptVerdict.Failed));
            Assert.That(waits, Is.EqualTo(RetrySchedule.Default.Waits));
            Assert.That(delivery.AttemptCount, Is.EqualTo(1 + RetrySchedule.Default.MaxAttempts));
        }
    }
}
