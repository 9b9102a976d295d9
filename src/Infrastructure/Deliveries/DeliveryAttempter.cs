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
/// ended (a scheduled attempt only) or because its receiver no longer takes deliveries
/// (<paramref name="ReceiverStopped"/>: the delivery is canceled, as the receiver's change should
/// already have done).
/// </summary>
public sealed record FinishedAttempt(
    Guid DeliveryId, string Owner, DateTimeOffset StartedAt, AttemptResult? Result, bool ReceiverStopped = false, AttemptTrigger Trigger = AttemptTrigger.Scheduled);

/// <summary>
/// A claimed delivery read for its attempt: the request to send, or none (<see cref="Request"/>
/// <c>null</c>) when nothing is to be sent, because the delivery has ended (a scheduled attempt only)
/// or its receiver no longer takes deliveries (<see cref="ReceiverStopped"/>).
/// </summary>
public sealed record PreparedAttempt(Guid DeliveryId, AttemptTrigger Trigger, PreparedRequest? Request, bool ReceiverStopped);

/// <summary>What an attempt sends: the receiver's URL and secrets (protected; an endpoint's replaced one during its grace), the message id and the envelope.</summary>
public sealed record PreparedRequest(Uri Url, Func<DateTimeOffset, IReadOnlyList<string>> ProtectedSecrets, string MessageId, byte[] Body);

/// <summary>
/// Makes attempts of claimed deliveries: reads the receiver as it is when the attempt starts (its
/// current URL and secret, and an endpoint's replaced secret during its grace), writes the envelope
/// of its <c>api_version</c>, signs it and sends it. A scheduled attempt is made only while the
/// delivery is pending; a manual one whatever its status. The worker reads a whole claim at once
/// (<see cref="PrepareAsync"/>: one query per table, not three per delivery) and sends at once after.
/// </summary>
public sealed class DeliveryAttempter(
    IServiceScopeFactory scopes,
    IWebhookSender sender,
    EnvelopeWriters envelopes,
    ISecretProtector protector,
    IClock clock)
{
    /// <summary>Reads and sends one claimed delivery (a manual attempt).</summary>
    public async Task<FinishedAttempt> AttemptAsync(
        ClaimedDelivery claim, string owner, CancellationToken cancellationToken, AttemptTrigger trigger = AttemptTrigger.Scheduled)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var prepared = await PrepareAsync([claim], trigger, cancellationToken);
        return await SendAsync(prepared[claim.Id], owner, cancellationToken);
    }

    /// <summary>Sends <paramref name="prepared"/> (read by <see cref="PrepareAsync"/> just before), or records that nothing was sent.</summary>
    public async Task<FinishedAttempt> SendAsync(PreparedAttempt prepared, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        if (prepared.Request is not { } request)
        {
            return new FinishedAttempt(prepared.DeliveryId, owner, clock.UtcNow, null, prepared.ReceiverStopped, prepared.Trigger);
        }

        var startedAt = clock.UtcNow;
        var timestamp = startedAt.ToUnixTimeSeconds();
        var secrets = request.ProtectedSecrets(startedAt).Select(protector.Unprotect).ToList();
        var signature = WebhookSignature.Sign(secrets, request.MessageId, timestamp, request.Body);
        var result = await sender.SendAsync(new WebhookRequest(request.Url, request.MessageId, timestamp, signature, request.Body), cancellationToken);
        return new FinishedAttempt(prepared.DeliveryId, owner, startedAt, result, Trigger: prepared.Trigger);
    }

    /// <summary>
    /// Reads <paramref name="claims"/>' deliveries, events and receivers as they are now, in one query
    /// per table, and makes each one's request.
    /// </summary>
    /// <returns>Each claim's prepared attempt, by delivery id.</returns>
    public async Task<IReadOnlyDictionary<Guid, PreparedAttempt>> PrepareAsync(
        IReadOnlyCollection<ClaimedDelivery> claims, AttemptTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claims);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        var ids = claims.Select(c => c.Id).ToList();
        var deliveries = await db.Set<Delivery>().AsNoTracking().Where(d => ids.Contains(d.Id)).ToListAsync(cancellationToken);
        var due = deliveries.Where(d => !d.HasEnded || trigger != AttemptTrigger.Scheduled).ToList();
        var eventIds = due.Select(d => d.EventId).Distinct().ToList();
        var endpointIds = due.Where(d => d.EndpointId is not null).Select(d => d.EndpointId!.Value).Distinct().ToList();
        var clientIds = due.Where(d => d.ClientId is not null).Select(d => d.ClientId!.Value).Distinct().ToList();
        var events = await db.Set<Event>().AsNoTracking().Where(e => eventIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);
        var endpoints = endpointIds.Count == 0
            ? []
            : await db.Set<WebhookEndpoint>().AsNoTracking().Where(e => endpointIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);
        var clients = clientIds.Count == 0
            ? []
            : await db.Set<Client>().AsNoTracking().Where(c => clientIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);

        var prepared = claims.ToDictionary(c => c.Id, c => new PreparedAttempt(c.Id, trigger, null, false));
        foreach (var delivery in due)
        {
            var (request, receiverStopped) = Request(delivery, events[delivery.EventId], endpoints, clients);
            prepared[delivery.Id] = new PreparedAttempt(delivery.Id, trigger, request, receiverStopped);
        }

        return prepared;
    }

    private (PreparedRequest? Request, bool ReceiverStopped) Request(
        Delivery delivery, Event evt, Dictionary<Guid, WebhookEndpoint> endpoints, Dictionary<Guid, Client> clients)
    {
        var messageId = evt.Id.ToString("D");
        if (delivery.EndpointId is { } endpointId)
        {
            return endpoints.TryGetValue(endpointId, out var endpoint) && endpoint.ReceivesDeliveries
                ? (new PreparedRequest(new Uri(endpoint.Url.Value), endpoint.ProtectedSigningSecrets, messageId, envelopes.ForEndpoint(endpoint.ApiVersion, evt)), false)
                : (null, true);
        }

        return delivery.ClientId is { } clientId && clients.TryGetValue(clientId, out var client)
            && client is { ReceivesDeliveries: true, ProtectedWebhookSecret: { } secret, WebhookUrl: { } url }
            ? (new PreparedRequest(new Uri(url.Value), _ => [secret], messageId, EnvelopeWriters.ForClient(evt)), false)
            : (null, true);
    }
}
