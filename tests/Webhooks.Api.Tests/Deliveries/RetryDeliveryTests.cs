using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api.Errors;
using Webhooks.Application.Deliveries.RetryDelivery;
using Webhooks.Domain.Deliveries;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Api.Tests.Deliveries;

/// <summary>
/// <c>POST /v1/deliveries/{id}/retry</c> through the real service and a real HTTPS receiver: one
/// manual attempt now, whatever the status, made and recorded before the answer, which is the
/// delivery as <c>GET /v1/deliveries/{id}</c> shows it. A manual failure leaves the schedule alone
/// (the waits here are an hour, so the worker never retries within a test). 409 for an inactive or
/// deleted endpoint and while another attempt holds the lease; the same 404 for ids not the caller's.
/// </summary>
[TestFixture]
public sealed class RetryDeliveryTests : DeliveryFixture
{
    [Test]
    public async Task Retry_APendingDeliveryThatFailsAgain_RecordsAManualAttemptAndKeepsTheSchedule()
    {
        var (api, url, endpointId, eventId, before) = await AfterOneScheduledAttemptAsync((_, _) => ReceiverResponse.Text(500, "still down"));

        using var response = await api.PostAsync($"/v1/deliveries/{before.Id}/retry", content: null);

        var body = await ApiAssert.JsonSuccess(response);
        var after = (await DeliveriesAsync(eventId)).Single();
        await AssertRetriedAsync(api, body, after, endpointId, "pending", 2, 500, "still down");
        Assert.That(body.GetProperty("next_attempt_at").GetString(), Is.EqualTo(GetDeliveryTests.Text(before.NextAttemptAt!.Value)), "the schedule goes on");
        Assert.That(after.NextAttemptAt, Is.EqualTo(before.NextAttemptAt));
        var received = ReceivedAt(url);
        Assert.That(received, Has.Count.EqualTo(2));
        Assert.That(received[1].Header("webhook-id"), Is.EqualTo(received[0].Header("webhook-id")));
        Assert.That(received[1].Body, Is.EqualTo(received[0].Body), "every attempt sends the same bytes");
    }

