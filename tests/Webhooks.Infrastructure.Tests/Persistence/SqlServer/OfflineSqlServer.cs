using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Webhooks.Infrastructure.Tests.Persistence.SqlServer;

/// <summary>
/// The application registered for SQL Server with a connection that never opens: every command is
/// captured by <paramref name="capture"/> and answered with no rows, so the SQL the real code would
/// send is seen offline.
/// </summary>
internal static class OfflineSqlServer
{
    public static ServiceProvider BuildServices(TempFolder temp, CapturedCommands capture, Action<IServiceCollection>? configure = null) =>
        TestData.BuildServices(
            temp.Path,
            new Dictionary<string, string?>
            {
                ["Database:Provider"] = "SqlServer",
                ["ConnectionStrings:Webhooks"] = TestData.DummySqlServerConnectionString,
            },
            services =>
            {
                services.AddSingleton(provider => new DbContextOptionsBuilder<SqlServerWebhooksDbContext>()
                    .UseSqlServer(TestData.DummySqlServerConnectionString, PersistenceSetup.SqlServerOptions)
                    .AddInterceptors(new NoConnection(), capture)
                    .Options);
                configure?.Invoke(services);
            });
}

/// <summary>Keeps the connection from opening, so that nothing reaches the network.</summary>
internal sealed class NoConnection : DbConnectionInterceptor
{
    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    public override ValueTask<InterceptionResult> ConnectionOpeningAsync(
        DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(InterceptionResult.Suppress());

    public override InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    public override ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        ValueTask.FromResult(InterceptionResult.Suppress());
}

/// <summary>
/// Records each query's SQL and answers it with no rows instead of sending it. A raw SQL query reads
/// its columns by name: <paramref name="columns"/> names them.
/// </summary>
internal sealed class CapturedCommands(params string[] columns) : DbCommandInterceptor
{
    public List<string> Commands { get; } = [];

    public List<DbParameter> Parameters { get; } = [];

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Commands.Add(command.CommandText);
        Parameters.AddRange(command.Parameters.Cast<DbParameter>());
        return InterceptionResult<DbDataReader>.SuppressWithResult(EmptyReader(columns));
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Commands.Add(command.CommandText);
        Parameters.AddRange(command.Parameters.Cast<DbParameter>());
        return ValueTask.FromResult(InterceptionResult<DbDataReader>.SuppressWithResult(EmptyReader(columns)));
    }

    /// <summary>
    /// No rows, but enough columns: with retries on failure (<c>EnableRetryOnFailure</c>) EF Core
    /// buffers each result and first checks that the reader has at least the columns it projects.
    /// </summary>
    private static DataTableReader EmptyReader(string[] columns)
    {
        var table = new DataTable();
        foreach (var column in columns)
        {
            table.Columns.Add(column, typeof(object));
        }

        for (var i = 0; i < 64; i++)
        {
            table.Columns.Add("c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), typeof(object));
        }

        return table.CreateDataReader();
    }
}
