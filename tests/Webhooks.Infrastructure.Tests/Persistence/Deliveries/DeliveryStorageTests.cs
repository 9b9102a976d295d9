using Webhooks.Application.Clients;
using Webhooks.Application.Deliveries;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Infrastructure.Tests.Persistence.Deliveries;

/// <summary>
/// Events, deliveries and attempts on a real SQLite file: every column as stored (instants as UTC
/// ticks, statuses and triggers as lower-case text), read back as saved, and the partial index
/// a worker claims through.
/// </summary>
[TestFixture]
public sealed class DeliveryStorageTests : SqliteAppTests
{
    /// <summary>Data with spaces, a line break, escaped and raw non-ASCII: stored as published.</summary>
    private const string PublishedData = "{ \"wallet_id\": \"w_1\",\n  \"note\": \"café ✓ 😀\", \"escaped\": \"\\u00e9\" }";

    // Sub-second, to the tick: nothing is lost on the way.
    private static readonly DateTimeOffset CreatedAt = new DateTimeOffset(2026, 6, 1, 10, 20, 30, 456, TimeSpan.Zero).AddTicks(7);

    [Test]
    public async Task Publish_StoresTheEventAndItsDeliveryColumnByColumn()
    {
        var endpoint = TestData.NewActiveEndpoint(OrgId);
        await App.SaveAsync(sp => sp.Endpoints().Add(endpoint));
        var evt = TestData.OrganizationEvent(OrgId, CreatedAt.ToOffset(TimeSpan.FromHours(2)), PublishedData);
        var delivery = evt.DeliverTo(Guid.CreateVersion7(), DeliveryTarget.Endpoint(endpoint.Id));

        await App.SaveAsync(sp => sp.GetRequiredService<IEventRepository>().Add(evt, [delivery]));

        Assert.Multiple(() =>
        {
            Assert.That(
                Row("SELECT id, org_id, client_id, type, data, created_at, delivery_count FROM events;"),
                Is.EqualTo(new object[] { Text(evt.Id), Text(OrgId), DBNull.Value, "wallet.balance_low", PublishedData, CreatedAt.UtcTicks, 1L }));
            Assert.That(
                Row("""
                    SELECT id, event_id, event_type, org_id, endpoint_id, client_id, status, attempt_count, next_attempt_at,
                           last_attempt_at, last_response_status, created_at, updated_at, lease_owner, lease_expires_at
                    FROM deliveries;
                    """),
                Is.EqualTo(new object[]
                {
                    Text(delivery.Id), Text(evt.Id), "wallet.balance_low", Text(OrgId), Text(endpoint.Id), DBNull.Value, "pending", 0L, CreatedAt.UtcTicks,
                    DBNull.Value, DBNull.Value, CreatedAt.UtcTicks, CreatedAt.UtcTicks, DBNull.Value, DBNull.Value,
                }));
        });
    }

    [Test]
    public async Task Publish_ThenRead_GivesBackTheEventAndDeliveryAsSaved()
    {
        var endpoint = TestData.NewActiveEndpoint(OrgId);
        await App.SaveAsync(sp => sp.Endpoints().Add(endpoint));
        var evt = TestData.OrganizationEvent(OrgId, CreatedAt, PublishedData);
        var delivery = evt.DeliverTo(Guid.CreateVersion7(), DeliveryTarget.Endpoint(endpoint.Id));
        await App.SaveAsync(sp => sp.GetRequiredService<IEventRepository>().Add(evt, [delivery]));

        await using var scope = App.Scope();
        var found = await scope.ServiceProvider.GetRequiredService<IEventRepository>().FindAsync(evt.Id, CancellationToken.None);
        var loaded = await LoadAsync(scope, delivery.Id);
        Assert.Multiple(async () =>
        {
            Assert.That(
                (found!.Id, found.OrgId, found.ClientId, found.Type, found.Data, found.CreatedAt, found.DeliveryCount),
                Is.EqualTo((evt.Id, (Guid?)OrgId, (Guid?)null, evt.Type, PublishedData, CreatedAt, 1)));
            Assert.That(Snapshot(loaded), Is.EqualTo(Snapshot(delivery)));
            Assert.That(loaded.Target, Is.EqualTo(DeliveryTarget.Endpoint(endpoint.Id)));
            Assert.That(await scope.ServiceProvider.GetRequiredService<IEventRepository>().FindAsync(Guid.CreateVersion7(), CancellationToken.None), Is.Null);
        });
    }

