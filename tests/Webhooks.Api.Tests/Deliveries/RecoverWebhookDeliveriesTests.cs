using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api.Errors;
using Webhooks.Api.Http;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Deliveries;
using Webhooks.Application.Webhooks.RecoverWebhookDeliveries;
using Webhooks.Domain.Deliveries;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Api.Tests.Deliveries;

/// <summary>
/// <c>POST /v1/webhooks/{id}/recover</c> through the real service, its worker and a real HTTPS
/// receiver: every failed delivery of the endpoint created in [since, until) goes back to pending
/// (<c>202 {"requeued": n}</c>) and is then delivered by the worker; nothing else changes. The window's
/// rules and the body's shape are 400 with every field named; an inactive endpoint is 409; ids not
/// the caller's are the same 404.
/// </summary>
[TestFixture]
public sealed class RecoverWebhookDeliveriesTests : DeliveryFixture
{
    [Test]
    public async Task Recover_AfterTheReceiverWasDown_RequeuesTheFailedDeliveryAndTheWorkerDeliversIt()
    {
        var (org, api) = await OrganizationAsync();
        var down = true;
        var url = Route((_, _) => new ReceiverResponse(Volatile.Read(ref down) ? 503 : 200));
        var (endpointId, _) = await CreateEndpointAsync(api, url);
        var eventId = await PublishAsync(org, "{\"n\":1}");
        var failed = await EndedAsync(eventId);
        Assert.That(failed.Status, Is.EqualTo(DeliveryStatus.Failed));
        Volatile.Write(ref down, false);

        using var response = await api.PostJsonAsync($"/v1/webhooks/{endpointId}/recover", Window(DateTimeOffset.UtcNow.AddHours(-1), until: null));

        var body = await ApiAssert.JsonSuccess(response, HttpStatusCode.Accepted);
        Assert.That(body.ToString(), Is.EqualTo("""{"requeued":1}"""));
        var delivered = await DeliveryWhenAsync(eventId, d => d.Status == DeliveryStatus.Succeeded, "the worker delivers the requeued delivery");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(delivered.AttemptCount, Is.EqualTo(failed.AttemptCount + 1));
            Assert.That(delivered.Attempts[^1].Trigger, Is.EqualTo(AttemptTrigger.Scheduled));
            Assert.That(delivered.Attempts[^1].ResponseStatus, Is.EqualTo(200));
            Assert.That(ReceivedAt(url), Has.Count.EqualTo(failed.AttemptCount + 1));
        }
    }

    [Test]
    public async Task Recover_RequeuesOnlyTheEndpointsFailedDeliveriesCreatedInTheWindow()
    {
        var (org, api) = await OrganizationAsync();
        var url = Route();
        var (endpointId, _) = await CreateEndpointAsync(api, url);
        var (otherEndpointId, _) = await CreateEndpointAsync(api, Route());
        var now = DateTimeOffset.UtcNow;
        var since = now.AddDays(-2);
        var until = now.AddDays(-1);
        var inWindow = await StoreAsync(org.OrgId, endpointId, since, DeliveryStatus.Failed);
        var inWindowToo = await StoreAsync(org.OrgId, endpointId, until.AddTicks(-TimeSpan.TicksPerSecond), DeliveryStatus.Failed);
        Guid[] untouched =
        [
            await StoreAsync(org.OrgId, endpointId, since.AddSeconds(-1), DeliveryStatus.Failed),
            await StoreAsync(org.OrgId, endpointId, until, DeliveryStatus.Failed),
            await StoreAsync(org.OrgId, endpointId, since.AddHours(1), DeliveryStatus.Succeeded),
            await StoreAsync(org.OrgId, endpointId, since.AddHours(1), DeliveryStatus.Canceled),
            await StoreAsync(org.OrgId, otherEndpointId, since.AddHours(1), DeliveryStatus.Failed),
        ];
        var before = await StoredAsync(untouched);

        using var response = await api.PostJsonAsync($"/v1/webhooks/{endpointId}/recover", Window(since, until));

        var body = await ApiAssert.JsonSuccess(response, HttpStatusCode.Accepted);
        Assert.That(body.ToString(), Is.EqualTo("""{"requeued":2}"""));
        foreach (var id in new[] { inWindow, inWindowToo })
        {
            var delivered = (await DeliveriesWhenAsync(await EventOfAsync(id), d => d.Single().Status == DeliveryStatus.Succeeded, "the worker delivers it")).Single();
            Assert.That(delivered.AttemptCount, Is.EqualTo(2), "one failed attempt, then the requeued one");
        }

        var after = await StoredAsync(untouched);
        Assert.That(after.Select(d => (d.Id, d.Status, d.AttemptCount, d.UpdatedAt)), Is.EqualTo(before.Select(d => (d.Id, d.Status, d.AttemptCount, d.UpdatedAt))));
        Assert.That(ReceivedAt(url), Has.Count.EqualTo(2));
    }

    public static IEnumerable<TestCaseData> InvalidBodies()
    {
        var now = DateTimeOffset.UtcNow;
        yield return Case("no since", "{}", ("since", "is required"));
        yield return Case("since null", """{"since":null}""", ("since", "is required"));
        yield return Case("since not a string", """{"since":5}""", ("since", JsonObjectReader.MustBeStringMessage));
        yield return Case("since not a date", """{"since":"yesterday"}""", ("since", RequestReader.MustBeDateTimeMessage));
        yield return Case("since without an offset", """{"since":"2026-12-01T12:00:00"}""", ("since", RequestReader.MustBeDateTimeMessage));
        yield return Case("since a date only", """{"since":"2026-12-01"}""", ("since", RequestReader.MustBeDateTimeMessage));
        yield return Case("since an impossible day", """{"since":"2026-02-30T12:00:00Z"}""", ("since", RequestReader.MustBeDateTimeMessage));
        yield return Case("until not a date", $$"""{"since":"{{Text(now.AddHours(-1))}}","until":"now"}""", ("until", RequestReader.MustBeDateTimeMessage));
        yield return Case("both wrong, and an unknown field", """{"since":"x","until":7,"window":1}""",
            ("since", RequestReader.MustBeDateTimeMessage), ("until", JsonObjectReader.MustBeStringMessage), ("window", JsonObjectReader.UnknownFieldMessage));
        yield return Case("since over 14 days back", $$"""{"since":"{{Text(now.AddDays(-15))}}"}""", ("since", RecoverWebhookDeliveriesCommand.TooOldMessage));
        yield return Case("since in the future", $$"""{"since":"{{Text(now.AddDays(1))}}"}""", ("since", RecoverWebhookDeliveriesCommand.InFutureMessage));
        yield return Case("until in the future", $$"""{"since":"{{Text(now.AddDays(-1))}}","until":"{{Text(now.AddDays(1))}}"}""",
            ("until", RecoverWebhookDeliveriesCommand.InFutureMessage));
        yield return Case("until before since", $$"""{"since":"{{Text(now.AddHours(-1))}}","until":"{{Text(now.AddHours(-2))}}"}""",
            ("until", RecoverWebhookDeliveriesCommand.NotAfterSinceMessage));
        yield return Case("until equal to since", $$"""{"since":"{{Text(now.AddHours(-1))}}","until":"{{Text(now.AddHours(-1))}}"}""",
            ("until", RecoverWebhookDeliveriesCommand.NotAfterSinceMessage));
        yield return Case("malformed JSON", """{"since":""", ("body", JsonBody.NotJsonMessage));
        yield return Case("an array", "[]", ("body", JsonBody.NotObjectMessage));

        static TestCaseData Case(string name, string body, params (string Field, string Message)[] details) =>
            new TestCaseData(body, details.ToDictionary(d => d.Field, d => d.Message)).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(InvalidBodies))]
    public async Task Recover_WithAnInvalidBody_Is400NamingEveryField(string body, Dictionary<string, string> details)
    {
        var (_, api) = await OrganizationAsync();
        var (endpointId, _) = await CreateEndpointAsync(api, Route());

        using var response = await api.PostJsonAsync($"/v1/webhooks/{endpointId}/recover", body);

        await ApiAssert.ValidationFailed(response, details);
    }

    [Test]
    public async Task Recover_ToAnInactiveEndpoint_Is409AndRequeuesNothing()
    {
        var (org, api) = await OrganizationAsync();
        var (endpointId, _) = await CreateEndpointAsync(api, Route());
        var failed = await StoreAsync(org.OrgId, endpointId, DateTimeOffset.UtcNow.AddHours(-1), DeliveryStatus.Failed);
        using (var patched = await api.PatchAsync($"/v1/webhooks/{endpointId}", Json.Body("""{"active":false}""")))
        {
            await ApiAssert.JsonSuccess(patched);
        }

        using var response = await api.PostJsonAsync($"/v1/webhooks/{endpointId}/recover", Window(DateTimeOffset.UtcNow.AddDays(-1), null));

        await ApiAssert.Envelope(response, HttpStatusCode.Conflict, ApiError.Conflict.Code, ApiError.Conflict.Message,
            new Dictionary<string, string> { ["endpoint"] = RecoverWebhookDeliveriesCommand.InactiveEndpointMessage });
        Assert.That((await StoredAsync([failed])).Single().Status, Is.EqualTo(DeliveryStatus.Failed));
    }

    [Test]
    public async Task Recover_AnotherOrganizationsADeletedAnUnknownOrAMalformedId_IsTheSame404()
    {
        var (org, api) = await OrganizationAsync();
        var (_, stranger) = await OrganizationAsync();
        var (endpointId, _) = await CreateEndpointAsync(api, Route());
        var (deletedId, _) = await CreateEndpointAsync(api, Route());
        var failed = await StoreAsync(org.OrgId, endpointId, DateTimeOffset.UtcNow.AddHours(-1), DeliveryStatus.Failed);
        using (var deleted = await api.DeleteAsync($"/v1/webhooks/{deletedId}"))
        {
            await ApiAssert.JsonSuccess(deleted);
        }

        var window = Window(DateTimeOffset.UtcNow.AddDays(-1), null);
        foreach (var (client, id) in new[] { (stranger, endpointId.ToString()), (api, deletedId.ToString()), (api, Guid.NewGuid().ToString()), (api, "not-a-uuid") })
        {
            using var response = await client.PostJsonAsync($"/v1/webhooks/{id}/recover", window);
            await ApiAssert.NotFound(response);
        }

        Assert.That((await StoredAsync([failed])).Single().Status, Is.EqualTo(DeliveryStatus.Failed));
    }

    [Test]
    public async Task Recover_WithoutWebhooksWrite_Is403_AndWithoutAKey_Is401()
    {
        var (org, api) = await OrganizationAsync();
        var (endpointId, _) = await CreateEndpointAsync(api, Route());
        var failed = await StoreAsync(org.OrgId, endpointId, DateTimeOffset.UtcNow.AddHours(-1), DeliveryStatus.Failed);
        var reader = Factory.CreateClient(await Factory.CreateKeyAsync(org.OrgId, "webhooks:read"));
        using var anonymous = Factory.CreateClient(key: null);
        var window = Window(DateTimeOffset.UtcNow.AddDays(-1), null);

        using var forbidden = await reader.PostJsonAsync($"/v1/webhooks/{endpointId}/recover", window);
        using var unauthenticated = await anonymous.PostJsonAsync($"/v1/webhooks/{endpointId}/recover", window);

        await ApiAssert.Forbidden(forbidden);
        await ApiAssert.Unauthorized(unauthenticated);
        reader.Dispose();
        Assert.That((await StoredAsync([failed])).Single().Status, Is.EqualTo(DeliveryStatus.Failed));
    }

    private static string Text(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string Window(DateTimeOffset since, DateTimeOffset? until) =>
        until is { } end ? $$"""{"since":"{{Text(since)}}","until":"{{Text(end)}}"}""" : $$"""{"since":"{{Text(since)}}"}""";

    /// <summary>
    /// Stores an event created at <paramref name="createdAt"/> with one delivery to <paramref name="endpointId"/>,
    /// brought to <paramref name="status"/> through the domain (one scheduled attempt, or a cancellation); returns the delivery's id.
    /// </summary>
    private async Task<Guid> StoreAsync(Guid orgId, Guid endpointId, DateTimeOffset createdAt, DeliveryStatus status)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var evt = Event.ForOrganization(Guid.CreateVersion7(createdAt), orgId, EventType, EventData.From(JsonDocument.Parse("{}").RootElement).Value!, createdAt);
        var delivery = evt.DeliverTo(Guid.CreateVersion7(createdAt), DeliveryTarget.Endpoint(endpointId));
        var answer = status switch { DeliveryStatus.Failed => 410, DeliveryStatus.Succeeded => 200, _ => 500 };
        delivery.RecordAttempt(new AttemptResult(answer, TimeSpan.FromMilliseconds(5), null, null), createdAt, AttemptTrigger.Scheduled, RetrySchedule.Default, 0.5);
        if (status == DeliveryStatus.Canceled)
        {
            delivery.Cancel(createdAt.AddSeconds(1));
        }

        scope.ServiceProvider.GetRequiredService<IEventRepository>().Add(evt, [delivery]);
        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        Assert.That(delivery.Status, Is.EqualTo(status));
        return delivery.Id;
    }

    private async Task<List<Delivery>> StoredAsync(Guid[] ids)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Set<Delivery>().AsNoTracking().Where(d => ids.Contains(d.Id)).ToListAsync();
        return [.. ids.Select(id => stored.Single(d => d.Id == id))];
    }

    private async Task<Guid> EventOfAsync(Guid deliveryId) => (await StoredAsync([deliveryId])).Single().EventId;
}
