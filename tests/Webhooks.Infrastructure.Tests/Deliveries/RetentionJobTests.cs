using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Webhooks.Application.Deliveries;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Idempotency;
using Webhooks.Infrastructure.Deliveries;
using Webhooks.Infrastructure.Time;
using static Webhooks.Infrastructure.Tests.Deliveries.DeliveryQueue;

namespace Webhooks.Infrastructure.Tests.Deliveries;

/// <summary>
/// <see cref="RetentionJob"/> on a real SQLite file with a fixed clock: what is deleted and what is
/// kept, batches each in a transaction of their own, the indexes the deletes use, and two processes
/// running it at once.
/// </summary>
[TestFixture]
public sealed class RetentionJobTests : SqliteAppTests
{
    /// <summary>The clock's instant; with the default 30 days, rows created before <c>Now - 30 days</c> go.</summary>
    private static readonly DateTimeOffset Now = T0.AddDays(60);

    private readonly CommitCounter _commits = new();

    private readonly DeletePlans _plans = new();

    private Guid _endpoint;

    [SetUp]
    public async Task AddAnEndpointAsync()
    {
        _endpoint = await App.AddEndpointAsync(OrgId, "a.example.com");
        _plans.Clear();
    }

    [TestCase(DeliveryStatus.Succeeded, 31, true)]
    [TestCase(DeliveryStatus.Failed, 31, true)]
    [TestCase(DeliveryStatus.Canceled, 31, true)]
    [TestCase(DeliveryStatus.Pending, 31, false)]
    [TestCase(DeliveryStatus.Succeeded, 29, false)]
    [TestCase(DeliveryStatus.Failed, 29, false)]
    [TestCase(DeliveryStatus.Canceled, 29, false)]
    [TestCase(DeliveryStatus.Pending, 29, false)]
    [TestCase(DeliveryStatus.Succeeded, 30, false)] // exactly 30 days old is not older than 30 days
    [TestCase(DeliveryStatus.Failed, 3650, true)]
    public async Task Run_DeletesAnEndedDeliveryOlderThanRetention_WithItsAttemptAndEvent_AndKeepsTheRest(DeliveryStatus status, int ageDays, bool deleted)
    {
        var (eventId, deliveryIds) = await PublishAsync(OrgId, _endpoint, Now.AddDays(-ageDays), status);

        var run = await RunAsync(Job());

        var expected = deleted ? 0 : 1;
        Assert.Multiple(() =>
        {
            Assert.That(run, Is.EqualTo(new RetentionRun(1 - expected, 1 - expected, 0, 3)));
            Assert.That(Count($"SELECT count(*) FROM deliveries WHERE id = '{Stored(deliveryIds[0])}'"), Is.EqualTo(expected), "the delivery");
            Assert.That(Count($"SELECT count(*) FROM delivery_attempts WHERE delivery_id = '{Stored(deliveryIds[0])}'"), Is.EqualTo(expected), "its attempt");
            Assert.That(Count($"SELECT count(*) FROM events WHERE id = '{Stored(eventId)}'"), Is.EqualTo(expected), "its event");
        });
    }

    [Test]
    public async Task Run_AnOldEventWithAPendingDelivery_IsKept_WithThatDelivery_WhileItsEndedDeliveriesGo()
    {
        var (eventId, deliveryIds) = await PublishAsync(OrgId, _endpoint, Now.AddDays(-40), DeliveryStatus.Succeeded, DeliveryStatus.Pending, DeliveryStatus.Canceled);

        var run = await RunAsync(Job());

        Assert.Multiple(() =>
        {
            Assert.That(run, Is.EqualTo(new RetentionRun(2, 0, 0, 3)));
            Assert.That(Ids("SELECT id FROM deliveries"), Is.EqualTo(new[] { Stored(deliveryIds[1]) }));
            Assert.That(Ids("SELECT delivery_id FROM delivery_attempts"), Is.EqualTo(new[] { Stored(deliveryIds[1]) }));
            Assert.That(Ids("SELECT id FROM events"), Is.EqualTo(new[] { Stored(eventId) }));
        });
    }

    [TestCase(31, true)]
    [TestCase(29, false)]
    public async Task Run_AnEventThatHadNoDeliveries_GoesOnceOlderThanRetention(int ageDays, bool deleted)
    {
        var (eventId, _) = await PublishAsync(OrgId, _endpoint, Now.AddDays(-ageDays));

        var run = await RunAsync(Job());

        Assert.Multiple(() =>
        {
            Assert.That(run, Is.EqualTo(new RetentionRun(0, deleted ? 1 : 0, 0, 3)));
            Assert.That(Count($"SELECT count(*) FROM events WHERE id = '{Stored(eventId)}'"), Is.EqualTo(deleted ? 0 : 1));
        });
    }

