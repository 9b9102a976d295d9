using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Webhooks.Application.Clients;
using Webhooks.Application.Deliveries;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Persistence.WritePath;

namespace Webhooks.Infrastructure.Tests.Persistence.WritePath;

/// <summary>
/// What the unit of work does with <see cref="DeliveriesStopped"/> on a real SQLite file: saving an
/// endpoint that was deactivated or deleted (a client whose URL was cleared or that was suspended)
/// cancels that receiver's pending deliveries in the same transaction; other receivers' deliveries
/// and ended ones stay as they were.
/// </summary>
[TestFixture]
public sealed class DeliveriesStoppedEffectsTests : SqliteAppTests
{
    private static readonly DateTimeOffset Published = TestData.At(2026, 6, 1, 0, 0, 0);

    // The unit of work's clock: when the cancellations happen.
    private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 6, 2, 3, 4, 5, 678, TimeSpan.Zero).AddTicks(9);

    protected override void Configure(IServiceCollection services) => services.AddSingleton<TimeProvider>(new FixedTimeProvider(Now));

    /// <summary>A change to an endpoint, and whether it stops its deliveries.</summary>
    private static readonly TestCaseData[] EndpointChanges =
    [
        new TestCaseData((Action<WebhookEndpoint>)(e => e.Patch(new WebhookEndpointChanges(Active: false), Now)), true).SetName("deactivated by a patch: canceled"),
        new TestCaseData((Action<WebhookEndpoint>)(e => e.Delete(Now)), true).SetName("deleted: canceled"),
        new TestCaseData((Action<WebhookEndpoint>)(e => e.Deactivate(Now)), true).SetName("deactivated by the service (410): canceled"),
        new TestCaseData((Action<WebhookEndpoint>)(e => e.Patch(new WebhookEndpointChanges(Url: HttpsUrl.Create("https://hooks.example.com/moved").Value!), Now)), false)
            .SetName("moved to another URL: still pending"),
        new TestCaseData((Action<WebhookEndpoint>)(e => e.Patch(TestData.ClearDescription, Now)), false).SetName("relabelled: still pending"),
    ];

    [TestCaseSource(nameof(EndpointChanges))]
    public async Task SavingAnEndpoint_CancelsItsPendingDeliveries_OnlyWhenItStopsReceiving(Action<WebhookEndpoint> change, bool cancels)
    {
        var endpoint = await SaveAsync(TestData.NewActiveEndpoint(OrgId));
        var other = await SaveAsync(TestData.NewActiveEndpoint(OrgId));
        var pending = await PublishAsync(DeliveryTarget.Endpoint(endpoint.Id), DeliveryTarget.Endpoint(endpoint.Id));
        var succeeded = await PublishAsync(DeliveryStatus.Succeeded, DeliveryTarget.Endpoint(endpoint.Id));
        var failed = await PublishAsync(DeliveryStatus.Failed, DeliveryTarget.Endpoint(endpoint.Id));
        var others = await PublishAsync(DeliveryTarget.Endpoint(other.Id));
        var before = Stored();

        await App.SaveAsync(async sp => change((await sp.Endpoints().GetAsync(endpoint.Id, OrgId, CancellationToken.None))!));

        var expected = new Dictionary<Guid, StoredDelivery>(before);
        if (cancels)
        {
            foreach (var id in pending)
            {
                expected[id] = expected[id] with { Status = "canceled", NextAttemptAt = null, UpdatedAt = Now.UtcTicks };
            }
        }

        Assert.That(Stored(), Is.EquivalentTo(expected), $"pending: {string.Join(", ", pending)}; ended: {succeeded[0]}, {failed[0]}; another endpoint's: {others[0]}");
    }

    /// <summary>A change to a client, and whether it stops its deliveries.</summary>
    private static readonly TestCaseData[] ClientChanges =
    [
        new TestCaseData((Action<Client>)(c => c.SetWebhookUrl(null, Now)), true).SetName("URL cleared: canceled"),
        new TestCaseData((Action<Client>)(c => c.Suspend(Now)), true).SetName("suspended: canceled"),
        new TestCaseData((Action<Client>)(c => c.SetWebhookUrl(HttpsUrl.Create("https://device.example.com/moved").Value, Now)), false).SetName("URL changed: still pending"),
        new TestCaseData((Action<Client>)(c => c.RotateWebhookSecret("CfDJ8-another", Now)), false).SetName("secret rotated: still pending"),
    ];

    [TestCaseSource(nameof(ClientChanges))]
    public async Task SavingAClient_CancelsItsPendingDeliveries_OnlyWhenItStopsReceiving(Action<Client> change, bool cancels)
    {
        var client = TestData.NewClient();
        var otherClient = TestData.NewClient();
        await App.SaveAsync(sp =>
        {
            sp.GetRequiredService<IClientRepository>().Add(client);
            sp.GetRequiredService<IClientRepository>().Add(otherClient);
        });
        var endpoint = await SaveAsync(TestData.NewActiveEndpoint(OrgId));
        var pending = await PublishAsync(DeliveryTarget.Client(client.Id));
        var ended = await PublishAsync(DeliveryStatus.Succeeded, DeliveryTarget.Client(client.Id));
        var others = (await PublishAsync(DeliveryTarget.Client(otherClient.Id))).Concat(await PublishAsync(DeliveryTarget.Endpoint(endpoint.Id)));
        var before = Stored();

        await App.SaveAsync(async sp => change((await sp.GetRequiredService<IClientRepository>().GetAsync(client.Id, CancellationToken.None))!));

        var expected = new Dictionary<Guid, StoredDelivery>(before);
        if (cancels)
        {
            expected[pending[0]] = expected[pending[0]] with { Status = "canceled", NextAttemptAt = null, UpdatedAt = Now.UtcTicks };
        }

        Assert.That(Stored(), Is.EquivalentTo(expected), $"pending: {pending[0]}; ended: {ended[0]}; other receivers': {string.Join(", ", others)}");
    }

    [Test]
    public async Task SavingAnEndpoint_ThatConflicts_CancelsNothing()
    {
        var endpoint = await SaveAsync(TestData.NewActiveEndpoint(OrgId));
        await PublishAsync(DeliveryTarget.Endpoint(endpoint.Id));
        await using var stale = App.Scope();
        var mine = await stale.ServiceProvider.Endpoints().GetAsync(endpoint.Id, OrgId, CancellationToken.None);
        await App.SaveAsync(async sp => (await sp.Endpoints().GetAsync(endpoint.Id, OrgId, CancellationToken.None))!.Patch(TestData.ClearDescription, Now));
        mine!.Delete(Now);

        Assert.ThrowsAsync<Application.Common.Errors.ConcurrencyConflictException>(() => stale.ServiceProvider.UnitOfWork().SaveChangesAsync(CancellationToken.None));

        Assert.That(Stored().Values.Select(d => d.Status), Is.EqualTo(new[] { "pending" }));
    }

    [Test]
    public async Task SavingAnEndpoint_ForgetsItsEventsOnceCommitted()
    {
        var endpoint = await SaveAsync(TestData.NewActiveEndpoint(OrgId));
        await using var scope = App.Scope();
        var tracked = await scope.ServiceProvider.Endpoints().GetAsync(endpoint.Id, OrgId, CancellationToken.None);
        tracked!.Delete(Now);

        await scope.ServiceProvider.UnitOfWork().SaveChangesAsync(CancellationToken.None);

        Assert.That(tracked.DomainEvents, Is.Empty);
    }

    [Test]
    public async Task CancelPending_CountsWhatItCanceled()
    {
        var endpoint = await SaveAsync(TestData.NewActiveEndpoint(OrgId));
        await PublishAsync(DeliveryTarget.Endpoint(endpoint.Id), DeliveryTarget.Endpoint(endpoint.Id));
        await PublishAsync(DeliveryStatus.Failed, DeliveryTarget.Endpoint(endpoint.Id));
        await using var scope = App.Scope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        var writePath = scope.ServiceProvider.GetRequiredService<IDatabaseWritePath>();

        var first = await writePath.WriteAsync(db, (context, token) => DomainEventEffects.CancelPendingAsync(context, DeliveryTarget.Endpoint(endpoint.Id), Now, token), CancellationToken.None);
        var second = await writePath.WriteAsync(db, (context, token) => DomainEventEffects.CancelPendingAsync(context, DeliveryTarget.Endpoint(endpoint.Id), Now, token), CancellationToken.None);

        Assert.That((first, second), Is.EqualTo((2, 0)));
    }

    private async Task<WebhookEndpoint> SaveAsync(WebhookEndpoint endpoint)
    {
        await App.SaveAsync(sp => sp.Endpoints().Add(endpoint));
        return endpoint;
    }

    private Task<Guid[]> PublishAsync(params DeliveryTarget[] targets) => PublishAsync(DeliveryStatus.Pending, targets);

    /// <summary>One event to each target, its deliveries brought to <paramref name="status"/> (pending, succeeded or failed).</summary>
    private async Task<Guid[]> PublishAsync(DeliveryStatus status, params DeliveryTarget[] targets)
    {
        var deliveries = new List<Delivery>();
        foreach (var target in targets)
        {
            var evt = target.ClientId is { } clientId
                ? Event.ForClient(Guid.CreateVersion7(), clientId, "device.online", TestData.Data("{}"), Published)
                : TestData.OrganizationEvent(OrgId, Published);
            var delivery = evt.DeliverTo(Guid.CreateVersion7(), target);
            if (status != DeliveryStatus.Pending)
            {
                delivery.RecordAttempt(new AttemptResult(status == DeliveryStatus.Succeeded ? 200 : 410, TimeSpan.FromSeconds(1), null, null), Published, AttemptTrigger.Scheduled, RetrySchedule.Default, 0.5);
            }

            deliveries.Add(delivery);
            await App.SaveAsync(sp => sp.GetRequiredService<IEventRepository>().Add(evt, [delivery]));
        }

        Assert.That(deliveries.Select(d => d.Status), Is.All.EqualTo(status), "precondition");
        return [.. deliveries.Select(d => d.Id)];
    }

    /// <summary>Every delivery row as stored: what cancellation may change.</summary>
    private Dictionary<Guid, StoredDelivery> Stored() =>
        App.Rows("SELECT id, status, next_attempt_at, updated_at, attempt_count FROM deliveries;").ToDictionary(
            row => Guid.Parse((string)row[0]),
            row => new StoredDelivery((string)row[1], row[2] as long?, (long)row[3], (long)row[4]));

    private sealed record StoredDelivery(string Status, long? NextAttemptAt, long UpdatedAt, long AttemptCount);
}

