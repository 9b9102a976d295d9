using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Deliveries;
using Webhooks.Domain.Deliveries;
using Webhooks.Infrastructure.Deliveries;
using Webhooks.Infrastructure.Persistence.WritePath;
using static Webhooks.Infrastructure.Tests.Deliveries.DeliveryQueue;

namespace Webhooks.Infrastructure.Tests.Deliveries;

/// <summary>
/// <see cref="DeliveryRecovery"/> on a real SQLite file: every failed delivery of the endpoint in the
/// window goes back to pending, due now with a fresh round, in batches of
/// <see cref="DeliveryRecovery.BatchSize"/>, each its own transaction through the write path.
/// </summary>
[TestFixture]
public sealed class DeliveryRecoveryTests : SqliteAppTests
{
    private static readonly DateTimeOffset Now = T0.AddDays(1);

    [Test]
    public async Task RequeueFailed_MoreThanTwoBatches_RequeuesEveryOneInThreeTransactions()
    {
        var endpoint = await App.AddEndpointAsync(OrgId, "a.example.com");
        var other = await App.AddEndpointAsync(OrgId, "b.example.com");
        var count = (2 * DeliveryRecovery.BatchSize) + 3;
        var failed = await App.PublishManyAsync(OrgId, endpoint, T0, count);
        var otherFailed = (await App.PublishAsync(OrgId, T0, other))[0];
        var pending = (await App.PublishAsync(OrgId, T0.AddSeconds(5), endpoint))[0];
        var outside = (await App.PublishAsync(OrgId, T0.AddSeconds(-1), endpoint))[0];
        await FailAsync([.. failed, otherFailed, outside]);
        var writePath = new CountingWritePath(App.Services.GetRequiredService<IDatabaseWritePath>());
        var recovery = new DeliveryRecovery(App.Services.GetRequiredService<IServiceScopeFactory>(), writePath);

        var requeued = await recovery.RequeueFailedAsync(endpoint, T0, Now, Now, CancellationToken.None);

        var rows = (await App.RowsAsync()).ToDictionary(r => r.Id);
        Assert.Multiple(() =>
        {
            Assert.That(requeued, Is.EqualTo(count));
            Assert.That(writePath.Writes, Is.EqualTo(3), "500, 500 and 3");
            Assert.That(failed.Select(id => (rows[id].Status, rows[id].NextAttemptAt)), Is.All.EqualTo((DeliveryStatus.Pending, (DateTimeOffset?)Now)));
            Assert.That(rows[otherFailed].Status, Is.EqualTo(DeliveryStatus.Failed), "another endpoint's");
            Assert.That(rows[outside].Status, Is.EqualTo(DeliveryStatus.Failed), "created before the window");
            Assert.That((rows[pending].Status, rows[pending].NextAttemptAt), Is.EqualTo((DeliveryStatus.Pending, (DateTimeOffset?)T0.AddSeconds(5))), "not failed: untouched");
        });
    }

    [Test]
    public async Task RequeueFailed_WhenNoneIsFailed_WritesOnceAndRequeuesNothing()
    {
        var endpoint = await App.AddEndpointAsync(OrgId, "a.example.com");
        await App.PublishAsync(OrgId, T0, endpoint);
        var writePath = new CountingWritePath(App.Services.GetRequiredService<IDatabaseWritePath>());

        var requeued = await new DeliveryRecovery(App.Services.GetRequiredService<IServiceScopeFactory>(), writePath)
            .RequeueFailedAsync(endpoint, T0.AddHours(-1), Now, Now, CancellationToken.None);

        Assert.That((requeued, writePath.Writes), Is.EqualTo((0, 1)));
    }

    [Test]
    public void Recovery_IsRegisteredAsThePort() =>
        Assert.That(App.Services.GetRequiredService<IDeliveryRecovery>(), Is.InstanceOf<DeliveryRecovery>());

    /// <summary>Fails the deliveries through the domain (a scheduled <c>410</c>), saved together.</summary>
    private async Task FailAsync(Guid[] ids)
    {
        await using var scope = App.Scope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        foreach (var delivery in await db.Set<Delivery>().Where(d => ids.Contains(d.Id)).ToListAsync())
        {
            delivery.RecordAttempt(new AttemptResult(410, TimeSpan.FromMilliseconds(1), null, null), T0.AddMinutes(1), AttemptTrigger.Scheduled, RetrySchedule.Default, 0.5);
        }

        await scope.ServiceProvider.GetRequiredService<IDatabaseWritePath>().SaveChangesAsync(db, CancellationToken.None);
    }

    private sealed class CountingWritePath(IDatabaseWritePath inner) : IDatabaseWritePath
    {
        public int Writes { get; private set; }

        public Task<T> WriteAsync<T>(WebhooksDbContext db, Func<WebhooksDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
        {
            Writes++;
            return inner.WriteAsync(db, work, cancellationToken);
        }

        public Task<int> SaveChangesAsync(WebhooksDbContext db, CancellationToken cancellationToken) => inner.SaveChangesAsync(db, cancellationToken);

        public Task<T> ExclusiveAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) => inner.ExclusiveAsync(work, cancellationToken);

        public Task<bool> CanWriteAsync(TimeSpan wait, CancellationToken cancellationToken) => inner.CanWriteAsync(wait, cancellationToken);
    }
}
