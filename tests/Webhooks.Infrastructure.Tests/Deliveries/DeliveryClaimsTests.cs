using Webhooks.Domain.Deliveries;
using Webhooks.Infrastructure.Deliveries;
using static Webhooks.Infrastructure.Tests.Deliveries.DeliveryQueue;

namespace Webhooks.Infrastructure.Tests.Deliveries;

/// <summary>
/// <see cref="SqliteDeliveryClaims"/> on a real SQLite file, through the application's registrations:
/// which rows a claim takes, and that two claimers on one file (two "processes", each with its own
/// write path) never hold the same row at once.
/// </summary>
[TestFixture]
public sealed class DeliveryClaimsTests : SqliteAppTests
{
    private static readonly DateTimeOffset Now = T0.AddHours(1);

    private Guid _endpoint;

    [SetUp]
    public async Task AddAnEndpointAsync() => _endpoint = await App.AddEndpointAsync(OrgId, "a.example.com");

    [Test]
    public void Claims_AreTheProvidersClaims() =>
        Assert.That(
            App.Services.GetRequiredService<DeliveryClaims>(),
            TestPostgres.Enabled ? Is.InstanceOf<PostgresDeliveryClaims>() : Is.InstanceOf<SqliteDeliveryClaims>());

    [Test]
    public async Task Claim_TakesTheOldestDueFirst_UpToTheLimit_AndLeasesThemToTheOwner()
    {
        // Published newest first, so that insertion order is not due order.
        var third = await App.PublishAsync(OrgId, T0.AddSeconds(30), _endpoint);
        var first = await App.PublishAsync(OrgId, T0.AddSeconds(10), _endpoint);
        var second = await App.PublishAsync(OrgId, T0.AddSeconds(20), _endpoint);

        var claimed = await App.Services.ClaimAsync("worker-1", Now, limit: 2);

        var rows = await App.RowsAsync();
        Assert.Multiple(() =>
        {
            Assert.That(claimed, Is.EquivalentTo(first.Concat(second)));
            Assert.That(rows.Where(r => claimed.Contains(r.Id)).Select(r => (r.LeaseOwner, r.LeaseExpiresAt)), Is.All.EqualTo(("worker-1", (DateTimeOffset?)Now.AddSeconds(60))));
            Assert.That(rows.Single(r => r.Id == third[0]).LeaseOwner, Is.Null);
            Assert.That(rows.Select(r => (r.Status, r.AttemptCount)), Is.All.EqualTo((DeliveryStatus.Pending, 0)), "a claim changes nothing but the lease");
        });
    }

    [Test]
    public async Task Claim_ReturnsWhereEachDeliveryGoes()
    {
        var client = await App.AddClientAsync("client.example.com");
        var toEndpoint = (await App.PublishAsync(OrgId, T0, _endpoint))[0];
        var toClient = await App.PublishToClientAsync(client, T0);

        await using var scope = App.Scope();
        var claimed = await App.Services.GetRequiredService<DeliveryClaims>().ClaimAsync(
            scope.ServiceProvider.GetRequiredService<WebhooksDbContext>(), "worker-1", Now, TimeSpan.FromSeconds(60), 10, [], CancellationToken.None);

        Assert.That(
            claimed.Select(c => (c.Id, c.EndpointId, c.ClientId, c.Receiver)),
            Is.EquivalentTo(new[] { (toEndpoint, (Guid?)_endpoint, (Guid?)null, _endpoint), (toClient, null, (Guid?)client, client) }));
    }

