using System.Text.Json;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Deliveries;
using Webhooks.Application.Organizations;
using Webhooks.Application.Webhooks;
using Webhooks.Domain.Deliveries;
using Webhooks.Infrastructure.Deliveries;
using Webhooks.Infrastructure.Tests.Deliveries;

namespace Webhooks.Infrastructure.Tests.Persistence.SqlServer;

/// <summary>The delivery claims against a live SQL Server (<c>UPDLOCK, READPAST, ROWLOCK</c> for real).</summary>
public sealed partial class LiveSqlServerTests
{
    private static readonly DateTimeOffset DueFrom = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task DeliveryClaims_RoundTrip_OldestDueFirst_LeaseHeld_ThenReleased()
    {
        await MigrateAsync();
        Assert.That(_services!.GetRequiredService<DeliveryClaims>(), Is.InstanceOf<SqlServerDeliveryClaims>());
        var ids = await PublishAsync(3);
        var now = DueFrom.AddHours(1);

        var first = await _services!.ClaimAsync("worker-1", now, limit: 2);
        var whileLeased = await _services!.ClaimAsync("worker-2", now, limit: 10);
        var released = await _services!.ReleaseAsync("worker-1", null);
        var afterRelease = await _services!.ClaimAsync("worker-2", now, limit: 10);
        var afterExpiry = await _services!.ClaimAsync("worker-3", now.AddSeconds(60), limit: 10);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EquivalentTo(ids.Take(2)));
            Assert.That(whileLeased, Is.EqualTo(ids.Skip(2)));
            Assert.That(released, Is.EqualTo(2));
            Assert.That(afterRelease, Is.EquivalentTo(ids.Take(2)));
            Assert.That(afterExpiry, Is.EquivalentTo(ids), "every lease has expired");
        });
    }

    [Test]
    public async Task DeliveryClaims_TwoClaimersAtOnce_GetDisjointSets()
    {
        await MigrateAsync();
        var ids = await PublishAsync(200);
        await using var second = TestData.BuildServices(_temp.Path, _settings);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new[] { ClaimUntilEmptyAsync(_services!, "worker-1"), ClaimUntilEmptyAsync(second, "worker-2") };
        start.SetResult();
        var claims = await Task.WhenAll(running);

        Assert.Multiple(() =>
        {
            Assert.That(claims[0].Concat(claims[1]), Is.Unique);
            Assert.That(claims[0].Concat(claims[1]), Is.EquivalentTo(ids));
        });

        async Task<List<Guid>> ClaimUntilEmptyAsync(IServiceProvider services, string owner)
        {
            var mine = new List<Guid>();
            await start.Task;
            while (await services.ClaimAsync(owner, DueFrom.AddHours(1), limit: 7) is { Count: > 0 } claimed)
            {
                mine.AddRange(claimed);
            }

            return mine;
        }
    }

    /// <summary><paramref name="count"/> deliveries to one endpoint, one event each, due a second apart.</summary>
    private async Task<List<Guid>> PublishAsync(int count)
    {
        var organization = TestData.NewOrganization();
        var endpoint = TestData.NewEndpoint(organization.Id);
        var ids = new List<Guid>();
        await using var scope = _services!.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<IOrganizationRepository>().Add(organization);
        scope.ServiceProvider.GetRequiredService<IWebhookEndpointRepository>().Add(endpoint);
        using var data = JsonDocument.Parse("{}");
        for (var i = 0; i < count; i++)
        {
            var evt = Event.ForOrganization(Guid.CreateVersion7(), organization.Id, "wallet.balance_low", EventData.From(data.RootElement).Value!, DueFrom.AddSeconds(i));
            var delivery = evt.DeliverTo(Guid.CreateVersion7(), DeliveryTarget.Endpoint(endpoint.Id));
            scope.ServiceProvider.GetRequiredService<IEventRepository>().Add(evt, [delivery]);
            ids.Add(delivery.Id);
        }

        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        return ids;
    }
}
