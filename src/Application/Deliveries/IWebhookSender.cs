using Webhooks.Domain.Deliveries;

namespace Webhooks.Application.Deliveries;

/// <summary>One signed webhook request, ready to send: the body bytes are sent exactly as given.</summary>
/// <param name="Url">The receiver's URL as it is now (it passed the HTTPS rule when it was set).</param>
/// <param name="MessageId">The <c>webhook-id</c> header: the event's id.</param>
/// <param name="Timestamp">The <c>webhook-timestamp</c> header: Unix seconds of this attempt.</param>
/// <param name="Signature">The <c>webhook-signature</c> header (one or more space-separated <c>v1,</c> entries).</param>
public sealed record WebhookRequest(Uri Url, string MessageId, long Timestamp, string Signature, ReadOnlyMemory<byte> Body);

/// <summary>
/// Sends webhook requests. Never throws for anything the receiver or the network does (that is an
/// <see cref="AttemptResult"/> with an error); only cancellation of <c>cancellationToken</c> (the
/// process stopping) ends it with <see cref="OperationCanceledException"/>.
/// </summary>
public interface IWebhookSender
{
    Task<AttemptResult> SendAsync(WebhookRequest request, CancellationToken cancellationToken);
}
