using System.Diagnostics.Metrics;
using Webhooks.Application.Deliveries;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Infrastructure.Metrics;

/// <summary>
/// The service's own instruments, on the meter <see cref="MeterName"/> (exported at <c>GET /metrics</c>):
/// events published by kind, attempts by outcome, how long attempts took, and the backlog
/// (<see cref="DeliveryBacklog"/>), read when scraped.
/// </summary>
public sealed class WebhooksMetrics : IPublishingMetrics
{
    public const string MeterName = "Webhooks";

    public const string EventsPublished = "webhooks.events.published";

    public const string DeliveryAttempts = "webhooks.delivery.attempts";

    public const string AttemptDuration = "webhooks.delivery.attempt.duration";

    public const string DeliveriesPending = "webhooks.deliveries.pending";

    public const string OldestPendingAge = "webhooks.deliveries.oldest_pending_age";

    public const string RetentionDeletedRows = "webhooks.retention.deleted";

    /// <summary>The tag of <see cref="EventsPublished"/>: <c>org</c> or <c>client</c>.</summary>
    public const string KindTag = "kind";

    /// <summary>The tag of <see cref="DeliveryAttempts"/> and <see cref="AttemptDuration"/>: see <see cref="OutcomeOf"/>.</summary>
    public const string OutcomeTag = "outcome";

    /// <summary>The tag of <see cref="RetentionDeletedRows"/>: <see cref="DeliveriesTable"/>, <see cref="EventsTable"/> or <see cref="IdempotencyKeysTable"/>.</summary>
    public const string TableTag = "table";

    public const string DeliveriesTable = "deliveries";

    public const string EventsTable = "events";

    public const string IdempotencyKeysTable = "idempotency_keys";

    /// <summary>Seconds: from a quick receiver to one at the longest time-out an operator may set.</summary>
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60];

    private readonly Counter<long> _published;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _retentionDeleted;

    public WebhooksMetrics(IMeterFactory meters, DeliveryBacklog backlog)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(backlog);
        var meter = meters.Create(MeterName);
        _published = meter.CreateCounter<long>(EventsPublished, "{event}", "Events published (kind: org or client).");
        _attempts = meter.CreateCounter<long>(DeliveryAttempts, "{attempt}", "Delivery attempts recorded, by outcome: succeeded, retry, failed, gone (410), ended (the delivery had already ended), manual_failed (a manual attempt that failed; the delivery is unchanged).");
        _duration = meter.CreateHistogram(
            AttemptDuration, "s", "How long delivery attempts took, until the receiver's answer or the error.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _retentionDeleted = meter.CreateCounter<long>(RetentionDeletedRows, "{row}", "Rows deleted by the retention job (table: deliveries, events or idempotency_keys; a delivery's attempts go with it).");
        meter.CreateObservableGauge(DeliveriesPending, () => backlog.Read().Pending, "{delivery}", "Deliveries pending (due now or waiting for a retry).");
        meter.CreateObservableGauge(
            OldestPendingAge, () => backlog.Read().OldestDueAge.TotalSeconds, "s",
            "How long the longest-waiting due delivery has been past its attempt time; 0 when none is overdue.");
    }

    /// <summary>The <see cref="OutcomeTag"/> of a verdict.</summary>
    public static string OutcomeOf(AttemptVerdict verdict) => verdict switch
    {
        AttemptVerdict.Succeeded => "succeeded",
        AttemptVerdict.WillRetry => "retry",
        AttemptVerdict.Failed => "failed",
        AttemptVerdict.ReceiverGone => "gone",
        AttemptVerdict.AlreadyEnded => "ended",
        AttemptVerdict.ManualFailed => "manual_failed",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "not a verdict"),
    };

    public void EventPublished(Event evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        _published.Add(1, new KeyValuePair<string, object?>(KindTag, evt.ClientId is null ? "org" : "client"));
    }

    /// <summary>An attempt whose result has been written.</summary>
    public void AttemptRecorded(AttemptVerdict verdict, TimeSpan duration)
    {
        var outcome = new KeyValuePair<string, object?>(OutcomeTag, OutcomeOf(verdict));
        _attempts.Add(1, outcome);
        _duration.Record(duration.TotalSeconds, outcome);
    }

    /// <summary><paramref name="rows"/> of <paramref name="table"/> deleted by the retention job.</summary>
    public void RetentionDeleted(string table, int rows) => _retentionDeleted.Add(rows, new KeyValuePair<string, object?>(TableTag, table));
}
