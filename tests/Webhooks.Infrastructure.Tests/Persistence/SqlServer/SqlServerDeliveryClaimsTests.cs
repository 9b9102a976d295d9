using System.Data;
using System.Text.RegularExpressions;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Webhooks.Infrastructure.Deliveries;
using Webhooks.Infrastructure.Persistence.WritePath;

namespace Webhooks.Infrastructure.Tests.Persistence.SqlServer;

/// <summary>
/// The claim statement <see cref="SqlServerDeliveryClaims"/> sends, captured offline through the
/// application's registrations for SQL Server (docs/decisions/0012-delivery-queue.md): its locking
/// hints, predicates, order and output, its parameters' types, and that SQL Server's own parser
/// (ScriptDom) reads it without an error.
/// </summary>
[TestFixture]
public sealed class SqlServerDeliveryClaimsTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task Claim_IsOneUpdateOfTheOldestDueRows_ReadPastOtherClaimers()
    {
        var (sql, parameters) = await CaptureClaimAsync(limit: 16, busy: []);

        Assert.Multiple(() =>
        {
            Assert.That(sql, Does.StartWith("WITH [due] AS (SELECT TOP (@p3) "));
            Assert.That(sql, Does.Contain("FROM [deliveries] WITH (UPDLOCK, READPAST, ROWLOCK) "));
            Assert.That(sql, Does.Contain("WHERE status = 'pending' AND [next_attempt_at] <= @p2 AND ([lease_expires_at] IS NULL OR [lease_expires_at] <= @p2)"));
            Assert.That(sql, Does.Contain(" ORDER BY [next_attempt_at]) "));
            Assert.That(sql, Does.Contain("UPDATE [due] SET [lease_owner] = @p0, [lease_expires_at] = @p1 "));
            Assert.That(sql, Does.EndWith("OUTPUT inserted.[id] AS [Id], inserted.[endpoint_id] AS [EndpointId], inserted.[client_id] AS [ClientId];"));
            Assert.That(sql, Does.Not.Contain("NOT IN"), "no receiver is busy");
            Assert.That(parameters.Select(p => (p.ParameterName, p.SqlDbType, p.Value)), Is.EqualTo(new (string, SqlDbType, object)[]
            {
                ("p0", SqlDbType.NVarChar, "worker-1"),
                ("p1", SqlDbType.DateTimeOffset, Now.AddSeconds(60)),
                ("p2", SqlDbType.DateTimeOffset, Now),
                ("p3", SqlDbType.Int, 16),
            }));
        });
        AssertParses(sql);
    }

    [Test]
    public async Task Claim_SkipsBusyReceivers_ByEndpointAndByClient_WithUniqueidentifierParameters()
    {
        Guid[] busy = [Guid.CreateVersion7(), Guid.CreateVersion7()];

        var (sql, parameters) = await CaptureClaimAsync(limit: 3, busy);

        Assert.Multiple(() =>
        {
            Assert.That(sql, Does.Contain(
                "AND ([endpoint_id] IS NULL OR [endpoint_id] NOT IN (@p4, @p5)) AND ([client_id] IS NULL OR [client_id] NOT IN (@p4, @p5)) ORDER BY [next_attempt_at])"));
            Assert.That(parameters.Skip(4).Select(p => (p.ParameterName, p.SqlDbType, p.Value)), Is.EqualTo(new (string, SqlDbType, object)[]
            {
                ("p4", SqlDbType.UniqueIdentifier, busy[0]),
                ("p5", SqlDbType.UniqueIdentifier, busy[1]),
            }));
        });
        AssertParses(sql);
    }

    [Test]
    public async Task Claim_ParsesAsAnUpdateOfACte_WithTheLockingHints_AndAnOutputClause()
    {
        var (sql, _) = await CaptureClaimAsync(limit: 2, busy: [Guid.CreateVersion7()]);

        var update = AssertParses(sql).Batches.Single().Statements.Single() as UpdateStatement;

        Assert.That(update, Is.Not.Null, sql);
        var cte = update!.WithCtesAndXmlNamespaces.CommonTableExpressions.Single();
        var select = (QuerySpecification)cte.QueryExpression;
        var from = (NamedTableReference)select.FromClause.TableReferences.Single();
        Assert.Multiple(() =>
        {
            Assert.That(cte.ExpressionName.Value, Is.EqualTo("due"));
            Assert.That(((NamedTableReference)update.UpdateSpecification.Target).SchemaObject.BaseIdentifier.Value, Is.EqualTo("due"));
            Assert.That(from.SchemaObject.BaseIdentifier.Value, Is.EqualTo("deliveries"));
            Assert.That(from.TableHints.Select(h => h.HintKind), Is.EqualTo(new[] { TableHintKind.UpdLock, TableHintKind.ReadPast, TableHintKind.Rowlock }));
            Assert.That(select.TopRowFilter.Expression, Is.InstanceOf<ParenthesisExpression>().Or.InstanceOf<VariableReference>());
            Assert.That(select.OrderByClause.OrderByElements.Select(o => ((ColumnReferenceExpression)o.Expression).MultiPartIdentifier.Identifiers.Last().Value), Is.EqualTo(new[] { "next_attempt_at" }));
            Assert.That(update.UpdateSpecification.OutputClause.SelectColumns, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public async Task Claim_FiltersAsTheFilteredDueIndexDoes_AndRangesOverItsKey_SoItCanSeekThatIndex()
    {
        IIndex? due = null;
        var (sql, _) = await CaptureAsync(async (claims, db) =>
        {
            due = db.Model.FindEntityType(typeof(Domain.Deliveries.Delivery))!.GetIndexes().Single(i => i.GetDatabaseName() == "ix_deliveries_due");
            await claims.ClaimAsync(db, "worker-1", Now, TimeSpan.FromSeconds(60), 8, [Guid.CreateVersion7()], CancellationToken.None);
        });

        var update = (UpdateStatement)AssertParses(sql).Batches.Single().Statements.Single();
        var select = (QuerySpecification)update.WithCtesAndXmlNamespaces.CommonTableExpressions.Single().QueryExpression;
        var conjuncts = Conjuncts(select.WhereClause.SearchCondition).ToList();
        var key = due!.Properties[0].GetColumnName(); // the leading key; the receiver's columns follow it
        Assert.Multiple(() =>
        {
            Assert.That(due.GetFilter(), Is.Not.Null, "precondition: the due index is filtered");
            Assert.That(Conjuncts(Parse(due.GetFilter()!)).Select(Text), Is.SubsetOf(conjuncts.Select(Text)), "each AND term of the index's filter is one of the claim's: its rows are the index's rows");
            Assert.That(
                conjuncts.OfType<BooleanComparisonExpression>().Select(c => (Column(c.FirstExpression), c.ComparisonType)),
                Has.Member((key, BooleanComparisonType.LessThanOrEqualTo)),
                "a range over the index's key: a seek, in the order the claim wants");
            Assert.That(select.OrderByClause.OrderByElements.Select(o => Column(o.Expression)), Is.EqualTo(new[] { key }));
            Assert.That(due.Properties.Skip(1).Select(p => p.GetColumnName()), Is.EqualTo(new[] { "endpoint_id", "client_id" }), "the busy receivers' terms are read from the index");
            Assert.That(sql, Does.Contain("[endpoint_id] NOT IN (").And.Contain("[client_id] NOT IN ("));
        });
    }

    /// <summary>The terms of a condition joined by AND (parentheses removed).</summary>
    private static IEnumerable<BooleanExpression> Conjuncts(BooleanExpression condition) => condition switch
    {
        BooleanParenthesisExpression parenthesis when parenthesis.Expression is BooleanBinaryExpression { BinaryExpressionType: BooleanBinaryExpressionType.And } => Conjuncts(parenthesis.Expression),
        BooleanBinaryExpression { BinaryExpressionType: BooleanBinaryExpressionType.And } and => Conjuncts(and.FirstExpression).Concat(Conjuncts(and.SecondExpression)),
        _ => [condition],
    };

    private static BooleanExpression Parse(string condition)
    {
        var parsed = new TSql160Parser(initialQuotedIdentifiers: true).ParseBooleanExpression(new StringReader(condition), out var errors);
        Assert.That(errors, Is.Empty, condition);
        return parsed;
    }

    /// <summary>A fragment's tokens without white space, brackets or case: <c>[status] = 'pending'</c> reads as <c>status='pending'</c>.</summary>
    private static string Text(TSqlFragment fragment) => string.Concat(
        Enumerable.Range(fragment.FirstTokenIndex, fragment.LastTokenIndex - fragment.FirstTokenIndex + 1)
            .Select(i => fragment.ScriptTokenStream[i])
            .Where(t => t.TokenType != TSqlTokenType.WhiteSpace)
            .Select(t => t.TokenType == TSqlTokenType.QuotedIdentifier ? t.Text.Trim('[', ']') : t.Text)).ToLowerInvariant();

    private static string? Column(ScalarExpression expression) =>
        (expression as ColumnReferenceExpression)?.MultiPartIdentifier.Identifiers.Last().Value;

    [Test]
    public async Task ClaimOne_IsOneUpdateOfThatRowByKey_UnlessALiveLeaseHoldsIt_WithAnOutputClause()
    {
        var id = Guid.CreateVersion7();

        var (sql, parameters) = await CaptureAsync((claims, db) => claims.ClaimOneAsync(db, "manual:1", id, Now, TimeSpan.FromSeconds(60), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(sql, Is.EqualTo(
                "UPDATE [deliveries] WITH (ROWLOCK) SET [lease_owner] = @p0, [lease_expires_at] = @p1 "
                + "OUTPUT inserted.[id] AS [Id], inserted.[endpoint_id] AS [EndpointId], inserted.[client_id] AS [ClientId] "
                + "WHERE [id] = @p2 AND ([lease_expires_at] IS NULL OR [lease_expires_at] <= @p3);"));
            Assert.That(parameters.Select(p => (p.ParameterName, p.SqlDbType, p.Value)), Is.EqualTo(new (string, SqlDbType, object)[]
            {
                ("p0", SqlDbType.NVarChar, "manual:1"),
                ("p1", SqlDbType.DateTimeOffset, Now.AddSeconds(60)),
                ("p2", SqlDbType.UniqueIdentifier, id),
                ("p3", SqlDbType.DateTimeOffset, Now),
            }));
        });
        var update = AssertParses(sql).Batches.Single().Statements.Single() as UpdateStatement;
        Assert.That(update, Is.Not.Null, sql);
        var target = (NamedTableReference)update!.UpdateSpecification.Target;
        Assert.Multiple(() =>
        {
            Assert.That(target.SchemaObject.BaseIdentifier.Value, Is.EqualTo("deliveries"));
            Assert.That(target.TableHints.Select(h => h.HintKind), Is.EqualTo(new[] { TableHintKind.Rowlock }));
            Assert.That(update.UpdateSpecification.OutputClause.SelectColumns, Has.Count.EqualTo(3));
            Assert.That(update.UpdateSpecification.WhereClause, Is.Not.Null);
        });
    }

    /// <summary>Parses <paramref name="sql"/> with SQL Server's own parser and asserts it reads without errors.</summary>
    private static TSqlScript AssertParses(string sql)
    {
        var fragment = new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);

        Assert.That(errors.Select(e => $"{e.Line}:{e.Column} {e.Message}"), Is.Empty, sql);
        return (TSqlScript)fragment;
    }

    /// <summary>
    /// Runs <see cref="DeliveryClaims.ClaimAsync"/> of the application's registrations for SQL Server
    /// and captures the command it sends. The write path is replaced by one that runs the work without
    /// a transaction: an offline connection cannot begin one, and the statement is the same.
    /// </summary>
    private static async Task<(string Sql, List<SqlParameter> Parameters)> CaptureClaimAsync(int limit, Guid[] busy)
    {
        var (sql, parameters) = await CaptureAsync(async (claims, db) =>
        {
            var claimed = await claims.ClaimAsync(db, "worker-1", Now, TimeSpan.FromSeconds(60), limit, busy, CancellationToken.None);
            Assert.That(claimed, Is.Empty);
        });
        return (sql, parameters);
    }

    /// <summary>Runs <paramref name="claim"/> on the SQL Server registrations' claims and captures the one command it sends.</summary>
    private static async Task<(string Sql, List<SqlParameter> Parameters)> CaptureAsync(Func<DeliveryClaims, WebhooksDbContext, Task> claim)
    {
        var capture = new CapturedCommands(nameof(ClaimedDelivery.Id), nameof(ClaimedDelivery.EndpointId), nameof(ClaimedDelivery.ClientId));
        using var temp = new TempFolder();
        await using var services = OfflineSqlServer.BuildServices(temp, capture, s => s.AddSingleton<IDatabaseWritePath, NoTransactionWritePath>());
        await using var scope = services.CreateAsyncScope();
        var claims = services.GetRequiredService<DeliveryClaims>();
        Assert.That(claims, Is.InstanceOf<SqlServerDeliveryClaims>());

        await claim(claims, scope.ServiceProvider.GetRequiredService<WebhooksDbContext>());

        Assert.That(capture.Commands, Has.Count.EqualTo(1));
        return (Regex.Replace(capture.Commands[0], @"\s+", " ").Trim(), [.. capture.Parameters.Cast<SqlParameter>()]);
    }

    /// <summary>Runs the work on the context as given.</summary>
    private sealed class NoTransactionWritePath : IDatabaseWritePath
    {
        public Task<T> WriteAsync<T>(WebhooksDbContext db, Func<WebhooksDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
            work(db, cancellationToken);

        public Task<int> SaveChangesAsync(WebhooksDbContext db, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<T> ExclusiveAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> CanWriteAsync(TimeSpan wait, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