    [Test]
    public async Task Run_FollowsTheSameRuleForEveryOrganizationAndClient()
    {
        var otherOrg = await App.SaveOrganizationAsync("Other");
        var otherEndpoint = await App.AddEndpointAsync(otherOrg, "b.example.com");
        var client = await App.AddClientAsync("device.example.com");
        var kept = new List<Guid>();
        foreach (var (org, endpoint) in new[] { (OrgId, _endpoint), (otherOrg, otherEndpoint) })
        {
            await PublishAsync(org, endpoint, Now.AddDays(-31), DeliveryStatus.Failed);
            kept.Add((await PublishAsync(org, endpoint, Now.AddDays(-29), DeliveryStatus.Failed)).Deliveries[0]);
        }

        await PublishToClientAsync(client, Now.AddDays(-31), DeliveryStatus.Succeeded);
        kept.Add(await PublishToClientAsync(client, Now.AddDays(-29), DeliveryStatus.Succeeded));

        var run = await RunAsync(Job());

        Assert.Multiple(() =>
        {
            Assert.That(run, Is.EqualTo(new RetentionRun(3, 3, 0, 3)));
            Assert.That(Ids("SELECT id FROM deliveries"), Is.EquivalentTo(kept.Select(Stored)));
            Assert.That(Count("SELECT count(*) FROM events"), Is.EqualTo(3));
        });
    }

