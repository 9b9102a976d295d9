using System.Data;
using System.Data.Common;
using System.Text.RegularExpressions;
using Webhooks.Application.Webhooks;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Infrastructure.Tests.Persistence.SqlServer;

/// <summary>
/// The SQL the real repository sends to SQL Server, captured offline: an interceptor keeps the
/// connection from opening and answers each command with no rows. No SQL Server is needed.
/// </summary>
[TestFixture]
public sealed class SqlServerQueryTests
{
    [Test]
    public void ArrayContainsQuery_IsAnInListOfParameters()
    {
        // Compiled by C# 14 (array.Contains binds to MemoryExtensions.Contains over a span), which
        // EF Core 6 could not run; EF Core 10 sends one parameter per item.
        using var context = TestData.NewSqlServerContext();
        Guid[] ids = [Guid.CreateVersion7(), Guid.CreateVersion7()];

        var sql = Normalized(context.Set<WebhookEndpoint>().Where(e => ids.Contains(e.Id)).Select(e => e.Id).ToQueryString());

        Assert.That(sql, Does.Match(@"SELECT \[w\]\.\[id\] FROM \[webhook_endpoints\] AS \[w\] WHERE \[w\]\.\[id\] IN \(@\w+, @\w+\)$"));
    }

    [Test]
    public void RetentionQueries_SeekByCreationTime_WithTheStatusAsALiteral()
    {
        // What the retention job deletes, TOP(n) at a time: ranges of ix_deliveries_created_at,
        // ix_events_created_at and ix_idempotency_keys_created_at.
        using var context = TestData.NewSqlServerContext();
        var cutoff = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Multiple(() =>
        {
            Assert.That(
                Normalized(Webhooks.Infrastructure.Deliveries.RetentionJob.EndedDeliveriesBefore(context, cutoff).Take(1000).Select(d => d.Id).ToQueryString()),
                Does.Match(@"SELECT TOP\(@\w+\) \[d\]\.\[id\] FROM \[deliveries\] AS \[d\] WHERE \[d\]\.\[created_at\] < @\w+ AND \[d\]\.\[status\] <> 'pending'$"));
            Assert.That(
                Normalized(Webhooks.Infrastructure.Deliveries.RetentionJob.EventsWithoutDeliveriesBefore(context, cutoff).Take(1000).Select(e => e.Id).ToQueryString()),
                Does.Match(@"WHERE \[e\]\.\[created_at\] < @\w+ AND NOT EXISTS \( SELECT 1 FROM \[deliveries\] AS \[d\] WHERE \[d\]\.\[event_id\] = \[e\]\.\[id\]\)$"));
            Assert.That(
                Normalized(Webhooks.Infrastructure.Deliveries.RetentionJob.ExpiredIdempotencyRecords(context, cutoff).Select(r => r.Key).ToQueryString()),
                Does.Match(@"WHERE \[i\]\.\[created_at\] <= @\w+$"));
        });
    }

