using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.SqlServer.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>Tells a database that cannot serve right now (unreachable, locked, busy) from other failures.</summary>
public static class DatabaseFaults
{
    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_PROTOCOL
    private static readonly int[] SqliteUnavailableCodes = [5, 6, 10, 14, 15];

    public static bool IsUnavailable(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case SqliteException sqlite when SqliteUnavailableCodes.Contains(sqlite.SqliteErrorCode):
                case RetryLimitExceededException:
                case TimeoutException:
#pragma warning disable EF1001 // The provider's own list of transient SQL Server errors.
                case SqlException sqlServer when SqlServerTransientExceptionDetector.ShouldRetryOn(sqlServer)
                    || sqlServer.Number is 4060 or 18456 or -2 or 53 or 2
                    || sqlServer.Class >= 20 // fatal: the connection could not be made or was broken
                    || sqlServer.InnerException is System.Net.Sockets.SocketException:
#pragma warning restore EF1001
                case NpgsqlException postgres when IsUnavailable(postgres):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// PostgreSQL: what Npgsql calls transient (a broken or refused connection, a timeout, a
    /// serialization failure, too many connections), a connection exception (SQLSTATE class 08), an
    /// operator's or a crash's shutdown and a server still starting (57P01-57P03), a read-only
    /// transaction (25006: a standby).
    /// </summary>
    private static bool IsUnavailable(NpgsqlException exception) =>
        exception.IsTransient
        || exception is PostgresException postgres
            && (postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState is "57P01" or "57P02" or "57P03" or "25006");
}
