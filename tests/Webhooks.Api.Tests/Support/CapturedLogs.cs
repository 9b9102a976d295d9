using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Webhooks.Api.Tests.Support;

/// <summary>
/// Every log entry the service writes, of every category and level (Trace up), kept in memory for
/// the test to search; the other providers keep their own filters.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>Adds this provider to the service, with every category at <see cref="LogLevel.Trace"/>.</summary>
    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton<ILoggerProvider>(this);
        services.Configure<LoggerFilterOptions>(options =>
        {
            options.MinLevel = LogLevel.Trace;
            options.Rules.Add(new LoggerFilterRule(typeof(CapturedLogs).FullName, null, LogLevel.Trace, null));
        });
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
        // Nothing to release.
    }

    public sealed record LogEntry(string Category, LogLevel Level, string Message, string Values, string? Exception)
    {
        /// <summary>Everything the entry carries: message, structured values and exception.</summary>
        public string AllText => $"{Category} {Message} {Values} {Exception}";

        public override string ToString() => $"{Level} {Category}: {Message}{(Exception is null ? string.Empty : Environment.NewLine + Exception)}";
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            // The structured values too, in case a message template leaves some of them out.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(v => $"{v.Key}={v.Value}"))
                : string.Empty;
            entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), values, exception?.ToString()));
        }
    }
}
