using System.Globalization;
using Microsoft.Extensions.Configuration;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Infrastructure.Deliveries;

/// <summary>
/// The delivery worker's settings (section <c>Delivery</c>), read and checked once at start: a bad
/// value stops the process with a message that names the setting.
/// </summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>Whether this process runs a delivery worker (<c>Delivery:Worker:Enabled</c>, default true).</summary>
    public bool WorkerEnabled { get; private init; } = true;

    /// <summary>How long a claim holds a delivery (<c>Delivery:LeaseSeconds</c>, default 60); must outlast an attempt.</summary>
    public TimeSpan Lease { get; private init; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts in flight at once in this process (<c>Delivery:MaxConcurrency</c>, default 32).</summary>
    public int MaxConcurrency { get; private init; } = 32;

    /// <summary>Attempts in flight at once to one receiver in this process (<c>Delivery:MaxPerEndpoint</c>, default 4).</summary>
    public int MaxPerEndpoint { get; private init; } = 4;

    /// <summary>How often the worker looks for due deliveries when nothing woke it (<c>Delivery:PollIntervalMilliseconds</c>, default 1000).</summary>
    public TimeSpan PollInterval { get; private init; } = TimeSpan.FromSeconds(1);

    /// <summary>At most this many attempt results are written in one transaction (<c>Delivery:RecordBatchSize</c>, default 100).</summary>
    public int RecordBatchSize { get; private init; } = 100;

    /// <summary>
    /// Final deliveries and events older than this are deleted (<c>Delivery:RetentionDays</c>, default 30,
    /// 1 to 3650; docs/decisions/0016-retention.md).
    /// </summary>
    public TimeSpan Retention { get; private init; } = TimeSpan.FromDays(30);

    /// <summary>How often the retention job runs in a worker process (<c>Delivery:Retention:IntervalSeconds</c>, default 600).</summary>
    public TimeSpan RetentionInterval { get; private init; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many rows are deleted in one transaction of the retention job (<c>Delivery:Retention:BatchSize</c>, default 1000).</summary>
    public int RetentionBatchSize { get; private init; } = 1000;

    /// <summary><c>Delivery:RetryScheduleSeconds</c> and <c>Delivery:JitterPercent</c>.</summary>
    public RetrySchedule RetrySchedule { get; private init; } = RetrySchedule.Default;

    /// <summary>
    /// The service deactivates an endpoint whose attempts have all failed for this long
    /// (<c>Delivery:DisableAfterHours</c>, default 120, 1 to 8760).
    /// </summary>
    public int DisableAfterHours { get; private init; } = DefaultDisableAfterHours;

    public const int DefaultDisableAfterHours = 120;

    public const int MaxDisableAfterHours = 8760;

    public static DeliveryOptions Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        // The attempt time-out is the sender's setting (SenderOptions validates it); read here, with the
        // sender's default and range, only for the lease rule.
        var timeoutSeconds = Number(section, nameof(Sending.SenderOptions.TimeoutSeconds), Sending.SenderOptions.DefaultTimeoutSeconds, 1, Sending.SenderOptions.MaxTimeoutSeconds);
        var options = new DeliveryOptions
        {
            WorkerEnabled = Flag(section, "Worker:Enabled", true),
            Lease = TimeSpan.FromSeconds(Number(section, "LeaseSeconds", 60, 5, 3600)),
            MaxConcurrency = Number(section, "MaxConcurrency", 32, 1, 1024),
            MaxPerEndpoint = Number(section, "MaxPerEndpoint", 4, 1, Sending.SenderSetup.MaxConnectionsPerServer),
            PollInterval = TimeSpan.FromMilliseconds(Number(section, "PollIntervalMilliseconds", 1000, 10, 600_000)),
            RecordBatchSize = Number(section, "RecordBatchSize", 100, 1, 1000),
            RetrySchedule = Schedule(section),
            Retention = TimeSpan.FromDays(Number(section, "RetentionDays", 30, 1, 3650)),
            RetentionInterval = TimeSpan.FromSeconds(Number(section, "Retention:IntervalSeconds", 600, 10, 86_400)),
            RetentionBatchSize = Number(section, "Retention:BatchSize", 1000, 1, 10_000),
            DisableAfterHours = Number(section, "DisableAfterHours", DefaultDisableAfterHours, 1, MaxDisableAfterHours),
        };
        if (options.Lease < TimeSpan.FromSeconds(timeoutSeconds + 5))
        {
            throw new InvalidOperationException(
                $"Delivery:LeaseSeconds ({options.Lease.TotalSeconds}) must be at least Delivery:TimeoutSeconds ({timeoutSeconds}) + 5, so that a claim outlasts the attempt it covers.");
        }

        return options;
    }

    private static RetrySchedule Schedule(IConfigurationSection section)
    {
        var waits = section.GetSection("RetryScheduleSeconds");
        int[] seconds = waits.Exists()
            ? [.. waits.GetChildren().Select(child => Parse(child.Path, child.Value, 1, int.MaxValue))]
            : [.. RetrySchedule.DefaultWaitSeconds];
        var schedule = RetrySchedule.Create(seconds, Number(section, "JitterPercent", RetrySchedule.DefaultJitterPercent, 0, 100));
        return schedule.IsValid
            ? schedule.Value!
            : throw new InvalidOperationException("Delivery:RetryScheduleSeconds / Delivery:JitterPercent: " + string.Join("; ", schedule.Errors.Select(e => $"{e.Key} {e.Value}")));
    }

    private static int Number(IConfigurationSection section, string key, int fallback, int min, int max)
    {
        var text = section[key];
        return string.IsNullOrWhiteSpace(text) ? fallback : Parse($"{section.Path}:{key}", text, min, max);
    }

    private static int Parse(string path, string? text, int min, int max) =>
        int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidOperationException($"{path} must be a whole number from {min} to {max}, not '{text}'.");

    private static bool Flag(IConfigurationSection section, string key, bool fallback)
    {
        var text = section[key];
        return string.IsNullOrWhiteSpace(text)
            ? fallback
            : bool.TryParse(text.Trim(), out var value) ? value : throw new InvalidOperationException($"{section.Path}:{key} must be true or false, not '{text}'.");
    }
}
