using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

// contention FILE MODE WRITES ROLE [PAUSE_MS] [HOLD_US]
//   PAUSE_MS: think time between two writes; HOLD_US: how long each transaction holds the write
//   lock after its INSERT (the service's EF Core save holds it a few hundred microseconds)
//   MODE driver: busy_timeout 0, Microsoft.Data.Sqlite retries SQLITE_BUSY itself
//   MODE busy:   PRAGMA busy_timeout=5000, SQLite's busy handler waits
// Prints one line: role, mode, driver version, writes, errors, latency p50/p99/max (ms), elapsed.
var file = args[0];
var mode = args[1];
var writes = int.Parse(args[2], CultureInfo.InvariantCulture);
var role = args[3];
var pause = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0;
var hold = TimeSpan.FromMicroseconds(args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 0);

using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
connection.Open();
connection.DefaultTimeout = 5;
var defaultBusyTimeout = Scalar(connection, "PRAGMA busy_timeout;");
Execute(connection, $"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={(mode == "busy" ? 5000 : 0)};");
Execute(connection, "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, role TEXT NOT NULL, v TEXT NOT NULL);");

// Both processes start writing at the same moment.
var start = DateTime.Parse(Environment.GetEnvironmentVariable("CONTENTION_START") ?? DateTime.UtcNow.ToString("O"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
while (DateTime.UtcNow < start)
{
    Thread.Sleep(1);
}

var latencies = new List<double>(writes);
var errors = 0;
var total = Stopwatch.StartNew();
for (var i = 0; i < writes; i++)
{
    var watch = Stopwatch.StartNew();
    try
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandTimeout = 5;
        insert.CommandText = "INSERT INTO t (role, v) VALUES ($role, $v);";
        insert.Parameters.AddWithValue("$role", role);
        insert.Parameters.AddWithValue("$v", new string('x', 200));
        insert.ExecuteNonQuery();
        for (var held = Stopwatch.StartNew(); held.Elapsed < hold;)
        {
            Thread.SpinWait(20);
        }

        transaction.Commit();
        latencies.Add(watch.Elapsed.TotalMilliseconds);
    }
    catch (SqliteException exception) when (exception.SqliteErrorCode == 5)
    {
        errors++;
    }

    if (pause > 0)
    {
        Thread.Sleep(pause);
    }
}

total.Stop();
latencies.Sort();
double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
var driver = typeof(SqliteConnection).Assembly.GetName().Version;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"role={role} mode={mode} driver={driver} default_busy_timeout={defaultBusyTimeout} writes={writes} pause={pause}ms hold={hold.TotalMicroseconds}us busy_errors={errors} p50={Percentile(0.50):F2}ms p99={Percentile(0.99):F2}ms max={latencies.LastOrDefault():F1}ms elapsed={total.Elapsed.TotalSeconds:F2}s"));

static void Execute(SqliteConnection connection, string sql)
{
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    command.ExecuteNonQuery();
}

static object? Scalar(SqliteConnection connection, string sql)
{
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    return command.ExecuteScalar();
}
