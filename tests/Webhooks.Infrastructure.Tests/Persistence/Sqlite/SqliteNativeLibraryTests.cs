using System.Runtime.InteropServices;
using SQLitePCL;

namespace Webhooks.Infrastructure.Tests.Persistence.Sqlite;

/// <summary>
/// The native SQLite library the service ships (docs/decisions/0009-sqlite-native-library.md).
/// SQLite sleeps inside a statement when a reader meets a writer rewriting the WAL index (after
/// five quick retries) and in its busy handler; built without usleep/nanosleep, each such sleep
/// lasts a whole second, which is what made the write path's p99 near one second.
/// </summary>
[TestFixture]
public sealed class SqliteNativeLibraryTests
{
    [OneTimeSetUp]
    public void LoadTheLibrary()
    {
        // Opening a connection initializes SQLitePCLRaw's provider, as the service does.
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
    }

    [Test]
    public void Sleep_IsAskedOfTheOperatingSystemInMilliseconds_NotRoundedUpToWholeSeconds()
    {
        // sqlite3_sleep returns the time SQLite actually asked the OS for: 1000 when it was built
        // without usleep/nanosleep (SQLitePCLRaw 2.0.6's e_sqlite3), 1 when it was built with them.
        Assert.That(Sqlite3Sleep(1), Is.EqualTo(1));
    }

    [Test]
    public void Library_IsSqlite3_49OrNewer()
    {
        // SQLitePCLRaw 2.1.13's e_sqlite3 (EF Core 10.0.15's own); 2.0.6 (EF Core 6.0.7's) brought SQLite 3.35.5.
        Assert.That(raw.sqlite3_libversion_number(), Is.GreaterThanOrEqualTo(3_049_000));
        Assert.That(raw.sqlite3_libversion().utf8_to_string(), Does.StartWith("3."));
    }

    // SQLitePCLRaw does not wrap sqlite3_sleep; the same native library is found the same way.
    // (DllImport, not LibraryImport: an int in and out needs no marshalling, and no unsafe code.)
#pragma warning disable SYSLIB1054
    [DllImport("e_sqlite3", EntryPoint = "sqlite3_sleep")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.AssemblyDirectory)]
    private static extern int Sqlite3Sleep(int milliseconds);
#pragma warning restore SYSLIB1054
}