    [TestCase(7, 3, 3)] // 3 + 3 + 1
    [TestCase(6, 3, 3)] // 3 + 3 + 0: a full batch is followed by one more look
    [TestCase(2, 3, 1)]
    public async Task Run_DeletesInBatchesOfTheBatchSize_EachInATransactionOfItsOwn(int old, int batchSize, int batchesPerTable)
    {
        for (var i = 0; i < old; i++)
        {
            await PublishAsync(OrgId, _endpoint, Now.AddDays(-31).AddMinutes(i), DeliveryStatus.Succeeded);
        }

        await PublishAsync(OrgId, _endpoint, Now.AddDays(-31), DeliveryStatus.Pending);
        _commits.Reset();

        var run = await RunAsync(Job(("Retention:BatchSize", batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        Assert.Multiple(() =>
        {
            Assert.That(run, Is.EqualTo(new RetentionRun(old, old, 0, (2 * batchesPerTable) + 1)));
            Assert.That(_commits.Count, Is.EqualTo((2 * batchesPerTable) + 1), "one transaction per batch (and one for the idempotency keys)");
            Assert.That(_plans.Deletes.Select(d => d.Rows), Has.All.LessThanOrEqualTo(batchSize), "no statement deletes more than a batch");
            Assert.That(Count("SELECT count(*) FROM deliveries"), Is.EqualTo(1), "the pending one");
            Assert.That(Count("SELECT count(*) FROM events"), Is.EqualTo(1), "the pending one's");
        });
    }

    [Test]
    [Category(TestPostgres.SqliteOnly)]
    public async Task Run_EachDeleteSearchesTheCreationIndex_RatherThanScanningTheTable()
    {
        await PublishAsync(OrgId, _endpoint, Now.AddDays(-31), DeliveryStatus.Succeeded);
        await PublishAsync(OrgId, _endpoint, Now.AddDays(-31));

        await RunAsync(Job());

        var plans = _plans.Deletes.Select(d => (d.Table, Plan: string.Join(" | ", d.Plan))).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(plans.Select(p => p.Table), Is.EqualTo(new[] { "deliveries", "events", "idempotency_keys" }), "one statement each: it deletes fewer rows than a batch");
            Assert.That(plans.Where(p => p.Table == "deliveries").Select(p => p.Plan), Has.All.Contains("SEARCH d0 USING INDEX ix_deliveries_created_at (created_at<?)"));
            Assert.That(
                plans.Where(p => p.Table == "deliveries").Select(p => p.Plan),
                Has.All.Contains("SEARCH delivery_attempts USING COVERING INDEX sqlite_autoindex_delivery_attempts_1 (delivery_id=?)"),
                "the attempts go by the foreign key's cascade, found by their primary key");
            Assert.That(plans.Where(p => p.Table == "events").Select(p => p.Plan), Has.All.Contains("SEARCH e0 USING INDEX ix_events_created_at (created_at<?)"));
            Assert.That(plans.Where(p => p.Table == "idempotency_keys").Select(p => p.Plan), Has.All.Contains("SEARCH i USING COVERING INDEX ix_idempotency_keys_created_at (created_at<?)"));
            Assert.That(plans.Select(p => p.Plan), Has.None.Match(@"(^|\| )SCAN "), "no table is scanned");
        });
    }

    [TestCase(24 * 60, true)] // IdempotencyRecord.Lifetime: expired, it replays nothing any more
    [TestCase((24 * 60) + 1, true)]
    [TestCase((24 * 60) - 1, false)]
    public async Task Run_DeletesIdempotencyRecordsOnceExpired(int ageMinutes, bool deleted)
    {
        var record = IdempotencyRecord.Create(OrgId, "key-1", new string('a', 64), "{}", Now.AddMinutes(-ageMinutes));
        Assert.That(record.IsExpired(Now), Is.EqualTo(deleted), "precondition: the record's own rule");
        await App.SaveAsync(sp => sp.Idempotency().Add(record));

        var run = await RunAsync(Job());

        Assert.Multiple(() =>
        {
            Assert.That(run, Is.EqualTo(new RetentionRun(0, 0, deleted ? 1 : 0, 3)));
            Assert.That(Count("SELECT count(*) FROM idempotency_keys"), Is.EqualTo(deleted ? 0 : 1));
        });
    }

    [TestCase(5, 2, 3)] // 2 + 2 + 1
    [TestCase(4, 2, 3)] // 2 + 2 + 0
    public async Task Run_DeletesExpiredIdempotencyRecordsInBatches(int expired, int batchSize, int transactions)
    {
        for (var i = 0; i < expired; i++)
        {
            var record = IdempotencyRecord.Create(OrgId, $"key-{i}", new string('a', 64), "{}", Now.AddDays(-2).AddMinutes(i));
            await App.SaveAsync(sp => sp.Idempotency().Add(record));
        }

        _commits.Reset();

        var run = await RunAsync(Job(("Retention:BatchSize", batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        Assert.Multiple(() =>
        {
            Assert.That(run, Is.EqualTo(new RetentionRun(0, 0, expired, 2 + transactions)));
            Assert.That(_commits.Count, Is.EqualTo(2 + transactions));
            Assert.That(_plans.Deletes.Where(d => d.Table == "idempotency_keys").Select(d => d.Rows), Has.All.LessThanOrEqualTo(batchSize));
            Assert.That(Count("SELECT count(*) FROM idempotency_keys"), Is.Zero);
        });
    }

    [Test]
    public async Task Run_InTwoProcessesAtOnce_DeletesEachRowOnce()
    {
        for (var i = 0; i < 40; i++)
        {
            await PublishAsync(OrgId, _endpoint, Now.AddDays(-31).AddMinutes(i), i % 2 == 0 ? DeliveryStatus.Succeeded : DeliveryStatus.Failed);
        }

        await using var other = App.AnotherProcess();
        var runs = await Task.WhenAll(
            RunAsync(Job(("Retention:BatchSize", "3"))),
            RunAsync(ActivatorUtilities.CreateInstance<RetentionJob>(other, Settings(("Retention:BatchSize", "3")), Clock())));

        Assert.Multiple(() =>
        {
            Assert.That(runs.Sum(r => r.Deliveries), Is.EqualTo(40));
            Assert.That(runs.Sum(r => r.Events), Is.EqualTo(40));
            Assert.That(Count("SELECT count(*) FROM deliveries") + Count("SELECT count(*) FROM delivery_attempts") + Count("SELECT count(*) FROM events"), Is.Zero);
        });
    }

    [Test]
    public async Task ExecuteAsync_WhenTheWorkerIsOff_DoesNotRun()
    {
        await PublishAsync(OrgId, _endpoint, Now.AddDays(-31), DeliveryStatus.Succeeded);
        using var job = Job(("Worker:Enabled", "false"));

        await job.StartAsync(CancellationToken.None);
        await job.ExecuteTask!;

        Assert.That(Count("SELECT count(*) FROM deliveries"), Is.EqualTo(1));
    }

    [Test]
    public void AddDeliveryWorker_RunsTheRetentionJobBesideTheWorker()
    {
        using var host = TestData.BuildServices(App.Temp.Path, new Dictionary<string, string?>(), s => s.AddDeliveryWorker());
        Assert.That(
            host.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Select(s => s.GetType()).Where(t => t.Namespace == typeof(RetentionJob).Namespace),
            Is.EqualTo(new[] { typeof(DeliveryWorker), typeof(RetentionJob) }));
    }

    protected override IInterceptor[] Interceptors() => [_commits, _plans];

    private static DeliveryOptions Settings(params (string Key, string? Value)[] settings) => DeliveryOptionsTests.Load(settings);

    private static SystemClock Clock() => new(new FixedTimeProvider(Now));

    private static Task<RetentionRun> RunAsync(RetentionJob job) => job.RunAsync(CancellationToken.None);

    /// <summary>A GUID as SQLite stores it (upper-case text; PostgreSQL reads the same text as its uuid).</summary>
    private static string Stored(Guid id) => id.ToString().ToUpperInvariant();

    private RetentionJob Job(params (string Key, string? Value)[] settings) =>
        ActivatorUtilities.CreateInstance<RetentionJob>(App.Services, Settings(settings), Clock());

    private long Count(string sql) => (long)App.Scalar(sql)!;

    private List<string> Ids(string sql) => [.. App.Rows(sql).Select(row => row[0] is Guid id ? Stored(id) : (string)row[0])];

    /// <summary>
    /// One event of <paramref name="orgId"/> created at <paramref name="at"/>, with one delivery to
    /// <paramref name="endpointId"/> per status given, each with one attempt, brought to that status
    /// by the <see cref="Delivery"/> aggregate.
    /// </summary>
    private async Task<(Guid Event, List<Guid> Deliveries)> PublishAsync(Guid orgId, Guid endpointId, DateTimeOffset at, params DeliveryStatus[] statuses)
    {
        var evt = TestData.OrganizationEvent(orgId, at);
        var deliveries = statuses.Select(status => Bring(evt.DeliverTo(Guid.CreateVersion7(), DeliveryTarget.Endpoint(endpointId)), status, at)).ToList();
        await App.SaveAsync(sp => sp.GetRequiredService<IEventRepository>().Add(evt, deliveries));
        return (evt.Id, [.. deliveries.Select(d => d.Id)]);
    }

    private async Task<Guid> PublishToClientAsync(Guid clientId, DateTimeOffset at, DeliveryStatus status)
    {
        var evt = Event.ForClient(Guid.CreateVersion7(), clientId, "device.online", TestData.Data("""{"online":true}"""), at);
        var delivery = Bring(evt.DeliverTo(Guid.CreateVersion7(), DeliveryTarget.Client(clientId)), status, at);
        await App.SaveAsync(sp => sp.GetRequiredService<IEventRepository>().Add(evt, [delivery]));
        return delivery.Id;
    }

    /// <summary>One attempt, then the status: a 200 succeeds, a 410 fails, a 500 waits for a retry (and a cancellation ends that).</summary>
    private static Delivery Bring(Delivery delivery, DeliveryStatus status, DateTimeOffset at)
    {
        var result = status switch
        {
            DeliveryStatus.Succeeded => new AttemptResult(200, TimeSpan.FromMilliseconds(5), "ok", null),
            DeliveryStatus.Failed => new AttemptResult(410, TimeSpan.FromMilliseconds(5), null, null),
            _ => new AttemptResult(500, TimeSpan.FromMilliseconds(5), null, null),
        };
        delivery.RecordAttempt(result, at.AddSeconds(1), AttemptTrigger.Scheduled, RetrySchedule.Default, 0.5);
        if (status == DeliveryStatus.Canceled)
        {
            delivery.Cancel(at.AddSeconds(2));
        }

        Assert.That(delivery.Status, Is.EqualTo(status), "precondition");
        return delivery;
    }

    /// <summary>Each DELETE statement's table, the rows it deleted, and SQLite's plan for it (asked in the same transaction, with the same arguments).</summary>
    private sealed class DeletePlans : DbCommandInterceptor
    {
        private readonly ConcurrentQueue<(string Table, List<string> Plan, int Rows)> _deletes = new();

        private readonly ConcurrentDictionary<DbCommand, (string Table, List<string> Plan)> _pending = new();

        public IReadOnlyList<(string Table, List<string> Plan, int Rows)> Deletes => [.. _deletes];

        public void Clear() => _deletes.Clear();

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.TrimStart().StartsWith("DELETE FROM", StringComparison.Ordinal))
            {
                // SQLite's statement quotes the table, PostgreSQL's does not; only SQLite's plan is asked for.
                _pending[command] = (
                    command.CommandText.TrimStart()["DELETE FROM ".Length..].Split(' ')[0].Trim('"'),
                    command is SqliteCommand ? await QueryPlan.ExplainAsync(command, cancellationToken) : []);
            }

            return result;
        }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            if (_pending.TryRemove(command, out var pending))
            {
                _deletes.Enqueue((pending.Table, pending.Plan, result));
            }

            return ValueTask.FromResult(result);
        }

    }
}
