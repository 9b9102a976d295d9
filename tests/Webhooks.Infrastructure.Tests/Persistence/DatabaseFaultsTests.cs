using Microsoft.EntityFrameworkCore.Storage;

namespace Webhooks.Infrastructure.Tests.Persistence;

/// <summary>
/// <see cref="DatabaseFaults.IsUnavailable"/>: which failures mean "the database cannot serve right
/// now" (answered 503) and which do not. The SQLite failures are produced for real.
/// </summary>
[TestFixture]
public sealed class DatabaseFaultsTests : TempFolderTests
{
    public enum Fault
    {
        SqliteBusy,
        SqliteLocked,
        SqliteCantOpen,
        SqliteUniqueConstraint,
        Timeout,
        RetryLimitExceeded,
        InvalidOperation,
        NullReference,
    }

    /// <summary>How the fault reaches the classifier: as thrown, inside EF Core's save error, or several levels deep.</summary>
    public enum Wrapping
    {
        AsThrown,
        InADbUpdateException,
        NestedSeveralLevelsDeep,
    }

    /// <summary>Each fault with whether it means "cannot serve right now", in each wrapping: the classifier looks at inner exceptions.</summary>
    public static IEnumerable<TestCaseData> Faults() =>
        from fault in new[]
        {
            (Fault.SqliteBusy, true),
            (Fault.SqliteLocked, true),
            (Fault.SqliteCantOpen, true),
            (Fault.Timeout, true),
            (Fault.RetryLimitExceeded, true),
            (Fault.SqliteUniqueConstraint, false),
            (Fault.InvalidOperation, false),
            (Fault.NullReference, false),
        }
        from wrapping in Enum.GetValues<Wrapping>()
        select new TestCaseData(fault.Item1, wrapping, fault.Item2);

    [TestCaseSource(nameof(Faults))]
    public void IsUnavailable_TellsWhetherTheDatabaseCannotServe(Fault fault, Wrapping wrapping, bool expected)
    {
        var produced = Produce(fault);
        var exception = wrapping switch
        {
            Wrapping.InADbUpdateException => new DbUpdateException("An error occurred while saving the entity changes.", produced),
            Wrapping.NestedSeveralLevelsDeep => new InvalidOperationException("outer", new DbUpdateException("middle", new AggregateException(produced))),
            _ => produced,
        };

        Assert.That(DatabaseFaults.IsUnavailable(exception), Is.EqualTo(expected));
    }

    [Test]
    public void IsUnavailable_WhenExceptionIsNull_IsFalse()
    {
        Assert.That(DatabaseFaults.IsUnavailable(null), Is.False);
    }

    [Test]
    public void Produce_WhenSqliteFaultsAreProducedForReal_HaveTheExpectedErrorCodes()
    {
        // The table above relies on these being the real SQLite failures it names.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(((SqliteException)Produce(Fault.SqliteBusy)).SqliteErrorCode, Is.EqualTo(5), "SQLITE_BUSY");
            Assert.That(((SqliteException)Produce(Fault.SqliteLocked)).SqliteErrorCode, Is.EqualTo(6), "SQLITE_LOCKED");
            Assert.That(((SqliteException)Produce(Fault.SqliteCantOpen)).SqliteErrorCode, Is.EqualTo(14), "SQLITE_CANTOPEN");
            Assert.That(((SqliteException)Produce(Fault.SqliteUniqueConstraint)).SqliteErrorCode, Is.EqualTo(19), "SQLITE_CONSTRAINT");
        }
    }

    [Test]
    public void IsUnavailable_WhenSqlServerRetriesAreExhausted_IsTrue()
    {
        // Offline: the SQL Server context's own execution strategy retries an operation that keeps
        // timing out, then gives up with RetryLimitExceededException.
        using var context = TestData.NewSqlServerContext();
        var attempts = 0;

        var exception = Assert.Throws<RetryLimitExceededException>(() => context.Database.CreateExecutionStrategy().Execute(() =>
        {
            attempts++;
            throw new TimeoutException("the server did not answer in time");
        }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(attempts, Is.EqualTo(4), "one attempt and three retries");
            Assert.That(exception!.InnerException, Is.InstanceOf<TimeoutException>());
            Assert.That(DatabaseFaults.IsUnavailable(exception), Is.True);
        }
    }

    private Exception Produce(Fault fault) => fault switch
    {
        Fault.SqliteBusy => SqliteBusy(),
        Fault.SqliteLocked => SqliteLocked(),
        Fault.SqliteCantOpen => SqliteCantOpen(),
        Fault.SqliteUniqueConstraint => SqliteUniqueConstraint(),
        Fault.Timeout => new TimeoutException("the server did not answer in time"),
        Fault.RetryLimitExceeded => new RetryLimitExceededException("retries exhausted", new TimeoutException()),
        Fault.InvalidOperation => new InvalidOperationException("a bug"),
        Fault.NullReference => RealNullReference(),
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };

    /// <summary>A write while another connection holds an exclusive transaction: SQLITE_BUSY after a one-second wait.</summary>
    private SqliteException SqliteBusy()
    {
        var file = Temp.File("busy.db");
        using var holder = SqliteFile.Open(file);
        SqliteFile.Execute(holder, "CREATE TABLE t (x INTEGER);");
        SqliteFile.Execute(holder, "BEGIN EXCLUSIVE;");
        using var writer = SqliteFile.Open(file, defaultTimeout: 1);
        return Assert.Throws<SqliteException>(() => SqliteFile.Execute(writer, "INSERT INTO t VALUES (1);"))!;
    }

    /// <summary>Dropping a table that a reader of the same connection is still reading: SQLITE_LOCKED.</summary>
    private SqliteException SqliteLocked()
    {
        using var connection = SqliteFile.Open(Temp.File("locked.db"), defaultTimeout: 1);
        SqliteFile.Execute(connection, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2);");
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT x FROM t;";
        using var reader = select.ExecuteReader();
        reader.Read();
        return Assert.Throws<SqliteException>(() => SqliteFile.Execute(connection, "DROP TABLE t;"))!;
    }

    /// <summary>Opening, without creating, a file in a folder that does not exist: SQLITE_CANTOPEN.</summary>
    private SqliteException SqliteCantOpen()
    {
        var file = Path.Combine(Temp.Path, "no-such-folder", "webhooks.db");
        return Assert.Throws<SqliteException>(() => SqliteFile.Open(file, mode: SqliteOpenMode.ReadWrite).Dispose())!;
    }

    private SqliteException SqliteUniqueConstraint()
    {
        using var connection = SqliteFile.Open(Temp.File("unique.db"));
        SqliteFile.Execute(connection, "CREATE TABLE t (x INTEGER PRIMARY KEY); INSERT INTO t VALUES (1);");
        return Assert.Throws<SqliteException>(() => SqliteFile.Execute(connection, "INSERT INTO t VALUES (1);"))!;
    }

    private static NullReferenceException RealNullReference()
    {
        string? missing = null;
        return Assert.Throws<NullReferenceException>(() => _ = missing!.Length)!;
    }
}
