using Webhooks.Domain.Deliveries;

namespace Webhooks.Domain.Tests.Deliveries;

public sealed class RetryScheduleTests
{
    private static readonly RetrySchedule NoJitter = RetrySchedule.Create([5, 300, 1800], 0).Value!;

    [Test]
    public void Default_IsTheContractsEightAttemptsInAbout27Hours()
    {
        var schedule = RetrySchedule.Default;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schedule.Waits.Select(wait => wait.TotalSeconds), Is.EqualTo(new double[] { 5, 300, 1800, 7200, 18000, 36000, 36000 }));
            Assert.That(schedule.JitterPercent, Is.EqualTo(20));
            Assert.That(schedule.MaxAttempts, Is.EqualTo(8));
            Assert.That(schedule.LongestWait, Is.EqualTo(TimeSpan.FromHours(10)));
            Assert.That(TimeSpan.FromSeconds(schedule.Waits.Sum(wait => wait.TotalSeconds)).TotalHours, Is.InRange(27, 28));
        }
    }

    [TestCase(1, 5)]
    [TestCase(2, 300)]
    [TestCase(3, 1800)]
    public void NextWait_AfterTheNthFailedAttempt_IsTheNthWait(int failedAttempts, int seconds) =>
        Assert.That(NoJitter.NextWait(failedAttempts, 0.5), Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [Test]
    public void NextWait_AfterTheLastAttempt_IsNone() =>
        Assert.That(NoJitter.NextWait(NoJitter.MaxAttempts, 0.5), Is.Null);

    // 300 s spread by ±20 %: the random number places it between 240 s and 360 s.
    [TestCase(0.0, 240.0)]
    [TestCase(0.25, 270.0)]
    [TestCase(0.5, 300.0)]
    [TestCase(0.75, 330.0)]
    public void NextWait_IsSpreadEvenlyByTheJitter(double unitRandom, double seconds) =>
        Assert.That(RetrySchedule.Default.NextWait(2, unitRandom), Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [Test]
    public void NextWait_NeverLeavesTheJitterBand() =>
        Assert.That(RetrySchedule.Default.NextWait(2, Math.BitDecrement(1.0)), Is.InRange(TimeSpan.FromSeconds(359), TimeSpan.FromSeconds(360)));

    private static readonly TestCaseData[] RetryAfterCases =
    [
        new TestCaseData(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(300)).SetName("shorter than the wait: the wait"),
        new TestCaseData(TimeSpan.FromSeconds(900), TimeSpan.FromSeconds(900)).SetName("longer than the wait: honoured"),
        new TestCaseData(TimeSpan.FromDays(3), TimeSpan.FromSeconds(1800)).SetName("longer than the longest wait: capped at it"),
    ];

    [TestCaseSource(nameof(RetryAfterCases))]
    public void NextWait_HonoursRetryAfter_WhenItAsksForLonger(TimeSpan retryAfter, TimeSpan expected) =>
        Assert.That(NoJitter.NextWait(2, 0.5, retryAfter), Is.EqualTo(expected));

    [Test]
    public void NextWait_AfterTheLastAttempt_IsNone_WhateverRetryAfterSays() =>
        Assert.That(NoJitter.NextWait(4, 0.5, TimeSpan.FromSeconds(10)), Is.Null);

    [TestCase(0)]
    [TestCase(-1)]
    public void NextWait_BeforeAnyFailedAttempt_IsAProgrammingError(int failedAttempts) =>
        Assert.That(() => NoJitter.NextWait(failedAttempts, 0.5), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [TestCase(-0.1)]
    [TestCase(1.0)]
    [TestCase(double.NaN)]
    public void NextWait_WithARandomOutsideZeroToOne_IsAProgrammingError(double unitRandom) =>
        Assert.That(() => NoJitter.NextWait(1, unitRandom), Throws.InstanceOf<ArgumentOutOfRangeException>());

    private static readonly TestCaseData[] Refused =
    [
        new TestCaseData(null, 20, new Dictionary<string, string> { ["waits"] = RetrySchedule.NoWaitsMessage }).SetName("no waits"),
        new TestCaseData(Array.Empty<int>(), 20, new Dictionary<string, string> { ["waits"] = RetrySchedule.NoWaitsMessage }).SetName("an empty list"),
        new TestCaseData(new[] { 5, 0 }, 20, new Dictionary<string, string> { ["waits"] = RetrySchedule.WaitOutOfRangeMessage }).SetName("a zero wait"),
        new TestCaseData(new[] { 604_801 }, 20, new Dictionary<string, string> { ["waits"] = RetrySchedule.WaitOutOfRangeMessage }).SetName("a wait over 7 days"),
        new TestCaseData(new[] { 5 }, 101, new Dictionary<string, string> { ["jitter_percent"] = RetrySchedule.JitterOutOfRangeMessage }).SetName("jitter over 100"),
        new TestCaseData(new[] { -5 }, -1, new Dictionary<string, string>
        {
            ["waits"] = RetrySchedule.WaitOutOfRangeMessage,
            ["jitter_percent"] = RetrySchedule.JitterOutOfRangeMessage,
        }).SetName("both wrong: both reported"),
    ];

    [TestCaseSource(nameof(Refused))]
    public void Create_FromBadSettings_SaysWhy(int[]? waits, int jitterPercent, Dictionary<string, string> errors)
    {
        var outcome = RetrySchedule.Create(waits, jitterPercent);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.IsValid, Is.False);
            Assert.That(outcome.Errors, Is.EqualTo(errors));
        }
    }

    [Test]
    public void Create_AcceptsTheEdges()
    {
        var schedule = RetrySchedule.Create([1, 604_800], 100).Value!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(schedule.MaxAttempts, Is.EqualTo(3));
            Assert.That(schedule.NextWait(1, 0.0), Is.EqualTo(TimeSpan.Zero), "100 % jitter may retry at once");
            Assert.That(schedule.LongestWait, Is.EqualTo(TimeSpan.FromDays(7)));
        }
    }
}
