using Webhooks.Api.Tests.Deliveries;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Api.Tests.Metrics;

/// <summary>
/// Attempts as <c>GET /metrics</c> counts them, through the real worker and a real HTTPS receiver: by
/// outcome, and their durations in the histogram. A count moves just after its attempt is written, so
/// the scrape is polled (bounded) until it shows the attempts.
/// </summary>
[TestFixture]
public sealed class MetricsDeliveryTests : DeliveryFixture
{
    private const string Attempts = "webhooks_delivery_attempts_total";
    private const string Duration = "webhooks_delivery_attempt_duration_seconds";

    private static readonly string[] Outcomes = ["succeeded", "retry", "failed", "gone", "ended"];

    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Get_AfterAttempts_CountsThemByOutcomeWithTheirDurations()
    {
        var (org, api) = await OrganizationAsync();
        using var anonymous = Factory.CreateClient(key: null);
        var before = await PrometheusText.ScrapeAsync(anonymous);
        await CreateEndpointAsync(api, Route((_, number) => number == 1 ? new ReceiverResponse(500) : ReceiverResponse.Ok));
        var retried = await PublishAsync(org, "{\"n\":1}");
        var succeeded = await EndedAsync(retried);
        var (other, otherApi) = await OrganizationAsync();
        await CreateEndpointAsync(otherApi, Route((_, _) => new ReceiverResponse(410)));
        var gone = await EndedAsync(await PublishAsync(other, "{\"n\":2}"));

        var after = await ScrapeWhenAsync(anonymous, scrape => Delta(scrape, before, Duration + "_count") >= 3);

        var durations = succeeded.Attempts.Concat(gone.Attempts).Sum(a => a.DurationMs) / 1000.0;
        var expected = new Dictionary<string, double> { ["succeeded"] = 1, ["retry"] = 1, ["failed"] = 0, ["gone"] = 1, ["ended"] = 0 };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(succeeded.Status, Is.EqualTo(DeliveryStatus.Succeeded));
            Assert.That(gone.Status, Is.EqualTo(DeliveryStatus.Failed));
            Assert.That(after.Types, Does.ContainKey(Attempts).WithValue("counter"));
            Assert.That(after.Types, Does.ContainKey(Duration).WithValue("histogram"));
            Assert.That(Outcomes.ToDictionary(o => o, o => Delta(after, before, Attempts, ("outcome", o))), Is.EqualTo(expected));
            Assert.That(Delta(after, before, Duration + "_count"), Is.EqualTo(3));
            Assert.That(Delta(after, before, Duration + "_count", ("outcome", "retry")), Is.EqualTo(1));
            Assert.That(Delta(after, before, Duration + "_sum"), Is.EqualTo(durations).Within(0.003 * 3), "the attempts' durations, stored in whole milliseconds");
            Assert.That(Delta(after, before, Duration + "_bucket", ("le", "+Inf")), Is.EqualTo(3));
        }
    }

    private static double Delta(PrometheusText after, PrometheusText before, string name, params (string Key, string Value)[] labels) =>
        after.Value(name, labels) - before.Value(name, labels);

    private static async Task<PrometheusText> ScrapeWhenAsync(HttpClient client, Func<PrometheusText, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow + WaitLimit;
        while (true)
        {
            var scrape = await PrometheusText.ScrapeAsync(client);
            if (done(scrape))
            {
                return scrape;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"the scrape did not show the attempts within {WaitLimit.TotalSeconds} s");
            }

            await Task.Delay(50);
        }
    }
}
