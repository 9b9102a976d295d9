using Microsoft.Extensions.Configuration;
using Webhooks.Domain.Deliveries;
using Webhooks.Infrastructure.Deliveries;

namespace Webhooks.Infrastructure.Tests.Deliveries;

/// <summary><see cref="DeliveryOptions.Load"/>: the defaults, and every bad value refused with a message naming its setting.</summary>
[TestFixture]
public sealed class DeliveryOptionsTests
{
    [Test]
    public void Load_WithNothingSet_GivesTheDefaults()
    {
        var options = Load();

        Assert.Multiple(() =>
        {
            Assert.That(options.WorkerEnabled, Is.True);
            Assert.That(options.Lease, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(options.MaxConcurrency, Is.EqualTo(32));
            Assert.That(options.MaxPerEndpoint, Is.EqualTo(4));
            Assert.That(options.PollInterval, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(options.RecordBatchSize, Is.EqualTo(100));
            Assert.That(options.DisableAfterHours, Is.EqualTo(120));
            Assert.That(options.RetrySchedule.Waits, Is.EqualTo(RetrySchedule.DefaultWaitSeconds.Select(s => TimeSpan.FromSeconds(s))));
            Assert.That(options.RetrySchedule.JitterPercent, Is.EqualTo(RetrySchedule.DefaultJitterPercent));
            Assert.That(options.Retention, Is.EqualTo(TimeSpan.FromDays(30)));
            Assert.That(options.RetentionInterval, Is.EqualTo(TimeSpan.FromSeconds(600)));
            Assert.That(options.RetentionBatchSize, Is.EqualTo(1000));
        });
    }

    [Test]
    public void Load_ReadsEverySetting()
    {
        var options = Load(
            ("Worker:Enabled", "false"),
            ("LeaseSeconds", "25"),
            ("TimeoutSeconds", "20"),
            ("MaxConcurrency", "7"),
            ("MaxPerEndpoint", "3"),
            ("PollIntervalMilliseconds", "250"),
            ("RecordBatchSize", "9"),
            ("DisableAfterHours", "8760"),
            ("RetryScheduleSeconds:0", "2"),
            ("RetryScheduleSeconds:1", "30"),
            ("JitterPercent", "0"),
            ("RetentionDays", "7"),
            ("Retention:IntervalSeconds", "60"),
            ("Retention:BatchSize", "250"));

        Assert.Multiple(() =>
        {
            Assert.That(options.WorkerEnabled, Is.False);
            Assert.That(options.Lease, Is.EqualTo(TimeSpan.FromSeconds(25)));
            Assert.That(options.MaxConcurrency, Is.EqualTo(7));
            Assert.That(options.MaxPerEndpoint, Is.EqualTo(3));
            Assert.That(options.PollInterval, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
            Assert.That(options.RecordBatchSize, Is.EqualTo(9));
            Assert.That(options.DisableAfterHours, Is.EqualTo(8760));
            Assert.That(options.RetrySchedule.Waits, Is.EqualTo(new[] { TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30) }));
            Assert.That(options.RetrySchedule.JitterPercent, Is.Zero);
            Assert.That(options.Retention, Is.EqualTo(TimeSpan.FromDays(7)));
            Assert.That(options.RetentionInterval, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(options.RetentionBatchSize, Is.EqualTo(250));
        });
    }

    [TestCase("Worker:Enabled", "yes", "Delivery:Worker:Enabled must be true or false, not 'yes'.")]
    [TestCase("LeaseSeconds", "4", "Delivery:LeaseSeconds must be a whole number from 5 to 3600, not '4'.")]
    [TestCase("LeaseSeconds", "3601", "Delivery:LeaseSeconds must be a whole number from 5 to 3600, not '3601'.")]
    [TestCase("LeaseSeconds", "60s", "Delivery:LeaseSeconds must be a whole number from 5 to 3600, not '60s'.")]
    [TestCase("TimeoutSeconds", "0", "Delivery:TimeoutSeconds must be a whole number from 1 to 300, not '0'.")]
    [TestCase("TimeoutSeconds", "301", "Delivery:TimeoutSeconds must be a whole number from 1 to 300, not '301'.")]
    [TestCase("MaxConcurrency", "0", "Delivery:MaxConcurrency must be a whole number from 1 to 1024, not '0'.")]
    [TestCase("MaxConcurrency", "1025", "Delivery:MaxConcurrency must be a whole number from 1 to 1024, not '1025'.")]
    [TestCase("MaxConcurrency", "-1", "Delivery:MaxConcurrency must be a whole number from 1 to 1024, not '-1'.")]
    [TestCase("MaxPerEndpoint", "0", "Delivery:MaxPerEndpoint must be a whole number from 1 to 32, not '0'.")]
    [TestCase("MaxPerEndpoint", "33", "Delivery:MaxPerEndpoint must be a whole number from 1 to 32, not '33'.")]
    [TestCase("PollIntervalMilliseconds", "9", "Delivery:PollIntervalMilliseconds must be a whole number from 10 to 600000, not '9'.")]
    [TestCase("PollIntervalMilliseconds", "600001", "Delivery:PollIntervalMilliseconds must be a whole number from 10 to 600000, not '600001'.")]
    [TestCase("PollIntervalMilliseconds", "1.5", "Delivery:PollIntervalMilliseconds must be a whole number from 10 to 600000, not '1.5'.")]
    [TestCase("RecordBatchSize", "0", "Delivery:RecordBatchSize must be a whole number from 1 to 1000, not '0'.")]
    [TestCase("RecordBatchSize", "1001", "Delivery:RecordBatchSize must be a whole number from 1 to 1000, not '1001'.")]
    [TestCase("RetentionDays", "0", "Delivery:RetentionDays must be a whole number from 1 to 3650, not '0'.")]
    [TestCase("RetentionDays", "3651", "Delivery:RetentionDays must be a whole number from 1 to 3650, not '3651'.")]
    [TestCase("RetentionDays", "30d", "Delivery:RetentionDays must be a whole number from 1 to 3650, not '30d'.")]
    [TestCase("Retention:IntervalSeconds", "9", "Delivery:Retention:IntervalSeconds must be a whole number from 10 to 86400, not '9'.")]
    [TestCase("Retention:IntervalSeconds", "86401", "Delivery:Retention:IntervalSeconds must be a whole number from 10 to 86400, not '86401'.")]
    [TestCase("Retention:BatchSize", "0", "Delivery:Retention:BatchSize must be a whole number from 1 to 10000, not '0'.")]
    [TestCase("Retention:BatchSize", "10001", "Delivery:Retention:BatchSize must be a whole number from 1 to 10000, not '10001'.")]
    [TestCase("DisableAfterHours", "0", "Delivery:DisableAfterHours must be a whole number from 1 to 8760, not '0'.")]
    [TestCase("DisableAfterHours", "8761", "Delivery:DisableAfterHours must be a whole number from 1 to 8760, not '8761'.")]
    [TestCase("JitterPercent", "101", "Delivery:JitterPercent must be a whole number from 0 to 100, not '101'.")]
    [TestCase("RetryScheduleSeconds:0", "0", "Delivery:RetryScheduleSeconds:0 must be a whole number from 1 to 2147483647, not '0'.")]
    [TestCase("RetryScheduleSeconds:0", "soon", "Delivery:RetryScheduleSeconds:0 must be a whole number from 1 to 2147483647, not 'soon'.")]
    [TestCase("RetryScheduleSeconds:0", "604801", "Delivery:RetryScheduleSeconds / Delivery:JitterPercent: waits " + RetrySchedule.WaitOutOfRangeMessage)]
    public void Load_RefusesABadValue_NamingTheSetting(string key, string value, string message)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Load((key, value)));

        Assert.That(refused!.Message, Is.EqualTo(message));
    }

    [TestCase("15", "19")]
    [TestCase("30", "34")]
    [TestCase(null, "19")]
    public void Load_RefusesALeaseShorterThanTheTimeoutPlusFiveSeconds(string? timeout, string lease)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Load(("TimeoutSeconds", timeout), ("LeaseSeconds", lease)));

        Assert.That(
            refused!.Message,
            Is.EqualTo($"Delivery:LeaseSeconds ({lease}) must be at least Delivery:TimeoutSeconds ({timeout ?? "15"}) + 5, so that a claim outlasts the attempt it covers."));
    }

    [TestCase("15", "20")]
    [TestCase("300", "305")]
    public void Load_AcceptsALeaseOfTheTimeoutPlusFiveSeconds(string timeout, string lease) =>
        Assert.That(Load(("TimeoutSeconds", timeout), ("LeaseSeconds", lease)).Lease, Is.EqualTo(TimeSpan.FromSeconds(int.Parse(lease, System.Globalization.CultureInfo.InvariantCulture))));

    /// <summary>The options from these <c>Delivery</c> settings (keys without the section).</summary>
    internal static DeliveryOptions Load(params (string Key, string? Value)[] settings) =>
        DeliveryOptions.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(DeliveryOptions.Section + ":" + s.Key, s.Value)))
            .Build());
}