    [Test]
    public async Task ClientDelivery_IsStoredWithTheClientAndNoOrganization()
    {
        var client = TestData.NewClient();
        await App.SaveAsync(sp => sp.GetRequiredService<IClientRepository>().Add(client));
        var evt = Event.ForClient(Guid.CreateVersion7(), client.Id, "device.online", TestData.Data("""{"device":"d_1"}"""), CreatedAt);
        var delivery = evt.DeliverTo(Guid.CreateVersion7(), DeliveryTarget.Client(client.Id));

        await App.SaveAsync(sp => sp.GetRequiredService<IEventRepository>().Add(evt, [delivery]));

        await using var scope = App.Scope();
        var loaded = await LoadAsync(scope, delivery.Id);
        Assert.Multiple(() =>
        {
            Assert.That(Row("SELECT org_id, client_id, type FROM events;"), Is.EqualTo(new object[] { DBNull.Value, Text(client.Id), "device.online" }));
            Assert.That(Row("SELECT org_id, endpoint_id, client_id FROM deliveries;"), Is.EqualTo(new object[] { DBNull.Value, DBNull.Value, Text(client.Id) }));
            Assert.That(loaded.Target, Is.EqualTo(DeliveryTarget.Client(client.Id)));
        });
    }

    [Test]
    public async Task Attempts_RecordedOnATrackedDeliveryWithoutLoadingTheEarlierOnes_AreEachInserted()
    {
        var delivery = await PublishAsync();
        var first = new DateTimeOffset(2026, 6, 1, 10, 20, 31, 0, TimeSpan.Zero).AddTicks(3);
        var second = first.AddSeconds(7);

        await RecordAsync(delivery.Id, new AttemptResult(502, TimeSpan.FromMilliseconds(812.4), "{\"error\":\"upstream\"}", null), first);
        await RecordAsync(delivery.Id, AttemptResult.Failed("connection refused", TimeSpan.FromMilliseconds(3)), second);

        await using var scope = App.Scope();
        var loaded = await LoadAsync(scope, delivery.Id);
        Assert.Multiple(() =>
        {
            Assert.That(
                Rows("SELECT delivery_id, number, \"trigger\", started_at, duration_ms, response_status, response_body, error FROM delivery_attempts ORDER BY number;"),
                Is.EqualTo(new[]
                {
                    new object[] { Text(delivery.Id), 1L, "scheduled", first.UtcTicks, 812L, 502L, "{\"error\":\"upstream\"}", DBNull.Value },
                    new object[] { Text(delivery.Id), 2L, "scheduled", second.UtcTicks, 3L, DBNull.Value, DBNull.Value, "connection refused" },
                }));
            Assert.That(
                loaded.Attempts.Select(a => (a.DeliveryId, a.Number, a.Trigger, a.StartedAt, a.DurationMs, a.ResponseStatus, a.ResponseBody, a.Error)),
                Is.EqualTo(new[]
                {
                    (delivery.Id, 1, AttemptTrigger.Scheduled, first, 812, (int?)502, (string?)"{\"error\":\"upstream\"}", (string?)null),
                    (delivery.Id, 2, AttemptTrigger.Scheduled, second, 3, null, null, "connection refused"),
                }));
            Assert.That(loaded.Status, Is.EqualTo(DeliveryStatus.Pending));
            Assert.That(loaded.AttemptCount, Is.EqualTo(2));
            Assert.That(loaded.LastAttemptAt, Is.EqualTo(second));
            Assert.That(loaded.LastResponseStatus, Is.Null);
            Assert.That(loaded.NextAttemptAt, Is.EqualTo(second + TimeSpan.FromMilliseconds(3) + TimeSpan.FromSeconds(300)));
        });
    }

