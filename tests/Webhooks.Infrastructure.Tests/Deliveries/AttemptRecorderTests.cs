using Microsoft.EntityFrameworkCore.Diagnostics;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Deliveries;
using static Webhooks.Infrastructure.Tests.Deliveries.DeliveryQueue;

namespace Webhooks.Infrastructure.Tests.Deliveries;

/// <summary>
/// <see cref="AttemptRecorder"/> on a real SQLite file: a batch in one transaction, each result
/// decided by the <see cref="Delivery"/> aggregate, a 410's consequences, and the lease given up only
/// by the worker that still holds it.
/// </summary>
[TestFixture]
public sealed class AttemptRecorderTests : SqliteAppTests
{
    private static readonly DateTimeOffset Now = T0.AddHours(1);

    private readonly CommitCounter _commits = new();

    private Guid _endpoint;

    [SetUp]
    public async Task AddAnEndpointAsync() => _endpoint = await App.AddEndpointAsync(OrgId, "a.example.com");

    [Test]
    public async Task Record_WritesTheBatchInOneTransaction()
    {
        var ids = await App.PublishManyAsync(OrgId, _endpoint, T0, 3);
        await App.Services.ClaimAsync("worker-1", Now, limit: 3);
        _commits.Reset();

        await RecordAsync(Settings(), [.. ids.Select(id => Finished(id, "worker-1", Status(200)))]);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(_commits.Count, Is.EqualTo(1));
            Assert.That((await App.RowsAsync()).Select(r => r.Status), Is.All.EqualTo(DeliveryStatus.Succeeded));
        });
    }

    [Test]
    public async Task Record_WritesAtMostRecordBatchSizeResultsPerTransaction()
    {
        var ids = await App.PublishManyAsync(OrgId, _endpoint, T0, 5);
        _commits.Reset();

        var recorded = await RecordAsync(Settings(("RecordBatchSize", "2")), [.. ids.Select(id => Finished(id, "worker-1", Status(200)))]);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(_commits.Count, Is.EqualTo(3), "2 + 2 + 1");
            Assert.That(recorded, Is.EqualTo(5));
            Assert.That((await App.RowsAsync()).Select(r => r.AttemptCount), Is.All.EqualTo(1));
        });
    }

    [Test]
    public async Task Record_A2xx_SucceedsAndKeepsTheAttempt()
    {
        var id = (await App.PublishAsync(OrgId, T0, _endpoint))[0];
        await App.Services.ClaimAsync("worker-1", Now, limit: 1);

        await RecordAsync(Settings(), Finished(id, "worker-1", new AttemptResult(204, TimeSpan.FromMilliseconds(120), "thanks", null)));

        var row = await App.RowAsync(id);
        var attempt = (await App.AttemptsAsync(id)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(row, Is.EqualTo(new DeliveryRow(id, DeliveryStatus.Succeeded, 1, null, null, null)));
            Assert.That(
                (attempt.Number, attempt.Trigger, attempt.StartedAt, attempt.DurationMs, attempt.ResponseStatus, attempt.ResponseBody, attempt.Error),
                Is.EqualTo((1, AttemptTrigger.Scheduled, Now, 120, (int?)204, "thanks", (string?)null)));
        });
    }

    [Test]
    public async Task Record_AFailureWithWaitsLeft_SchedulesTheRetry_AndAfterTheLastWait_Fails()
    {
        var id = (await App.PublishAsync(OrgId, T0, _endpoint))[0];
        var settings = Settings(("RetryScheduleSeconds:0", "7"), ("JitterPercent", "0"));

        await RecordAsync(settings, Finished(id, "worker-1", Status(500)));
        var retrying = await App.RowAsync(id);
        await RecordAsync(settings, new FinishedAttempt(id, "worker-1", Now.AddSeconds(10), AttemptResult.Failed("connection failed: refused", TimeSpan.FromSeconds(1))));
        var failed = await App.RowAsync(id);

        var attempts = await App.AttemptsAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(retrying, Is.EqualTo(new DeliveryRow(id, DeliveryStatus.Pending, 1, Now.AddMilliseconds(5).AddSeconds(7), null, null)), "the wait counts from the attempt's end");
            Assert.That(failed, Is.EqualTo(new DeliveryRow(id, DeliveryStatus.Failed, 2, null, null, null)));
            Assert.That(attempts.Select(a => (a.Number, a.ResponseStatus, a.Error)), Is.EqualTo(new[] { (1, (int?)500, (string?)null), (2, null, "connection failed: refused") }));
        });
    }

    [Test]
    public async Task Record_A410_FailsTheDelivery_DeactivatesTheEndpoint_AndCancelsItsOtherPendingDeliveries()
    {
        var other = await App.AddEndpointAsync(OrgId, "b.example.com");
        var gone = (await App.PublishAsync(OrgId, T0, _endpoint, other))[0];
        var ids = await App.PublishManyAsync(OrgId, _endpoint, T0.AddSeconds(1), 2);
        await App.PublishManyAsync(OrgId, other, T0.AddSeconds(1), 1);
        Assert.That(await App.Services.ClaimAsync("worker-1", Now, 1, other), Is.EqualTo(new[] { gone }));

        await RecordAsync(Settings(), Finished(gone, "worker-1", Status(410)));

        var rows = await App.RowsAsync();
        var endpoint = await App.LoadAsync(_endpoint, OrgId);
        Assert.Multiple(() =>
        {
            Assert.That(rows.Single(r => r.Id == gone), Is.EqualTo(new DeliveryRow(gone, DeliveryStatus.Failed, 1, null, null, null)));
            Assert.That(rows.Where(r => ids.Contains(r.Id)).Select(r => (r.Status, r.NextAttemptAt)), Is.All.EqualTo((DeliveryStatus.Canceled, (DateTimeOffset?)null)));
            Assert.That(rows.Where(r => r.Id != gone && !ids.Contains(r.Id)).Select(r => r.Status), Is.EqualTo(new[] { DeliveryStatus.Pending, DeliveryStatus.Pending }), "the other endpoint's");
            Assert.That(endpoint!.Active, Is.False);
            Assert.That(endpoint.ReceivesDeliveries, Is.False);
        });
    }

    [Test]
    public async Task Record_GivesUpTheLeaseOnlyWhenStillOurs()
    {
        var ids = await App.PublishManyAsync(OrgId, _endpoint, T0, 3);
        Assert.That(await App.Services.ClaimAsync("worker-1", T0.AddSeconds(2), limit: 3), Is.EquivalentTo(ids));
        // The first lease expired and another worker took it over.
        Assert.That(await App.Services.ClaimAsync("worker-2", T0.AddSeconds(62), limit: 1), Is.EqualTo(ids.Take(1)));

        await RecordAsync(
            Settings(),
            Finished(ids[0], "worker-1", Status(200)),
            Finished(ids[1], "worker-1", Status(200)),
            new FinishedAttempt(ids[2], "worker-1", T0, null));

        var rows = await App.RowsAsync();
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(rows.Single(r => r.Id == ids[0]), Is.EqualTo(new DeliveryRow(ids[0], DeliveryStatus.Succeeded, 1, null, "worker-2", T0.AddSeconds(122))));
            Assert.That(rows.Single(r => r.Id == ids[1]), Is.EqualTo(new DeliveryRow(ids[1], DeliveryStatus.Succeeded, 1, null, null, null)));
            Assert.That(rows.Single(r => r.Id == ids[2]), Is.EqualTo(new DeliveryRow(ids[2], DeliveryStatus.Pending, 0, T0.AddSeconds(2), null, null)), "nothing sent: only the lease is given up");
            Assert.That(await App.AttemptsAsync(ids[2]), Is.Empty);
        });
    }

    [Test]
    public async Task Record_ADeliveryCanceledWhileItsAttemptWasInFlight_StaysCanceled_WithTheAttemptRecorded()
    {
        var id = (await App.PublishAsync(OrgId, T0, _endpoint))[0];
        await App.Services.ClaimAsync("worker-1", Now, limit: 1);
        await App.SaveAsync(async sp => (await sp.Endpoints().GetAsync(_endpoint, OrgId, CancellationToken.None))!.Patch(new WebhookEndpointChanges(Active: false), Now));
        Assert.That((await App.RowAsync(id)).Status, Is.EqualTo(DeliveryStatus.Canceled));

        var recorded = await RecordAsync(Settings(), Finished(id, "worker-1", Status(200)));

        var attempt = (await App.AttemptsAsync(id)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(recorded, Is.EqualTo(1));
            Assert.That((attempt.Number, attempt.ResponseStatus), Is.EqualTo((1, (int?)200)));
        });
        Assert.That(await App.RowAsync(id), Is.EqualTo(new DeliveryRow(id, DeliveryStatus.Canceled, 1, null, null, null)));
    }

    [Test]
    public async Task Record_AResponseBodyWithNulCharacters_IsStoredWithTheReplacementCharacter()
    {
        // A receiver answers any bytes; PostgreSQL's text cannot hold NUL, and one attempt must not stop the batch.
        var ids = await App.PublishManyAsync(OrgId, _endpoint, T0, 2);
        await App.Services.ClaimAsync("worker-1", Now, limit: 2);

        var recorded = await RecordAsync(Settings(), Finished(ids[0], "worker-1", new AttemptResult(500, TimeSpan.FromMilliseconds(5), "bad\0body", null)), Finished(ids[1], "worker-1", Status(200)));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(recorded, Is.EqualTo(2));
            Assert.That((await App.AttemptsAsync(ids[0])).Single().ResponseBody, Is.EqualTo("bad\uFFFDbody"));
            Assert.That((await App.RowAsync(ids[1])).Status, Is.EqualTo(DeliveryStatus.Succeeded));
        });
    }

    protected override IInterceptor[] Interceptors() => [_commits];

    private static FinishedAttempt Finished(Guid id, string owner, AttemptResult result) => new(id, owner, Now, result);

    private static AttemptResult Status(int status) => new(status, TimeSpan.FromMilliseconds(5), null, null);

    private static DeliveryOptions Settings(params (string Key, string? Value)[] settings) => DeliveryOptionsTests.Load(settings);

    private Task<long> RecordAsync(DeliveryOptions options, params FinishedAttempt[] attempts) => App.RecordAttemptsAsync(options, attempts);
}