    [Test]
    public async Task Retry_AFailedDelivery_WhenTheReceiverNowAnswers200_Succeeds()
    {
        var (api, url, endpointId, eventId, pending) = await AfterOneScheduledAttemptAsync((_, number) => number == 1 ? new ReceiverResponse(503) : ReceiverResponse.Text(200, "thanks"));
        await FailForGoodAsync(pending.Id);

        using var response = await api.PostAsync($"/v1/deliveries/{pending.Id}/retry", content: null);

        var body = await ApiAssert.JsonSuccess(response);
        var after = (await DeliveriesAsync(eventId)).Single();
        await AssertRetriedAsync(api, body, after, endpointId, "succeeded", 2 + RetryScheduleSeconds.Length, 200, "thanks");
        Assert.That(ReceivedAt(url), Has.Count.EqualTo(2));
        Assert.That(body.GetProperty("next_attempt_at").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Retry_ASucceededDelivery_SendsItAgainAndItStaysSucceeded()
    {
        var (org, api) = await OrganizationAsync();
        var url = Route();
        var (endpointId, _) = await CreateEndpointAsync(api, url);
        var eventId = await PublishAsync(org, "{\"n\":3}");
        var delivered = await EndedAsync(eventId);

        using var response = await api.PostAsync($"/v1/deliveries/{delivered.Id}/retry", content: null);

        var body = await ApiAssert.JsonSuccess(response);
        await AssertRetriedAsync(api, body, (await DeliveriesAsync(eventId)).Single(), endpointId, "succeeded", 2, 200, "");
        Assert.That(ReceivedAt(url), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Retry_WhenTheReceiverAnswers410_FailsThePendingDeliveryAndDeactivatesTheEndpoint()
    {
        var (api, _, endpointId, eventId, pending) = await AfterOneScheduledAttemptAsync((_, number) => new ReceiverResponse(number == 1 ? 500 : 410));

        using var response = await api.PostAsync($"/v1/deliveries/{pending.Id}/retry", content: null);

        var body = await ApiAssert.JsonSuccess(response);
        await AssertRetriedAsync(api, body, (await DeliveriesAsync(eventId)).Single(), endpointId, "failed", 2, 410, "");
        using var endpoint = await api.GetAsync($"/v1/webhooks/{endpointId}");
        Assert.That((await ApiAssert.JsonSuccess(endpoint)).GetProperty("active").GetBoolean(), Is.False);
    }

    [TestCase("inactive")]
    [TestCase("deleted")]
    public async Task Retry_WhenTheEndpointIsInactiveOrDeleted_Is409AndSendsNothing(string change)
    {
        var (api, url, endpointId, eventId, delivery) = await AfterOneScheduledAttemptAsync((_, _) => new ReceiverResponse(500));
        using (var changed = change == "inactive"
            ? await api.PatchAsync($"/v1/webhooks/{endpointId}", Json.Body("""{"active":false}"""))
            : await api.DeleteAsync($"/v1/webhooks/{endpointId}"))
        {
            await ApiAssert.JsonSuccess(changed);
        }

        using var response = await api.PostAsync($"/v1/deliveries/{delivery.Id}/retry", content: null);

        await ApiAssert.Envelope(response, HttpStatusCode.Conflict, ApiError.Conflict.Code, ApiError.Conflict.Message,
            new Dictionary<string, string> { ["endpoint"] = RetryDeliveryCommand.InactiveEndpointMessage });
        Assert.That(ReceivedAt(url), Has.Count.EqualTo(1));
        Assert.That((await DeliveriesAsync(eventId)).Single().AttemptCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Retry_WhileAnotherAttemptHoldsTheLease_Is409AndSendsNothing()
    {
        var (api, url, _, eventId, delivery) = await AfterOneScheduledAttemptAsync((_, _) => new ReceiverResponse(500));
        await Factory.InDatabaseAsync(db => db.Set<Domain.Deliveries.Delivery>().Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(set => set
            .SetProperty(d => EF.Property<string?>(d, "LeaseOwner"), "another-worker")
            .SetProperty(d => EF.Property<DateTimeOffset?>(d, "LeaseExpiresAt"), DateTimeOffset.UtcNow.AddMinutes(5))));

        using var response = await api.PostAsync($"/v1/deliveries/{delivery.Id}/retry", content: null);

        await ApiAssert.Envelope(response, HttpStatusCode.Conflict, ApiError.Conflict.Code, ApiError.Conflict.Message,
            new Dictionary<string, string> { ["delivery"] = RetryDeliveryCommand.InProgressMessage });
        Assert.That(ReceivedAt(url), Has.Count.EqualTo(1));
        Assert.That((await DeliveriesAsync(eventId)).Single().AttemptCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Retry_AnotherOrganizationsAnUnknownOrAMalformedId_IsTheSame404()
    {
        var (api, url, _, _, delivery) = await AfterOneScheduledAttemptAsync((_, _) => new ReceiverResponse(500));
        var (_, stranger) = await OrganizationAsync();

        foreach (var (client, id) in new[] { (stranger, delivery.Id.ToString()), (api, Guid.NewGuid().ToString()), (api, "not-a-uuid"), (api, delivery.Id.ToString("N")) })
        {
            using var response = await client.PostAsync($"/v1/deliveries/{id}/retry", content: null);
            await ApiAssert.NotFound(response);
        }

        Assert.That(ReceivedAt(url), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Retry_WithoutWebhooksWrite_Is403_AndWithoutAKey_Is401()
    {
        var (api, url, _, _, delivery) = await AfterOneScheduledAttemptAsync((_, _) => new ReceiverResponse(500));
        var reader = await Factory.CreateOrganizationAsync("webhooks:read");
        using var readerClient = Factory.CreateClient(reader.Key);
        using var anonymous = Factory.CreateClient(key: null);

        using var forbidden = await readerClient.PostAsync($"/v1/deliveries/{delivery.Id}/retry", content: null);
        using var unauthenticated = await anonymous.PostAsync($"/v1/deliveries/{delivery.Id}/retry", content: null);

        await ApiAssert.Forbidden(forbidden);
        await ApiAssert.Unauthorized(unauthenticated);
        Assert.That(ReceivedAt(url), Has.Count.EqualTo(1));
    }

    /// <summary>
    /// A new organization's endpoint at a new route answered by <paramref name="answer"/>, and one
    /// event's delivery to it once the worker has made its first attempt.
    /// </summary>
    private async Task<(HttpClient Api, string Url, Guid EndpointId, Guid EventId, Delivery Delivery)> AfterOneScheduledAttemptAsync(
        Func<ReceivedRequest, int, ReceiverResponse> answer)
    {
        var (org, api) = await OrganizationAsync();
        var url = Route(answer);
        var (endpointId, _) = await CreateEndpointAsync(api, url);
        var eventId = await PublishAsync(org, "{}");
        return (api, url, endpointId, eventId, await DeliveryWhenAsync(eventId, d => d.AttemptCount == 1, "the first scheduled attempt"));
    }

    /// <summary>An hour between attempts: the worker makes the first attempt and no other within a test.</summary>
    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() =>
        RetryScheduleSeconds.Select((_, i) => new KeyValuePair<string, string?>($"Delivery:RetryScheduleSeconds:{i}", "3600"));

    /// <summary>
    /// The body: every field as stored, the last attempt manual with this answer, and the same JSON
    /// as <c>GET /v1/deliveries/{id}</c>.
    /// </summary>
    private static async Task AssertRetriedAsync(HttpClient api, JsonElement body, Delivery stored, Guid endpointId, string status, int attempts, int responseStatus, string responseBody)
    {
        Assert.That(body.EnumerateObject().Select(p => p.Name), Is.EqualTo(GetDeliveryTests.DeliveryKeys.Append("attempts")));
        GetDeliveryTests.AssertDelivery(body, stored, endpointId);
        var last = body.GetProperty("attempts").EnumerateArray().Last();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo(status));
            Assert.That(body.GetProperty("attempt_count").GetInt32(), Is.EqualTo(attempts));
            Assert.That(body.GetProperty("attempts").GetArrayLength(), Is.EqualTo(attempts));
            Assert.That(body.GetProperty("last_response_status").GetInt32(), Is.EqualTo(responseStatus));
            Assert.That(body.GetProperty("last_attempt_at").GetString(), Is.EqualTo(last.GetProperty("started_at").GetString()));
            Assert.That(body.GetProperty("last_attempt_at").GetString(), Is.EqualTo(GetDeliveryTests.Text(stored.LastAttemptAt!.Value)));
            Assert.That(last.EnumerateObject().Select(p => p.Name), Is.EqualTo(GetDeliveryTests.AttemptKeys));
            Assert.That(last.GetProperty("number").GetInt32(), Is.EqualTo(attempts));
            Assert.That(last.GetProperty("trigger").GetString(), Is.EqualTo("manual"));
            Assert.That(last.GetProperty("response_status").GetInt32(), Is.EqualTo(responseStatus));
            Assert.That(last.GetProperty("response_body").GetString(), Is.EqualTo(responseBody));
            Assert.That(last.GetProperty("error").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(last.GetProperty("duration_ms").GetInt32(), Is.EqualTo(stored.Attempts[^1].DurationMs));
            Assert.That(stored.Attempts[^1].Trigger, Is.EqualTo(AttemptTrigger.Manual));
            Assert.That(stored.Attempts.Take(attempts - 1).Select(a => a.Trigger), Is.All.EqualTo(AttemptTrigger.Scheduled));
        }

        using var read = await api.GetAsync($"/v1/deliveries/{stored.Id}");
        Assert.That(JsonElement.DeepEquals(await ApiAssert.JsonSuccess(read), body), Is.True, "GET shows what the retry returned");
    }

    /// <summary>Records the scheduled failures left through the domain, as the worker would: the delivery has failed.</summary>
    private async Task FailForGoodAsync(Guid deliveryId)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        var delivery = await db.Set<Delivery>().SingleAsync(d => d.Id == deliveryId);
        var options = scope.ServiceProvider.GetRequiredService<Infrastructure.Deliveries.DeliveryOptions>();
        while (!delivery.HasEnded)
        {
            delivery.RecordAttempt(new AttemptResult(503, TimeSpan.FromMilliseconds(5), null, null), DateTimeOffset.UtcNow, AttemptTrigger.Scheduled, options.RetrySchedule, 0.5);
        }

        await scope.ServiceProvider.GetRequiredService<Application.Common.Ports.IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        Assert.That(delivery.Status, Is.EqualTo(DeliveryStatus.Failed));
    }
}