    [Test]
    public async Task Claim_SkipsWhatIsNotDue_HasEnded_OrIsLeased()
    {
        var notDue = await App.PublishAsync(OrgId, Now.AddSeconds(1), _endpoint);
        var ended = await App.PublishAsync(OrgId, T0, _endpoint);
        await App.SaveAsync(async sp => (await sp.GetRequiredService<WebhooksDbContext>().Set<Delivery>().SingleAsync(d => d.Id == ended[0])).Cancel(T0));
        var leased = await App.PublishAsync(OrgId, T0, _endpoint);
        Assert.That(await App.Services.ClaimAsync("worker-0", Now.AddSeconds(-59), limit: 10), Is.EqualTo(leased), "leased until Now + 1 s");
        var due = await App.PublishAsync(OrgId, Now, _endpoint);

        var claimed = await App.Services.ClaimAsync("worker-1", Now, limit: 10);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(claimed, Is.EqualTo(due), "due exactly now is due");
            Assert.That((await App.RowAsync(leased[0])).LeaseOwner, Is.EqualTo("worker-0"));
            Assert.That((await App.RowAsync(notDue[0])).LeaseOwner, Is.Null);
            Assert.That((await App.RowAsync(ended[0])).LeaseOwner, Is.Null);
        });
    }

    [Test]
    public async Task Claim_TakesOverALeaseThatHasExpired()
    {
        var ids = await App.PublishAsync(OrgId, T0, _endpoint);
        Assert.That(await App.Services.ClaimAsync("dead-worker", T0, limit: 10), Is.EqualTo(ids));
        Assert.That(await App.Services.ClaimAsync("worker-1", T0.AddSeconds(59), limit: 10), Is.Empty, "the lease still lives");

        var claimed = await App.Services.ClaimAsync("worker-1", T0.AddSeconds(60), limit: 10);

        var row = await App.RowAsync(ids[0]);
        Assert.Multiple(() =>
        {
            Assert.That(claimed, Is.EqualTo(ids));
            Assert.That((row.LeaseOwner, row.LeaseExpiresAt), Is.EqualTo(("worker-1", (DateTimeOffset?)T0.AddSeconds(120))));
        });
    }

    [Test]
    public async Task Claim_SkipsBusyReceivers_EndpointsAndClients()
    {
        var busyEndpoint = await App.AddEndpointAsync(OrgId, "busy.example.com");
        var busyClient = await App.AddClientAsync("busy-client.example.com");
        var freeClient = await App.AddClientAsync("free-client.example.com");
        var expected = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            await App.PublishAsync(OrgId, T0.AddSeconds(i), busyEndpoint);
            await App.PublishToClientAsync(busyClient, T0.AddSeconds(i));
            expected.AddRange(await App.PublishAsync(OrgId, T0.AddSeconds(i), _endpoint));
            expected.Add(await App.PublishToClientAsync(freeClient, T0.AddSeconds(i)));
        }

        var claimed = await App.Services.ClaimAsync("worker-1", Now, 10, busyEndpoint, busyClient);
        var rest = await App.Services.ClaimAsync("worker-1", Now, 10);

        Assert.Multiple(() =>
        {
            Assert.That(claimed, Is.EquivalentTo(expected));
            Assert.That(rest, Has.Count.EqualTo(4), "the busy receivers' deliveries stay claimable");
        });
    }

    [Test]
    public async Task Defer_MovesOnlyTheReceiversDueUnleasedPendingDeliveries_AndNothingElseOfThem()
    {
        var other = await App.AddEndpointAsync(OrgId, "b.example.com");
        var client = await App.AddClientAsync("client.example.com");
        var leased = await App.PublishAsync(OrgId, T0, _endpoint);
        Assert.That(await App.Services.ClaimAsync("worker-1", Now, limit: 10), Is.EqualTo(leased), "precondition: leased until Now + 60 s");
        var due = (await App.PublishAsync(OrgId, T0.AddSeconds(1), _endpoint)).Concat(await App.PublishAsync(OrgId, Now, _endpoint)).ToList();
        var notDue = await App.PublishAsync(OrgId, Now.AddSeconds(1), _endpoint);
        var ended = await App.PublishAsync(OrgId, T0, _endpoint);
        await App.SaveAsync(async sp => (await sp.GetRequiredService<WebhooksDbContext>().Set<Delivery>().SingleAsync(d => d.Id == ended[0])).Cancel(T0));
        var othersDue = (await App.PublishAsync(OrgId, T0, other))[0];
        var clientsDue = await App.PublishToClientAsync(client, T0);
        var before = await App.RowsAsync();
        var until = Now.AddSeconds(30);

        var moved = await App.Services.DeferAsync(new ClaimedDelivery { EndpointId = _endpoint }, Now, until);
        var clientMoved = await App.Services.DeferAsync(new ClaimedDelivery { ClientId = client }, Now, until);

        var after = await App.RowsAsync();
        var expected = before.Select(row => due.Contains(row.Id) || row.Id == clientsDue ? row with { NextAttemptAt = until } : row);
        Assert.Multiple(() =>
        {
            Assert.That((moved, clientMoved), Is.EqualTo((2, 1)));
            Assert.That(after, Is.EquivalentTo(expected), "only the due, unleased, pending ones, and only their next attempt");
            Assert.That(after.Single(r => r.Id == othersDue).NextAttemptAt, Is.EqualTo(T0), "another receiver's");
            Assert.That(after.Single(r => r.Id == notDue[0]).NextAttemptAt, Is.EqualTo(Now.AddSeconds(1)), "not due yet");
        });
    }

    [Test]
    public async Task Claim_TwoProcessesOnOneFile_NeverHoldTheSameRow([Values(1, 2, 3)] int round)
    {
        // Two service providers, each with its own write path (as two processes): they meet in
        // SQLite's busy handler. Every row is claimed by exactly one of them while the lease lives.
        var other = await App.AddEndpointAsync(OrgId, "b.example.com");
        var all = new List<Guid>();
        for (var i = 0; i < 60; i++)
        {
            all.AddRange(await App.PublishAsync(OrgId, T0.AddMilliseconds(i), _endpoint, other));
        }

        await using var second = App.AnotherProcess();
        Assert.That(await second.ClaimAsync("warm-up", T0.AddDays(-1), limit: 1), Is.Empty, "nothing is due a day early");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new[] { ClaimUntilEmptyAsync(App.Services, "process-1", start.Task), ClaimUntilEmptyAsync(second, "process-2", start.Task) };
        start.SetResult();
        var claims = await Task.WhenAll(running);

        var rows = await App.RowsAsync();
        Assert.Multiple(() =>
        {
            Assert.That(claims[0].Concat(claims[1]), Is.Unique);
            Assert.That(claims[0].Concat(claims[1]), Is.EquivalentTo(all));
            Assert.That(claims[0], Is.Not.Empty, $"round {round}: process 1 claimed some");
            Assert.That(claims[1], Is.Not.Empty, $"round {round}: process 2 claimed some");
            Assert.That(rows.Where(r => claims[0].Contains(r.Id)).Select(r => r.LeaseOwner), Is.All.EqualTo("process-1"));
            Assert.That(rows.Where(r => claims[1].Contains(r.Id)).Select(r => r.LeaseOwner), Is.All.EqualTo("process-2"));
        });

        static async Task<List<Guid>> ClaimUntilEmptyAsync(IServiceProvider services, string owner, Task start)
        {
            var mine = new List<Guid>();
            await start;
            while (true)
            {
                var claimed = await services.ClaimAsync(owner, Now, limit: 3);
                if (claimed.Count == 0)
                {
                    return mine;
                }

                mine.AddRange(claimed);
                await Task.Delay(1); // as a worker does between claims: the other gets its turn
            }
        }
    }

    [Test]
    public async Task Release_GivesUpTheOwnersLeasesOnTheGivenIds_OrAllOfThem_NeverAnotherOwners()
    {
        var mine = await App.PublishManyAsync(OrgId, _endpoint, T0, 3);
        Assert.That(await App.Services.ClaimAsync("worker-1", Now, limit: 3), Is.EquivalentTo(mine));
        var theirs = await App.PublishManyAsync(OrgId, _endpoint, T0, 2);
        Assert.That(await App.Services.ClaimAsync("worker-2", Now, limit: 3), Is.EquivalentTo(theirs));

        var some = await App.Services.ReleaseAsync("worker-1", mine[0], theirs[0]);
        var afterSome = await App.RowsAsync();
        var rest = await App.Services.ReleaseAsync("worker-1", null);
        var afterAll = await App.RowsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(some, Is.EqualTo(1));
            Assert.That(Owners(afterSome), Is.EqualTo(new Dictionary<Guid, string?>
            {
                [mine[0]] = null, [mine[1]] = "worker-1", [mine[2]] = "worker-1", [theirs[0]] = "worker-2", [theirs[1]] = "worker-2",
            }));
            Assert.That(rest, Is.EqualTo(2));
            Assert.That(Owners(afterAll), Is.EqualTo(new Dictionary<Guid, string?>
            {
                [mine[0]] = null, [mine[1]] = null, [mine[2]] = null, [theirs[0]] = "worker-2", [theirs[1]] = "worker-2",
            }));
            Assert.That(afterAll.Where(r => r.LeaseOwner is null).Select(r => r.LeaseExpiresAt), Is.All.Null);
        });

        static Dictionary<Guid, string?> Owners(List<DeliveryRow> rows) => rows.ToDictionary(r => r.Id, r => r.LeaseOwner);
    }

    [Test]
    public async Task Release_MakesTheRowsClaimableAtOnce()
    {
        var ids = await App.PublishAsync(OrgId, T0, _endpoint);
        await App.Services.ClaimAsync("worker-1", Now, limit: 1);

        await App.Services.ReleaseAsync("worker-1", null);

        Assert.That(await App.Services.ClaimAsync("worker-2", Now, limit: 1), Is.EqualTo(ids));
    }
}
