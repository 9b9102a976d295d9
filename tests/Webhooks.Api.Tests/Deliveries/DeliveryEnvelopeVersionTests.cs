using Microsoft.Extensions.DependencyInjection;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Api.Tests.Deliveries;

/// <summary>
/// Envelopes per <c>api_version</c>: a second configured version with a writer of its own; each
/// endpoint gets the envelope of its version, side by side, from one published event.
/// </summary>
[TestFixture]
public sealed class DeliveryEnvelopeVersionTests : DeliveryFixture
{
    private const string SecondVersion = "2027-01-01";

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() =>
    [
        new("Webhooks:ApiVersions:0", Envelope20260401Writer.Version),
        new("Webhooks:ApiVersions:1", SecondVersion),
    ];

    protected override Action<IServiceCollection> TestServices => services => services.AddSingleton<IEnvelopeWriter>(new TestEnvelopeWriter(SecondVersion));

    [Test]
    public async Task Deliver_ToEndpointsOfTwoVersions_EachGetsTheEnvelopeOfItsVersion()
    {
        var (org, api) = await OrganizationAsync();
        var firstUrl = Route();
        var secondUrl = Route();
        await CreateEndpointAsync(api, firstUrl, apiVersion: Envelope20260401Writer.Version);
        await CreateEndpointAsync(api, secondUrl, apiVersion: SecondVersion);

        var eventId = await PublishAsync(org, "{\"wallet_id\":\"w_9\"}");
        var deliveries = await DeliveriesWhenAsync(eventId, all => all.All(d => d.HasEnded), "both deliveries end");

        var firstText = Encoding.UTF8.GetString(ReceivedAt(firstUrl).Single().Body);
        using var first = JsonDocument.Parse(firstText);
        var second = Encoding.UTF8.GetString(ReceivedAt(secondUrl).Single().Body);
        Assert.Multiple(() =>
        {
            Assert.That(deliveries.Select(d => d.Status), Is.EqualTo(new[] { DeliveryStatus.Succeeded, DeliveryStatus.Succeeded }));
            Assert.That(first.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "id", "type", "api_version", "created_at", "data" }));
            Assert.That(first.RootElement.GetProperty("api_version").GetString(), Is.EqualTo(Envelope20260401Writer.Version));
            Assert.That(firstText, Does.EndWith(",\"data\":{\"wallet_id\":\"w_9\"}}"));
            Assert.That(second, Is.EqualTo(firstText.Replace($"\"api_version\":\"{Envelope20260401Writer.Version}\"", $"\"api_version\":\"{SecondVersion}\"", StringComparison.Ordinal)));
        });
    }

    [Test]
    public void Start_WhenAConfiguredVersionHasNoWriter_StopsTheServiceWithTheMessageThatSaysSo()
    {
        string[] configured = [Envelope20260401Writer.Version, SecondVersion];
        var expected = Assert.Throws<InvalidOperationException>(() => new EnvelopeWriters([new Envelope20260401Writer()]).EnsureServes(configured))!.Message;
        using var factory = new ApiFactory(new Dictionary<string, string?>
        {
            ["Delivery:Worker:Enabled"] = "true",
            ["Webhooks:ApiVersions:0"] = configured[0],
            ["Webhooks:ApiVersions:1"] = configured[1],
        });

        var failure = Assert.Catch(() => _ = factory.Services);

        Assert.That(Chain(failure).Select(e => e.Message), Has.Some.EqualTo(expected));
    }

    private static IEnumerable<Exception> Chain(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            yield return exception;
            if (exception is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }

}
