using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Deliveries;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Infrastructure.Deliveries;

/// <summary>An attempt to record: its result, or <c>null</c> when nothing was sent (the delivery had ended or its receiver stopped taking deliveries).</summary>
public sealed record FinishedAttempt(Guid DeliveryId, string Owner, DateTimeOffset StartedAt, AttemptResult? Result);

/// <summary>
/// Makes one attempt of a claimed delivery: reads the receiver as it is now (its current URL and
/// secret), writes the envelope of its <c>api_version</c>, signs it and sends it.
/// </summary>
public sealed class DeliveryAttempter(
    IServiceScopeFactory scopes,
    IWebhookSender sender,
    EnvelopeWriters envelopes,
    ISecretProtector protector,
    IClock clock)
{
    public async Task<FinishedAttempt> AttemptAsync(ClaimedDelivery claim, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var request = await PrepareAsync(claim.Id, cancellationToken);
        if (request is null)
        {
            return new FinishedAttempt(claim.Id, owner, clock.UtcNow, null);
        }

        var startedAt = clock.UtcNow;
        var timestamp = startedAt.ToUnixTimeSeconds();
        var signature = WebhookSignature.Sign(protector.Unprotect(request.Value.ProtectedSecret), request.Value.MessageId, timestamp, request.Value.Body);
        var result = await sender.SendAsync(
            new WebhookRequest(request.Value.Url, request.Value.MessageId, timestamp, signature, request.Value.Body), cancellationToken);
        return new FinishedAttempt(claim.Id, owner, startedAt, result);
    }

    private async Task<(Uri Url, string ProtectedSecret, string MessageId, byte[] Body)?> PrepareAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        var delivery = await db.Set<Delivery>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId, cancellationToken);
        if (delivery is null || delivery.HasEnded)
        {
            return null;
        }

        var evt = await db.Set<Event>().AsNoTracking().FirstAsync(e => e.Id == delivery.EventId, cancellationToken);
        var messageId = evt.Id.ToString("D");
        if (delivery.EndpointId is { } endpointId)
        {
            var endpoint = await db.Set<WebhookEndpoint>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == endpointId, cancellationToken);
            return endpoint is { ReceivesDeliveries: true }
                ? (new Uri(endpoint.Url.Value), endpoint.ProtectedSecret, messageId, envelopes.ForEndpoint(endpoint.ApiVersion, evt))
                : null;
        }

        var client = await db.Set<Client>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == delivery.ClientId, cancellationToken);
        return client is { ReceivesDeliveries: true, ProtectedWebhookSecret: { } secret, WebhookUrl: { } url }
            ? (new Uri(url.Value), secret, messageId, EnvelopeWriters.ForClient(evt))
            : null;
    }
}