/// <summary>
/// The cancellation runs in the save's transaction: when it fails, the endpoint's change is rolled
/// back with it, and the endpoint still receives its deliveries.
/// </summary>
[TestFixture]
public sealed class DeliveriesStoppedTransactionTests : SqliteAppTests
{
    private readonly FailingCancellation _failure = new();

    protected override IInterceptor[] Interceptors() => [_failure];

    [Test]
    public async Task SavingAnEndpoint_WhenTheCancellationFails_WritesNothing()
    {
        var endpoint = TestData.NewActiveEndpoint(OrgId);
        await App.SaveAsync(sp => sp.Endpoints().Add(endpoint));
        var evt = TestData.OrganizationEvent(OrgId, TestData.At(2026, 6, 1, 0, 0, 0));
        var delivery = evt.DeliverTo(Guid.CreateVersion7(), DeliveryTarget.Endpoint(endpoint.Id));
        await App.SaveAsync(sp => sp.GetRequiredService<IEventRepository>().Add(evt, [delivery]));
        _failure.Armed = true;

        Assert.ThrowsAsync<InvalidOperationException>(() => App.SaveAsync(async sp =>
            (await sp.Endpoints().GetAsync(endpoint.Id, OrgId, CancellationToken.None))!.Patch(new WebhookEndpointChanges(Active: false), TestData.At(2026, 6, 2, 0, 0, 0))));

        _failure.Armed = false;
        var stored = await App.LoadAsync(endpoint.Id, OrgId);
        Assert.Multiple(() =>
        {
            Assert.That(_failure.Failed, Is.EqualTo(1), "the cancellation ran, after the endpoint's UPDATE");
            Assert.That((stored!.Active, stored.Revision), Is.EqualTo((true, endpoint.Revision)), "the endpoint's change is rolled back");
            Assert.That(App.Scalar("SELECT status FROM deliveries;"), Is.EqualTo("pending"));
        });
    }

    /// <summary>Fails the set-based UPDATE of the deliveries table while armed.</summary>
    private sealed class FailingCancellation : DbCommandInterceptor
    {
        public bool Armed { get; set; }

        public int Failed { get; private set; }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Armed && command.CommandText.Contains("UPDATE \"deliveries\"", StringComparison.Ordinal))
            {
                Failed++;
                throw new InvalidOperationException("the cancellation failed");
            }

            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
