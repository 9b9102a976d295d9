using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Webhooks.Infrastructure.Deliveries;
using static Webhooks.Infrastructure.Tests.Deliveries.DeliveryQueue;

namespace Webhooks.Infrastructure.Tests.Deliveries;

/// <summary>
/// SQLite's plan for the statement <see cref="SqliteDeliveryClaims"/> sends (issue 16: a backlog of
/// ended deliveries must not slow the claim): whatever its text, it finds the due rows by searching
/// the partial due index <c>ix_deliveries_due</c> and never scans <c>deliveries</c>. The plan is
/// asked with the claim's own command text and arguments, on a file with due, future and ended rows.
/// </summary>
[TestFixture]
[Category(TestPostgres.SqliteOnly)]
public sealed class DeliveryClaimsQueryPlanTests : SqliteAppTests
{
    private static readonly DateTimeOffset Now = T0.AddHours(1);

    private readonly ClaimPlans _plans = new();

    [TestCase(false, false)]
    [TestCase(true, false)]  // busy receivers add NOT IN lists
    [TestCase(false, true)]  // with the statistics of ANALYZE: mostly ended rows
    [TestCase(true, true)]
    public async Task Claim_SearchesTheDueIndex_AndScansNoTable(bool busyReceivers, bool analyzed)
    {
        var endpoint = await App.AddEndpointAsync(OrgId, "a.example.com");
        var other = await App.AddEndpointAsync(OrgId, "b.example.com");
        var due = await App.PublishManyAsync(OrgId, endpoint, T0, 5);
        await App.PublishManyAsync(OrgId, other, Now.AddMinutes(5), 5);
        var ended = await App.PublishManyAsync(OrgId, endpoint, T0.AddMinutes(-30), 60);
        EndAll(ended);
        if (analyzed)
        {
            App.Rows("ANALYZE;");
        }

        _plans.Clear();
        var claimed = await App.Services.ClaimAsync("worker-1", Now, 3, busyReceivers ? new[] { other } : []);

        var plan = string.Join(" | ", _plans.Single());
        Assert.Multiple(() =>
        {
            Assert.That(claimed, Is.EqualTo(due.Take(3)), "precondition: the claim ran and took the oldest due rows");
            Assert.That(plan, Does.Match(@"SEARCH \w+ USING (COVERING )?INDEX ix_deliveries_due \(next_attempt_at<\?\)"), plan);
            Assert.That(plan, Does.Not.Match(@"(^|\| )SCAN "), "no table is scanned: " + plan);
        });
    }

    protected override IInterceptor[] Interceptors() => [_plans];

    /// <summary>Brings the deliveries to an ended status, as the recorder stores one: succeeded or failed, no longer due.</summary>
    private void EndAll(List<Guid> ids)
    {
        var list = string.Join(", ", ids.Select((id, i) => $"('{id.ToString().ToUpperInvariant()}', {i % 4})"));
        App.Rows($"""
            WITH ended(id, n) AS (VALUES {list})
            UPDATE deliveries SET status = CASE WHEN (SELECT n FROM ended WHERE ended.id = deliveries.id) = 0 THEN 'failed' ELSE 'succeeded' END,
                                  attempt_count = 1, next_attempt_at = NULL
            WHERE id IN (SELECT id FROM ended);
            """);
        Assert.That(App.Scalar("SELECT count(*) FROM deliveries WHERE status <> 'pending';"), Is.EqualTo((long)ids.Count), "precondition");
    }

    /// <summary>SQLite's plan for each claim statement (an <c>UPDATE "deliveries"</c> read as rows), asked with the same arguments on the same connection.</summary>
    private sealed class ClaimPlans : DbCommandInterceptor
    {
        private readonly ConcurrentQueue<List<string>> _plans = new();

        public IReadOnlyList<List<string>> Plans => [.. _plans];

        public List<string> Single() => Plans.Count == 1 ? Plans[0] : throw new AssertionException($"{Plans.Count} claim statements, expected 1");

        public void Clear() => _plans.Clear();

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("UPDATE \"deliveries\"", StringComparison.Ordinal))
            {
                _plans.Enqueue(await QueryPlan.ExplainAsync(command, cancellationToken));
            }

            return result;
        }
    }
}
