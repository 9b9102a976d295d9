using Npgsql;
using Webhooks.Infrastructure.Deliveries;
using static Webhooks.Infrastructure.Tests.Deliveries.DeliveryQueue;

namespace Webhooks.Infrastructure.Tests.Deliveries;

/// <summary>
/// <see cref="PostgresDeliveryClaims"/> on a live PostgreSQL database (docs/decisions/0017-postgresql-provider.md):
/// a claim skips the rows another transaction holds locked instead of waiting for them, and claimers
/// running at once, in two applications, never return the same row. Runs in the PostgreSQL run of
/// <c>build/test.sh</c> only (category <see cref="TestPostgres.PostgresOnly"/>).
/// </summary>
[TestFixture]
[Category(TestPostgres.PostgresOnly)]
public sealed class PostgresClaimsTests : SqliteAppTests
{
    private static readonly DateTimeOffset Now = T0.AddHours(1);

    /// <summary>How long a claim that should not wait may take before the test gives up on it.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private Guid _endpoint;

    [SetUp]
    public async Task RequirePostgresAsync()
    {
        Assert.That(App.PostgresConnectionString, Is.Not.Null, $"these tests need PostgreSQL: set {TestPostgres.Variable} (build/test.sh does)");
        _endpoint = await App.AddEndpointAsync(OrgId, "a.example.com");
    }

    [Test]
    public async Task Claim_SkipsTheRowsAnotherTransactionHoldsLocked_WithoutWaitingForThem()
    {
        var due = await App.PublishManyAsync(OrgId, _endpoint, T0, 4);
        await using var other = (NpgsqlConnection)App.OpenDatabase();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var lockTwo = new NpgsqlCommand("SELECT id FROM deliveries ORDER BY next_attempt_at LIMIT 2 FOR UPDATE", other, transaction))
        {
            await lockTwo.ExecuteNonQueryAsync();
        }

        var whileLocked = await App.Services.ClaimAsync("worker-1", Now, limit: 10).WaitAsync(Bound);
        await transaction.RollbackAsync();
        var afterwards = await App.Services.ClaimAsync("worker-2", Now, limit: 10);

        var rows = await App.RowsAsync();
        Assert.Multiple(() =>
        {
            Assert.That(whileLocked, Is.EqualTo(due.Skip(2)), "the two unlocked rows, oldest due first");
            Assert.That(afterwards, Is.EqualTo(due.Take(2)), "the locked rows, once the lock is gone");
            Assert.That(rows.Select(r => (r.Id, r.LeaseOwner)), Is.EquivalentTo(due.Select((id, i) => (id, i < 2 ? "worker-2" : "worker-1"))));
        });
    }

    [Test]
    public async Task Claim_ManyClaimersInTwoApplicationsAtOnce_NeverReturnTheSameRow()
    {
        var other = await App.AddEndpointAsync(OrgId, "b.example.com");
        var all = new List<Guid>();
        for (var i = 0; i < 100; i++)
        {
            all.AddRange(await App.PublishAsync(OrgId, T0.AddMilliseconds(i), _endpoint, other));
        }

        await using var second = App.AnotherProcess();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = Enumerable.Range(0, 8)
            .Select(i => ClaimUntilEmptyAsync(i % 2 == 0 ? App.Services : second, $"claimer-{i}", start.Task))
            .ToList();
        start.SetResult();
        var claims = await Task.WhenAll(running).WaitAsync(Bound * 4);

        var rows = await App.RowsAsync();
        var claimed = claims.SelectMany(c => c.Ids).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(claimed, Is.Unique, "no row is returned to two claimers");
            Assert.That(claimed, Is.EquivalentTo(all), "every due row is claimed");
            foreach (var (owner, ids) in claims)
            {
                Assert.That(rows.Where(r => ids.Contains(r.Id)).Select(r => r.LeaseOwner), Is.All.EqualTo(owner), owner);
            }
        });

        static async Task<(string Owner, List<Guid> Ids)> ClaimUntilEmptyAsync(IServiceProvider services, string owner, Task start)
        {
            var mine = new List<Guid>();
            await start;
            while (true)
            {
                var claimed = await services.ClaimAsync(owner, Now, limit: 5);
                if (claimed.Count == 0)
                {
                    return (owner, mine);
                }

                mine.AddRange(claimed);
            }
        }
    }
}
