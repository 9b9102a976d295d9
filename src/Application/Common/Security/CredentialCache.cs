using System.Collections.Concurrent;

namespace Webhooks.Application.Common.Security;

/// <summary>
/// Callers of recently verified credentials (API keys, client id + secret), so that the steady state
/// authenticates without a database round trip. Keyed by the credential's SHA-256 hash (never the raw
/// credential), bounded in size, and each entry lives <see cref="TimeToLive"/>: that is also how long
/// a revoked key or a suspended client can keep its old access (<c>Authentication:CacheSeconds</c>,
/// default 5; 0 turns the cache off). Only successful verifications are kept.
/// </summary>
public sealed class CredentialCache
{
    /// <summary>The default <see cref="TimeToLive"/>, in seconds.</summary>
    public const int DefaultSeconds = 5;

    /// <summary>The default bound on the number of cached credentials.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _capacity;

    public CredentialCache(TimeProvider time, TimeSpan timeToLive, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeToLive, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        TimeToLive = timeToLive;
        _capacity = capacity;
    }

    public TimeSpan TimeToLive { get; }

    public bool Enabled => TimeToLive > TimeSpan.Zero;

    /// <summary>How many entries are held (expired ones included until they are swept).</summary>
    public int Count => _entries.Count;

    /// <summary>The keys held, for tests that prove no raw credential is kept.</summary>
    public IReadOnlyCollection<string> Keys => _entries.Keys.ToList();

    public bool TryGet(string key, out Caller caller)
    {
        caller = null!;
        if (!Enabled || !_entries.TryGetValue(key, out var entry))
        {
            return false;
        }

        if (_time.GetUtcNow() >= entry.ExpiresAt)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            return false;
        }

        caller = entry.Caller;
        return true;
    }

    public void Set(string key, Caller caller)
    {
        if (!Enabled)
        {
            return;
        }

        var now = _time.GetUtcNow();
        if (_entries.Count >= _capacity && !_entries.ContainsKey(key))
        {
            foreach (var (staleKey, stale) in _entries)
            {
                if (now >= stale.ExpiresAt)
                {
                    _entries.TryRemove(staleKey, out _);
                }
            }

            if (_entries.Count >= _capacity)
            {
                // Full of live entries (many distinct credentials at once): start over rather than grow.
                _entries.Clear();
            }
        }

        _entries[key] = new Entry(caller, now + TimeToLive);
    }

    private sealed record Entry(Caller Caller, DateTimeOffset ExpiresAt);
}
