using System.Diagnostics;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Webhooks.Application.Deliveries;
using Webhooks.Domain.Deliveries;
using Webhooks.Infrastructure.Deliveries;

namespace Webhooks.Infrastructure.Tests.Deliveries;

/// <summary>
/// The <see cref="DeliveryWorker"/> as the host runs it (started and stopped as a hosted service), on a
/// real SQLite file, with a <see cref="ScriptedSender"/> in place of HTTP: these tests are about the
/// queue. The poll interval is a minute, so anything that happens within the tests' few seconds
/// happened without polling.
/// </summary>
[TestFixture]
public sealed class DeliveryWorkerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private ScriptedSender _sender = null!;
    private ClaimWatcher _claims = null!;
    private SqliteApp? _app;
    private Guid _orgId;

    private SqliteApp App => _app!;

    /// <summary>The application's worker (the provider owns it).</summary>
    private DeliveryWorker Worker => App.Services.GetRequiredService<DeliveryWorker>();

    [TearDown]
    public async Task StopAsync()
    {
        _sender.LetGoAll();
        if (_app is not null)
        {
            await Worker.StopAsync(CancellationToken.None).WaitAsync(Bound);
            await _app.DisposeAsync();
        }
    }

    [Test]
    public async Task APublishedDelivery_IsAttemptedOnTheSignal_WithoutWaitingForThePoll()
    {
        await StartAsync(maxConcurrency: 4, maxPerEndpoint: 2);
        var endpoint = await App.AddEndpointAsync(_orgId, "a.example.com");
        await _claims.FirstLook.WaitAsync(Bound); // the worker looked, found nothing, and waits (up to a minute)

        var id = (await App.PublishAsync(_orgId, DateTimeOffset.UtcNow, endpoint))[0];
        App.Services.GetRequiredService<IDeliverySignal>().Notify();

        await _sender.UntilAsync(s => s.Finished.Count == 1, Bound, "the attempt after the signal");
        await Worker.StopAsync(CancellationToken.None).WaitAsync(Bound);
        Assert.That(await App.RowAsync(id), Is.EqualTo(new DeliveryRow(id, DeliveryStatus.Succeeded, 1, null, null, null)));
    }

    [Test]
    public async Task Attempts_NeverExceedMaxConcurrency_NorMaxPerEndpoint()
    {
        await StartAsync(maxConcurrency: 4, maxPerEndpoint: 2, started: false);
        string[] hosts = ["a.example.com", "b.example.com", "c.example.com"];
        var ids = new List<Guid>();
        for (var i = 0; i < hosts.Length; i++)
        {
            // a's deliveries are due first, then b's, then c's.
            _sender.Hold(hosts[i]);
            ids.AddRange(await App.PublishManyAsync(_orgId, await App.AddEndpointAsync(_orgId, hosts[i]), DateTimeOffset.UtcNow.AddMinutes(i - 10), 4));
        }

        await Worker.StartAsync(CancellationToken.None);
        await _sender.UntilAsync(s => s.InFlight == 4, Bound, "4 attempts in flight");
        var held = hosts.Select(_sender.InFlightTo).ToList();
        _sender.LetGoAll();
        await _sender.UntilAsync(s => s.Finished.Count == 12, Bound, "every delivery attempted");
        await Worker.StopAsync(CancellationToken.None).WaitAsync(Bound);

        var rows = await App.RowsAsync();
        Assert.Multiple(() =>
        {
            Assert.That(held, Is.EqualTo(new[] { 2, 2, 0 }), "while held: the oldest due first, at most 2 each");
            Assert.That(_sender.MaxInFlight, Is.EqualTo(4));
            Assert.That(hosts.Select(_sender.MaxInFlightTo), Is.All.InRange(1, 2));
            Assert.That(_sender.Finished.Select(f => f.Host).Distinct(), Is.EquivalentTo(hosts));
            Assert.That(rows.Select(r => r.Id), Is.EquivalentTo(ids));
            Assert.That(rows.Select(r => (r.Status, r.AttemptCount, r.LeaseOwner)), Is.All.EqualTo((DeliveryStatus.Succeeded, 1, (string?)null)));
            Assert.That(App.Services.GetRequiredService<AttemptRecorder>().Recorded, Is.EqualTo(12));
        });
    }

    [Test]
    public async Task ASlowReceiver_DoesNotHoldUpAnothersDeliveries()
    {
        await StartAsync(maxConcurrency: 4, maxPerEndpoint: 2, started: false);
        _sender.Hold("slow.example.com");
        // The slow receiver's deliveries are due first: the worker's first claim brings only those.
        await App.PublishManyAsync(_orgId, await App.AddEndpointAsync(_orgId, "slow.example.com"), DateTimeOffset.UtcNow.AddMinutes(-2), 4);
        await App.PublishManyAsync(_orgId, await App.AddEndpointAsync(_orgId, "fast.example.com"), DateTimeOffset.UtcNow.AddMinutes(-1), 3);

        await Worker.StartAsync(CancellationToken.None);

        await _sender.UntilAsync(s => s.FinishedTo("fast.example.com") == 3, Bound, "the fast receiver's deliveries while the slow one holds its attempts");
        Assert.Multiple(() =>
        {
            Assert.That(_sender.InFlightTo("slow.example.com"), Is.EqualTo(2));
            Assert.That(_sender.FinishedTo("slow.example.com"), Is.Zero);
        });
        _sender.LetGo("slow.example.com");
        await _sender.UntilAsync(s => s.Finished.Count == 7, Bound, "every delivery attempted");
    }

    [Test]
    public async Task AStalledReceiver_HasItsDueDeliveriesMovedAhead_AsFarAsItsOldestAttemptHasRun()
    {
        await StartAsync(maxConcurrency: 4, maxPerEndpoint: 2, started: false);
        _sender.Hold("stalled.example.com");
        var stalled = await App.PublishManyAsync(_orgId, await App.AddEndpointAsync(_orgId, "stalled.example.com"), DateTimeOffset.UtcNow.AddMinutes(-2), 5);
        var fast = await App.PublishManyAsync(_orgId, await App.AddEndpointAsync(_orgId, "fast.example.com"), DateTimeOffset.UtcNow.AddMinutes(-1), 3);
        await Worker.StartAsync(CancellationToken.None);
        await _sender.UntilAsync(s => s.InFlightTo("stalled.example.com") == 2 && s.FinishedTo("fast.example.com") == 3, Bound, "the stalled receiver at its limit, the fast one done");
        var waiting = (await App.RowsAsync()).Where(r => stalled.Contains(r.Id) && r.LeaseOwner is null).ToList();
        Assert.That(waiting.Select(r => r.NextAttemptAt), Has.All.LessThan(DateTimeOffset.UtcNow), "precondition: 3 due, not started");

        // The next claim after its oldest attempt has run DeliveryWorker.StallAfter moves them.
        var notBefore = DateTimeOffset.UtcNow + DeliveryWorker.StallAfter;
        List<DeliveryRow> moved = [];
        for (var waited = TimeSpan.Zero; waited < Bound && moved.Count < waiting.Count; waited += TimeSpan.FromMilliseconds(100))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            App.Services.GetRequiredService<IDeliverySignal>().Notify();
            moved = [.. (await App.RowsAsync()).Where(r => waiting.Any(w => w.Id == r.Id) && r.NextAttemptAt > DateTimeOffset.UtcNow)];
        }

        Assert.Multiple(() =>
        {
            Assert.That(waiting, Has.Count.EqualTo(3));
            Assert.That(moved.Select(r => r.Id), Is.EquivalentTo(waiting.Select(w => w.Id)), "every due delivery of the stalled receiver");
            Assert.That(moved.Select(r => r.NextAttemptAt), Has.All.GreaterThanOrEqualTo(notBefore), "as far ahead as the oldest attempt had run: at least StallAfter");
            Assert.That(moved.Select(r => (r.Status, r.AttemptCount, r.LeaseOwner)), Has.All.EqualTo((DeliveryStatus.Pending, 0, (string?)null)), "nothing else changes");
            Assert.That(_sender.InFlightTo("stalled.example.com"), Is.EqualTo(2), "its attempts in flight go on");
        });
    }

    [Test]
    public async Task AClaimOfSeveralDeliveries_IsReadForItsAttemptsWithOneQueryPerTable()
    {
        await StartAsync(maxConcurrency: 8, maxPerEndpoint: 4, started: false);
        await App.PublishManyAsync(_orgId, await App.AddEndpointAsync(_orgId, "a.example.com"), DateTimeOffset.UtcNow.AddMinutes(-2), 3);
        await App.PublishManyAsync(_orgId, await App.AddEndpointAsync(_orgId, "b.example.com"), DateTimeOffset.UtcNow.AddMinutes(-1), 3);

        await Worker.StartAsync(CancellationToken.None); // its first claim takes all 6
        await _sender.UntilAsync(s => s.Finished.Count == 6, Bound, "every delivery attempted");
        await Worker.StopAsync(CancellationToken.None).WaitAsync(Bound);

        Assert.Multiple(() =>
        {
            Assert.That(_claims.Reads("events"), Is.EqualTo(1), "one read of the events for the 6 attempts (the recorder reads none)");
            Assert.That(_sender.FinishedTo("a.example.com") + _sender.FinishedTo("b.example.com"), Is.EqualTo(6));
        });
    }

    [Test]
    public async Task AFinishedAttempt_ClaimsAgainOnlyOnceAnEighthOfTheSlotsIsFree_SeveralRowsPerStatement()
    {
        // 16 slots: a finished attempt refills only when 2 are free (ADR 0012, amendment 1).
        await StartAsync(maxConcurrency: 16, maxPerEndpoint: 4, started: false);
        var hosts = Enumerable.Range(0, 20).Select(i => $"h{i}.example.com").ToList();
        for (var i = 0; i < hosts.Count; i++)
        {
            _sender.Hold(hosts[i]);
            await App.PublishAsync(_orgId, DateTimeOffset.UtcNow.AddMinutes(i - 30), await App.AddEndpointAsync(_orgId, hosts[i]));
        }

        await Worker.StartAsync(CancellationToken.None);
        await _sender.UntilAsync(s => s.InFlight == 16, Bound, "every slot in flight");
        var recorder = App.Services.GetRequiredService<AttemptRecorder>();

        _sender.LetGo(hosts[0]);
        var waited = Stopwatch.StartNew();
        while (recorder.Recorded < 1 && waited.Elapsed < Bound)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10)); // the recorder writes it: its slot is free
        }

        var afterOne = (_claims.Claims, _sender.InFlight);
        _sender.LetGo(hosts[1]);
        await _sender.UntilAsync(s => s.InFlight == 16, Bound, "two free slots refilled");

        Assert.Multiple(() =>
        {
            Assert.That(afterOne, Is.EqualTo((1, 15)), "the first attempt written, one free slot of 16: no claim yet");
            Assert.That(_claims.Claims, Is.EqualTo(2), "the second free slot: one claim statement for both");
            Assert.That(hosts.Skip(16).Count(h => _sender.InFlightTo(h) == 1), Is.EqualTo(2), "the next two due");
        });
    }

    [Test]
    public async Task Stopping_FinishesTheAttemptsInFlight_RecordsThem_AndLeavesNoLease_SoOthersCanClaimTheRestAtOnce()
    {
        await StartAsync(maxConcurrency: 4, maxPerEndpoint: 2, started: false);
        _sender.Hold("a.example.com");
        _sender.Hold("b.example.com");
        var a = await App.PublishManyAsync(_orgId, await App.AddEndpointAsync(_orgId, "a.example.com"), DateTimeOffset.UtcNow.AddMinutes(-2), 3);
        var b = await App.PublishManyAsync(_orgId, await App.AddEndpointAsync(_orgId, "b.example.com"), DateTimeOffset.UtcNow.AddMinutes(-1), 3);
        await Worker.StartAsync(CancellationToken.None);
        await _sender.UntilAsync(s => s.InFlight == 4, Bound, "4 attempts in flight");

        var stopping = Worker.StopAsync(CancellationToken.None);
        _sender.LetGoAll();
        await stopping.WaitAsync(Bound);

        var rows = await App.RowsAsync();
        var attempted = _sender.Finished.Select(f => f.MessageId).ToList();
        var notStarted = new[] { a[2], b[2] };
        await using var another = App.AnotherProcess();
        var claimedByAnother = await another.ClaimAsync("another-worker", DateTimeOffset.UtcNow, limit: 10);
        Assert.Multiple(() =>
        {
            Assert.That(attempted, Has.Count.EqualTo(4));
            Assert.That(App.Services.GetRequiredService<AttemptRecorder>().Recorded, Is.EqualTo(4));
            Assert.That(rows.Where(r => !notStarted.Contains(r.Id)).Select(r => (r.Status, r.AttemptCount)), Is.All.EqualTo((DeliveryStatus.Succeeded, 1)));
            Assert.That(rows.Where(r => notStarted.Contains(r.Id)).Select(r => (r.Status, r.AttemptCount)), Is.All.EqualTo((DeliveryStatus.Pending, 0)));
            Assert.That(rows.Select(r => r.LeaseOwner), Has.None.EqualTo(Worker.Owner));
            Assert.That(claimedByAnother, Is.EquivalentTo(notStarted));
        });
    }

    private async Task StartAsync(int maxConcurrency, int maxPerEndpoint, bool started = true)
    {
        _sender = new ScriptedSender();
        _claims = new ClaimWatcher();
        _app = await SqliteApp.StartAsync(
            migrate: true,
            new Dictionary<string, string?>
            {
                ["Delivery:PollIntervalMilliseconds"] = "60000",
                ["Delivery:MaxConcurrency"] = maxConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Delivery:MaxPerEndpoint"] = maxPerEndpoint.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            services => services.AddSingleton<IWebhookSender>(_sender),
            _claims);
        _orgId = await App.SaveOrganizationAsync();
        if (started)
        {
            await Worker.StartAsync(CancellationToken.None);
        }
    }

    /// <summary>Sees the worker's claim statements run, and counts the queries that read each table.</summary>
    private sealed class ClaimWatcher : DbCommandInterceptor
    {
        private readonly TaskCompletionSource _firstLook = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private const string ClaimText = "UPDATE \"deliveries\" SET \"lease_owner\"";

        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _queries = new();

        /// <summary>How many <c>SELECT</c>s read <paramref name="table"/>.</summary>
        public int Reads(string table) =>
            _queries.Count(q => q.StartsWith("SELECT", StringComparison.Ordinal)
                && (q.Contains($"FROM \"{table}\" AS", StringComparison.Ordinal) || q.Contains($"FROM {table} AS", StringComparison.Ordinal)));

        /// <summary>How many claim statements have run.</summary>
        public int Claims => _queries.Count(q => q.Contains(ClaimText, StringComparison.Ordinal));

        /// <summary>Completes when the first claim statement has run.</summary>
        public Task FirstLook => _firstLook.Task;

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            _queries.Enqueue(command.CommandText);
            if (command.CommandText.Contains(ClaimText, StringComparison.Ordinal))
            {
                _firstLook.TrySetResult();
            }

            return ValueTask.FromResult(result);
        }
    }
}