    /// <summary>How a delivery reaches each status, and the text stored for it.</summary>
    private static readonly TestCaseData[] Statuses =
    [
        new TestCaseData((Action<Delivery>)(_ => { }), DeliveryStatus.Pending, "pending").SetName("pending"),
        new TestCaseData((Action<Delivery>)(d => Record(d, new AttemptResult(204, TimeSpan.FromMilliseconds(5), null, null))), DeliveryStatus.Succeeded, "succeeded")
            .SetName("succeeded"),
        new TestCaseData((Action<Delivery>)(d => Record(d, new AttemptResult(410, TimeSpan.FromMilliseconds(5), null, null))), DeliveryStatus.Failed, "failed")
            .SetName("failed"),
        new TestCaseData((Action<Delivery>)(d => d.Cancel(CreatedAt)), DeliveryStatus.Canceled, "canceled").SetName("canceled"),
    ];

    [TestCaseSource(nameof(Statuses))]
    public async Task Status_IsStoredAsItsLowerCaseName_AndReadBack(Action<Delivery> reach, DeliveryStatus status, string text)
    {
        var delivery = await PublishAsync();

        await App.SaveAsync(async sp => reach(await Tracked(sp, delivery.Id)));

        await using var scope = App.Scope();
        Assert.Multiple(async () =>
        {
            Assert.That(App.Scalar("SELECT status FROM deliveries;"), Is.EqualTo(text));
            Assert.That((await LoadAsync(scope, delivery.Id)).Status, Is.EqualTo(status));
        });
    }

    [Test]
    public async Task DueIndex_HoldsOnlyPendingRows_AndServesTheClaimQuery()
    {
        await PublishAsync();

        Assert.Multiple(() =>
        {
            Assert.That(
                App.Scalar("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'ix_deliveries_due';"),
                Is.EqualTo("CREATE INDEX \"ix_deliveries_due\" ON \"deliveries\" (\"next_attempt_at\", \"endpoint_id\", \"client_id\") WHERE status = 'pending'"));
            Assert.That(
                Rows("EXPLAIN QUERY PLAN SELECT id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= 1 ORDER BY next_attempt_at LIMIT 10;")
                    .Select(row => (string)row[^1]),
                Has.Some.Contains("ix_deliveries_due"));
        });
    }

    private static void Record(Delivery delivery, AttemptResult result) =>
        delivery.RecordAttempt(result, CreatedAt, AttemptTrigger.Scheduled, RetrySchedule.Default, 0.5);

    private async Task<Delivery> PublishAsync()
    {
        var endpoint = TestData.NewActiveEndpoint(OrgId);
        await App.SaveAsync(sp => sp.Endpoints().Add(endpoint));
        var evt = TestData.OrganizationEvent(OrgId, CreatedAt);
        var delivery = evt.DeliverTo(Guid.CreateVersion7(), DeliveryTarget.Endpoint(endpoint.Id));
        await App.SaveAsync(sp => sp.GetRequiredService<IEventRepository>().Add(evt, [delivery]));
        return delivery;
    }

    /// <summary>As a worker records: the delivery tracked, its earlier attempts not loaded.</summary>
    private Task RecordAsync(Guid deliveryId, AttemptResult result, DateTimeOffset startedAt) => App.SaveAsync(async sp =>
    {
        var tracked = await Tracked(sp, deliveryId);
        Assert.That(tracked.Attempts, Is.Empty, "precondition: the earlier attempts are not loaded");
        tracked.RecordAttempt(result, startedAt, AttemptTrigger.Scheduled, RetrySchedule.Default, 0.5);
    });

    private static Task<Delivery> Tracked(IServiceProvider services, Guid id) =>
        services.GetRequiredService<WebhooksDbContext>().Set<Delivery>().SingleAsync(d => d.Id == id);

    private static Task<Delivery> LoadAsync(AsyncServiceScope scope, Guid id) =>
        scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Set<Delivery>().AsNoTracking().Include(d => d.Attempts).SingleAsync(d => d.Id == id);

    private static object Snapshot(Delivery d) =>
        (d.Id, d.EventId, d.EventType, d.OrgId, d.EndpointId, d.ClientId, d.Status, d.AttemptCount, d.NextAttemptAt, d.LastAttemptAt, d.LastResponseStatus, d.CreatedAt, d.UpdatedAt);

    /// <summary>A <see cref="Guid"/> as SQLite holds it: upper-case text.</summary>
    private static string Text(Guid id) => id.ToString().ToUpperInvariant();

    private object[] Row(string sql) => Rows(sql).Single();

    private List<object[]> Rows(string sql) => App.Rows(sql);
}
