using Microsoft.Extensions.DependencyInjection;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// The service keeps time to the tick (retry timing needs milliseconds); what the API prints stays
/// RFC 3339 in UTC to whole seconds, and the ETag, which counts revisions, does not see the difference.
/// </summary>
[TestFixture]
public sealed class TimestampTests : WebhooksFixture
{
    private static readonly DateTimeOffset Start = new(2026, 4, 26, 12, 0, 45, TimeSpan.Zero);

    private readonly ControllableTimeProvider _time = new(Start);

    protected override ApiFactory CreateFactory() => new() { TestServices = services => services.AddSingleton<TimeProvider>(_time) };

    [Test]
    public async Task Timestamps_WithMilliseconds_AreStoredToTheTickAndPrintedToTheSecond()
    {
        _time.Advance(TimeSpan.FromMilliseconds(789));
        var created = await CreateAsync();

        _time.Advance(TimeSpan.FromMilliseconds(500));
        using var patched = await PatchAsync(created.Id, """{"active":false}""");
        var (resource, etag) = await AssertResourceWithETagAsync(patched, HttpStatusCode.OK);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(resource.GetProperty("created_at").GetString(), Is.EqualTo("2026-04-26T12:00:45Z"));
            Assert.That(resource.GetProperty("updated_at").GetString(), Is.EqualTo("2026-04-26T12:00:46Z"));
            Assert.That(RevisionOf(etag, created.Id), Is.EqualTo(2));
        }

        var stored = (await StoredData.AllAsync<WebhookEndpoint>(Factory.Services)).Single(endpoint => endpoint.Id == Guid.Parse(created.Id));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored.CreatedAt, Is.EqualTo(Start.AddMilliseconds(789)));
            Assert.That(stored.UpdatedAt, Is.EqualTo(Start.AddMilliseconds(1289)));
        }
    }
}
