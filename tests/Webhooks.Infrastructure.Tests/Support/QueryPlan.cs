using System.Data.Common;

namespace Webhooks.Infrastructure.Tests.Support;

/// <summary>SQLite's plan for a command about to run: <c>EXPLAIN QUERY PLAN</c> of its text, with its arguments, on its connection and in its transaction.</summary>
public static class QueryPlan
{
    /// <summary>The plan's lines (the detail column), in SQLite's order.</summary>
    public static async Task<List<string>> ExplainAsync(DbCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        await using var explain = command.Connection!.CreateCommand();
        explain.Transaction = command.Transaction;
        explain.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        foreach (SqliteParameter parameter in command.Parameters)
        {
            explain.Parameters.Add(new SqliteParameter(parameter.ParameterName, parameter.Value));
        }

        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            plan.Add(reader.GetString(reader.FieldCount - 1));
        }

        return plan;
    }
}
