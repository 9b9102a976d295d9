using Microsoft.Extensions.Logging.Abstractions;
using Webhooks.Infrastructure.Persistence.Sqlite;

namespace Webhooks.Infrastructure.Tests.Persistence.Sqlite;

/// <summary>
/// The background checkpointer on a real SQLite file in WAL mode: a passive pass copies the WAL
/// into the database; a WAL longer than the limit is restarted, under the write path.
/// </summary>
[TestFixture]
public sealed class SqliteCheckpointerTests : TempFolderTests
{
    private string _connectionString = null!;
    private SqliteWritePath _writePath = null!;

    [SetUp]
    public void SetUp()
    {
        _connectionString = $"Data Source={Path.Combine(Temp.Path, "ckpt.db")}";
        _writePath = new SqliteWritePath(Settings);
    }

    private DatabaseSettings Settings => new(DatabaseProvider.Sqlite, _connectionString);

    [Test]
    public async Task ShortWal_IsCopiedPassively_AndNotRestarted()
    {
        await using var writer = await OpenWriterAsync();
        await CommitAsync(writer, transactions: 20);
        var checkpointer = Checkpointer(restartAfterFrames: 1000);

        var result = await checkpointer.CheckpointAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.WalFrames, Is.GreaterThanOrEqualTo(20), "one frame at least per commit");
            Assert.That(result.CheckpointedFrames, Is.EqualTo(result.WalFrames), "nothing held it back");
            Assert.That(result.Restarted, Is.False);
            Assert.That(result.Busy, Is.False);
        });
    }

    [Test]
    public async Task LongWal_IsRestarted_UnderTheWritePath_AndTheNextCommitsReuseItFromTheStart()
    {
        await using var writer = await OpenWriterAsync();
        await CommitAsync(writer, transactions: 50);
        var walBytes = new FileInfo(Path.Combine(Temp.Path, "ckpt.db-wal")).Length;
        var checkpointer = Checkpointer(restartAfterFrames: 10);

        // While a writer of this process holds the write path, the restart waits for it.
        var pass = await _writePath.ExclusiveAsync(async _ =>
        {
            var started = checkpointer.CheckpointAsync(CancellationToken.None);
            while (_writePath.Waiting == 0 && !started.IsCompleted)
            {
                await Task.Yield();
            }

            Assert.That(started.IsCompleted, Is.False, "the restarting pass queues on the write path");
            return started;
        }, CancellationToken.None);

        var result = await pass;
        await CommitAsync(writer, transactions: 5);

        Assert.Multiple(() =>
        {
            Assert.That(result.Restarted, Is.True);
            Assert.That(result.Busy, Is.False);
            Assert.That(result.CheckpointedFrames, Is.EqualTo(result.WalFrames));
            Assert.That(new FileInfo(Path.Combine(Temp.Path, "ckpt.db-wal")).Length, Is.EqualTo(walBytes),
                "the next commits overwrite the WAL from its start instead of appending");
            Assert.That(Count(writer), Is.EqualTo(55L), "nothing lost");
        });
    }

    private SqliteCheckpointer Checkpointer(int restartAfterFrames) =>
        new(Settings, _writePath, NullLogger<SqliteCheckpointer>.Instance)
        {
            RestartAfterFrames = restartAfterFrames,
        };

    private async Task<SqliteConnection> OpenWriterAsync()
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var setup = connection.CreateCommand();
        setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);";
        await setup.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task CommitAsync(SqliteConnection connection, int transactions)
    {
        for (var i = 0; i < transactions; i++)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO t (v) VALUES ($v);";
            insert.Parameters.AddWithValue("$v", new string('x', 500));
            await insert.ExecuteNonQueryAsync();
        }
    }

    private static long Count(SqliteConnection connection)
    {
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM t;";
        return (long)count.ExecuteScalar()!;
    }
}