    [Test]
    public async Task Repository_GetAsync_SendsTheLookupQuery([Values] bool untracked)
    {
        // Runs the real repository against the SQL Server provider; an interceptor stops the
        // connection from opening and answers the command with no rows, so the SQL it would
        // send is captured offline.
        var found = (WebhookEndpoint?)null;
        var capture = await CaptureAsync(async repository => found = untracked
            ? await repository.ReadAsync(Guid.CreateVersion7(), Guid.CreateVersion7(), CancellationToken.None)
            : await repository.GetAsync(Guid.CreateVersion7(), Guid.CreateVersion7(), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.Null);
            Assert.That(capture.Commands, Has.Count.EqualTo(1));
        });
        AssertLookupSql(capture.Commands[0]);
    }

    [Test]
    public async Task Repository_ListAsync_FirstPage_SeeksTheOrganizationsNewestByListPosition()
    {
        var orgId = Guid.CreateVersion7();
        var (commands, parameters) = await CaptureListAsync(orgId, afterId: null, take: 21);

        Assert.That(commands, Has.Count.EqualTo(1));
        var sql = Normalized(commands[0]);
        Assert.Multiple(() =>
        {
            Assert.That(sql, Does.Match(@"SELECT TOP\(@\w+\) "));
            Assert.That(sql, Does.Contain("FROM [webhook_endpoints] AS [w]"));
            Assert.That(sql, Does.Match(@"WHERE \(?\[w\]\.\[org_id\] = @\w+\)? AND \(?\[w\]\.\[deleted_at\] IS NULL\)?"));
            Assert.That(sql, Does.Contain("ORDER BY [w].[list_position] DESC"));
            Assert.That(sql, Does.Not.Contain("[w].[list_position] <"), "the first page has no lower bound");
            Assert.That(sql, Does.Not.Contain("OFFSET").And.Not.Contain("ROW_NUMBER").And.Not.Contain("FETCH"));
            Assert.That(parameters.Select(p => p.Value), Does.Contain(21).And.Contain(orgId));
        });
    }

    [Test]
    public async Task Repository_ListAsync_NextPage_IsAKeysetQueryOnListPositionWithoutOffset()
    {
        var orgId = Guid.CreateVersion7();
        var afterId = Guid.Parse("0196f0c1-2d3e-7f40-8a1b-2c3d4e5f6a7b");
        var (commands, parameters) = await CaptureListAsync(orgId, afterId, take: 6);

        Assert.That(commands, Has.Count.EqualTo(1));
        var sql = Normalized(commands[0]);
        var position = parameters.SingleOrDefault(p => p.Value is string);
        Assert.Multiple(() =>
        {
            Assert.That(sql, Does.Match(@"SELECT TOP\(@\w+\) "));
            Assert.That(sql, Does.Match(@"\[w\]\.\[org_id\] = @\w+"));
            Assert.That(sql, Does.Contain("[w].[deleted_at] IS NULL"));
            Assert.That(sql, Does.Match(@"\[w\]\.\[list_position\] < @\w+"));
            Assert.That(sql, Does.Contain("ORDER BY [w].[list_position] DESC"));
            Assert.That(sql, Does.Not.Contain("OFFSET").And.Not.Contain("ROW_NUMBER").And.Not.Contain("FETCH"));
            Assert.That(position, Is.Not.Null, "the position is sent as a parameter");
            Assert.That(position?.Value, Is.EqualTo("0196f0c1-2d3e-7f40-8a1b-2c3d4e5f6a7b"));
        });
    }

    [Test]
    public async Task Repository_ListAsync_SendsThePositionAsNonUnicodeText_SoTheIndexCanBeSought()
    {
        // An nvarchar parameter against the char(36) column would make SQL Server convert the
        // column on every row (an index scan whose cost grows with the rows skipped).
        var (_, parameters) = await CaptureListAsync(Guid.CreateVersion7(), Guid.CreateVersion7(), take: 6);

        var position = parameters.Single(p => p.Value is string);
        Assert.That(position.DbType, Is.EqualTo(DbType.AnsiStringFixedLength).Or.EqualTo(DbType.AnsiString));
    }

    private static async Task<(List<string> Commands, List<DbParameter> Parameters)> CaptureListAsync(Guid orgId, Guid? afterId, int take)
    {
        var capture = await CaptureAsync(async repository => Assert.That(await repository.ListAsync(orgId, afterId, take, CancellationToken.None), Is.Empty));
        return (capture.Commands, capture.Parameters);
    }

    /// <summary>Runs <paramref name="query"/> on the real repository, registered for SQL Server, and captures what it sends.</summary>
    private static async Task<CapturedCommands> CaptureAsync(Func<IWebhookEndpointRepository, Task> query)
    {
        var capture = new CapturedCommands();
        using var temp = new TempFolder();
        await using var services = OfflineSqlServer.BuildServices(temp, capture);
        await using var scope = services.CreateAsyncScope();
        Assert.That(scope.ServiceProvider.GetRequiredService<WebhooksDbContext>(), Is.InstanceOf<SqlServerWebhooksDbContext>());

        await query(scope.ServiceProvider.Endpoints());
        return capture;
    }

    private static void AssertLookupSql(string sql)
    {
        var normalized = Normalized(sql);
        var where = normalized[(normalized.IndexOf(" WHERE ", StringComparison.Ordinal) + 1)..].Replace("(", string.Empty, StringComparison.Ordinal).Replace(")", string.Empty, StringComparison.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(normalized, Does.Match(@"SELECT TOP\((1|@\w+)\) "));
            Assert.That(normalized, Does.Contain("FROM [webhook_endpoints] AS [w] WHERE"));
            Assert.That(where, Does.Match(@"^WHERE \[w\]\.\[id\] = @\w+ AND \[w\]\.\[org_id\] = @\w+ AND \[w\]\.\[deleted_at\] IS NULL;?$"));
            Assert.That(normalized, Does.Contain("[w].[url]").And.Contain("[w].[events]").And.Contain("[w].[description]"));
        });
    }

    private static string Normalized(string sql) => Regex.Replace(sql, @"\s+", " ");
}
