using Webhooks.Application.Webhooks.ListWebhookHistory;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Deliveries;
using static Webhooks.Infrastructure.Tests.Deliveries.DeliveryQueue;

namespace Webhooks.Infrastructure.Tests.Deliveries;

/// <summary>
/// The service deactivates an endpoint (through <see cref="AttemptRecorder"/>, on a real SQLite file)
/// when its receiver answers <c>410</c>, or when its attempts have all failed for
/// <c>Delivery:DisableAfterHours</c>; each is recorded in the endpoint's history as the service's, with
/// the reason. The hours are crossed with the attempts' own times and a fixed clock, never by waiting.
/// </summary>
[TestFixture]
public sealed class EndpointDeactivationTests : SqliteAppTests
{
    private static readonly DateTimeOffset Start = T0.AddHours(1);

    private readonly FixedTimeProvider _clock = new(Start);

    private Guid _endpoint;

    [SetUp]
    public async Task AddAnEndpointAsync()
    {
        _clock.Now = Start;
        _endpoint = await App.AddEndpointAsync(OrgId, "a.example.com");
    }

    [Test]
    public async Task Record_A410_DeactivatesTheEndpoint_RecordedAsTheServiceWithTheReason()
    {
        var id = (await App.PublishAsync(OrgId, T0, _endpoint))[0];
        var before = await App.LoadAsync(_endpoint, OrgId);
        _clock.Now = Start.AddSeconds(1);

        await App.RecordAttemptsAsync(Settings(), Attempt(id, Start, 410));

        var endpoint = await App.LoadAsync(_endpoint, OrgId);
        var history = await HistoryAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((endpoint!.Active, endpoint.Revision, endpoint.UpdatedAt), Is.EqualTo((false, before!.Revision + 1, Start.AddSeconds(1))));
            Assert.That(history.Select(h => h.Action), Is.EqualTo(new[] { "deactivated", "created" }));
            AssertDeactivated(history[0], Start.AddSeconds(1), WebhookEndpoint.ReceiverGoneReason);
        }
    }

    /// <summary>Attempts (hours after the first, success or not) with <c>Delivery:DisableAfterHours</c>, and whether the last deactivates.</summary>
    private static readonly TestCaseData[] Runs =
    [
        new TestCaseData(null, new[] { (0.0, false), (119.0, false) }, false, 0.0).SetName("120 h (default): failing for 119 h: still active"),
        new TestCaseData(null, new[] { (0.0, false), (120.0, false) }, true, 0.0).SetName("120 h (default): failing for 120 h: deactivated"),
        new TestCaseData(null, new[] { (0.0, false), (60.0, true), (120.0, false) }, false, 120.0).SetName("120 h: a success in between starts the count again"),
        new TestCaseData(null, new[] { (0.0, true), (1.0, true) }, false, null).SetName("120 h: only successes: not failing"),
        new TestCaseData("2", new[] { (0.0, false), (1.0, false), (2.0, false) }, true, 0.0).SetName("2 h: failing for 2 h: deactivated"),
        new TestCaseData("2", new[] { (0.0, false), (1.9, false) }, false, 0.0).SetName("2 h: failing for 1.9 h: still active"),
    ];

    [TestCaseSource(nameof(Runs))]
    public async Task Record_FailuresForDisableAfterHours_DeactivateTheEndpoint(string? hours, (double Hours, bool Succeeded)[] attempts, bool deactivated, double? failingSince)
    {
        var options = hours is null ? Settings() : Settings(("DisableAfterHours", hours));
        var ids = await App.PublishManyAsync(OrgId, _endpoint, T0, attempts.Length);
        for (var i = 0; i < attempts.Length; i++)
        {
            _clock.Now = Start.AddHours(attempts[i].Hours).AddSeconds(1); // the attempt is written just after it ended
            await App.RecordAttemptsAsync(options, Attempt(ids[i], Start.AddHours(attempts[i].Hours), attempts[i].Succeeded ? 200 : 500));
        }

        var endpoint = await App.LoadAsync(_endpoint, OrgId);
        var history = await HistoryAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(endpoint!.Active, Is.EqualTo(!deactivated));
            Assert.That(history.Select(h => h.Action), Is.EqualTo(deactivated ? new[] { "deactivated", "created" } : ["created"]));
            Assert.That(await FailingSinceAsync(), Is.EqualTo(deactivated ? null : failingSince is { } h ? Start.AddHours(h) : null), "failing_since (cleared by the deactivation)");
        }

        if (deactivated)
        {
            AssertDeactivated(history[0], _clock.Now, WebhookHistory.FailingReason(int.Parse(hours ?? "120", System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Test]
    public async Task Deactivation_AfterDisableAfterHours_CancelsThePendingDeliveries()
    {
        var ids = await App.PublishManyAsync(OrgId, _endpoint, T0, 4);

        await App.RecordAttemptsAsync(Settings(("DisableAfterHours", "1")), Attempt(ids[0], Start, 500), Attempt(ids[1], Start.AddHours(1), 503));

        var rows = await App.RowsAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows.Where(r => ids[2..].Contains(r.Id)).Select(r => (r.Status, r.NextAttemptAt)), Is.All.EqualTo((DeliveryStatus.Canceled, (DateTimeOffset?)null)));
            Assert.That((await App.LoadAsync(_endpoint, OrgId))!.Active, Is.False);
        }
    }

    [Test]
    public async Task FailingSince_IsNotAUserVisibleChange()
    {
        var id = (await App.PublishAsync(OrgId, T0, _endpoint))[0];
        var before = await App.LoadAsync(_endpoint, OrgId);

        await App.RecordAttemptsAsync(Settings(), Attempt(id, Start, 500));

        var after = await App.LoadAsync(_endpoint, OrgId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await FailingSinceAsync(), Is.EqualTo(Start));
            Assert.That((after!.Revision, after.UpdatedAt, after.Active), Is.EqualTo((before!.Revision, before.UpdatedAt, true)));
            Assert.That((await HistoryAsync()).Select(h => h.Action), Is.EqualTo(new[] { "created" }));
        }
    }

    [Test]
    public async Task TurningTheEndpointOffAndOn_StartsTheCountAfresh()
    {
        var ids = await App.PublishManyAsync(OrgId, _endpoint, T0, 1);
        await App.RecordAttemptsAsync(Settings(), Attempt(ids[0], Start, 500));
        foreach (var active in new[] { false, true })
        {
            await App.SaveAsync(async sp => (await sp.Endpoints().GetAsync(_endpoint, OrgId, CancellationToken.None))!.Patch(new WebhookEndpointChanges(Active: active), Start.AddHours(1)));
        }

        Assert.That(await FailingSinceAsync(), Is.Null);
        var id = (await App.PublishAsync(OrgId, T0, _endpoint))[0];

        await App.RecordAttemptsAsync(Settings(), Attempt(id, Start.AddHours(120), 500));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((await App.LoadAsync(_endpoint, OrgId))!.Active, Is.True);
            Assert.That(await FailingSinceAsync(), Is.EqualTo(Start.AddHours(120)));
        }
    }

    protected override void Configure(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    private static FinishedAttempt Attempt(Guid id, DateTimeOffset startedAt, int status) =>
        new(id, "worker-1", startedAt, new AttemptResult(status, TimeSpan.FromMilliseconds(5), null, null));

    private static DeliveryOptions Settings(params (string Key, string? Value)[] settings) => DeliveryOptionsTests.Load(settings);

    private void AssertDeactivated(WebhookHistoryRecord entry, DateTimeOffset at, string reason) =>
        Assert.That(
            (entry.EndpointId, entry.At, entry.ActorType, entry.ActorId, entry.ActorReason, entry.Action, entry.Changes),
            Is.EqualTo((_endpoint, at, WebhookHistory.SystemActor, (Guid?)null, reason, "deactivated", """{"active":{"from":true,"to":false}}""")));

    private async Task<List<WebhookHistoryRecord>> HistoryAsync()
    {
        await using var scope = App.Scope();
        return [.. await scope.ServiceProvider.GetRequiredService<IWebhookHistoryReader>().ListAsync(_endpoint, null, 100, CancellationToken.None)];
    }

    private async Task<DateTimeOffset?> FailingSinceAsync()
    {
        await using var scope = App.Scope();
        return await scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Set<WebhookEndpoint>().AsNoTracking()
            .Where(e => e.Id == _endpoint).Select(e => EF.Property<DateTimeOffset?>(e, "FailingSince")).SingleAsync();
    }
}
