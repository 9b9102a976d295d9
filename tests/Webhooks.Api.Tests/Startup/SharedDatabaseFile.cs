namespace Webhooks.Api.Tests.Startup;

/// <summary>
/// A SQLite file that outlives the services started on it one after the other (each <see cref="Support.ApiFactory"/>
/// deletes only its own database): pass <see cref="Settings"/> to each; the file goes when this is disposed.
/// </summary>
public sealed class SharedDatabaseFile : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "webhooks-api-tests", $"{Guid.NewGuid():N}.db");

    /// <summary>The settings that put a service on this file.</summary>
    public Dictionary<string, string?> Settings => new(StringComparer.Ordinal) { ["ConnectionStrings:Webhooks"] = $"Data Source={Path}" };

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(Path + suffix);
        }
    }
}
