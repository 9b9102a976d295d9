using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Deliveries;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Infrastructure.Deliveries;

/// <summary>
/// An attempt to record: its result, or <c>null</c> when nothing was sent, because the delivery had
/// ended or because its receiver no longer takes deliveries (<paramref name="ReceiverStopped"/>: the
/// delivery is canceled, as the receiver's change should already have done).
/// </summary>
public sealed record FinishedAttempt(Guid DeliveryId, string Owner, DateTimeOffset StartedAt, AttemptResult? Result, bool ReceiverStopped = false);

/// <summary>
/// Makes one attempt of a claimed delivery: reads the receiver as it is now (its current URL and
/// secret, and an endpoint's replaced secret during its grace), writes the envelope of its
/// <c>api_version</c>, signs it and sends it.
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
        var (request, receiverStopped) = await PrepareAsync(claim.Id, cancellationToken);
        if (request is null)
        {
            return new FinishedAttempt(claim.Id, owner, clock.UtcNow, null, receiverStopped);
        }

        var startedAt = clock.UtcNow;
        var timestamp = startedAt.ToUnixTimeSeconds();
        var secrets = request.Value.ProtectedSecrets(startedAt).Select(protector.Unprotect).ToList();
        var signature = WebhookSignature.Sign(secrets, request.Value.MessageId, timestamp, request.Value.Body);
        var result = await sender.SendAsync(
            new WebhookRequest(request.Value.Url, request.Value.MessageId, timestamp, signature, request.Value.Body), cancellationToken);
        return new FinishedAttempt(claim.Id, owner, startedAt, result);
    }

    private async Task<((Uri Url, Func<DateTimeOffset, IReadOnlyList<string>> ProtectedSecrets, string MessageId, byte[] Body)? Request, bool ReceiverStopped)> PrepareAsync(
        Guid deliveryId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        var delivery = await db.Set<Delivery>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId, cancellationToken);
        if (delivery is null || delivery.HasEnded)
        {
            return (null, false);
        }

        var evt = await db.Set<Event>().AsNoTracking().FirstAsync(e => e.Id == delivery.EventId, cancellationToken);
        var messageId = evt.Id.ToString("D");
        if (delivery.EndpointId is { } endpointId)
        {
            var endpoint = await db.Set<WebhookEndpoint>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == endpointId, cancellationToken);
            return endpoint is { ReceivesDeliveries: true }
                ? ((new Uri(endpoint.Url.Value), endpoint.ProtectedSigningSecrets, messageId, envelopes.ForEndpoint(endpoint.ApiVersion, evt)), false)
                : (null, true);
        }

        var client = await db.Set<Client>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == delivery.ClientId, cancellationToken);
        return client is { ReceivesDeliveries: true, ProtectedWebhookSecret: { } secret, WebhookUrl: { } url }
            ? ((new Uri(url.Value), _ => [secret], messageId, EnvelopeWriters.ForClient(evt)), false)
            : (null, true);
    }
}
