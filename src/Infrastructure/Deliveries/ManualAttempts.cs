using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Deliveries;
using Webhooks.Domain.Deliveries;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Infrastructure.Deliveries;

/// <summary>
/// A manual attempt (docs/decisions/0015-manual-retry-and-recover.md): claims the one delivery with
/// the worker's lease (refused while another attempt holds it), attempts it through the worker's
/// attempter and sender, and records the result (trigger <c>manual</c>) with the worker's recorder,
/// which also releases the lease. The attempt and its record are not canceled with the request: the
/// sender's time-out bounds them, and a result that is sent is always written.
/// </summary>
public sealed class ManualAttempts(
    IServiceScopeFactory scopes,
    DeliveryClaims claims,
    DeliveryAttempter attempter,
    AttemptRecorder recorder,
    DeliveryOptions options,
    IClock clock) : IManualAttempts
{
    public async Task<ManualAttemptOutcome> AttemptAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        var owner = "manual:" + Guid.NewGuid().ToString("N");
        ClaimedDelivery? claim;
        await using (var scope = scopes.CreateAsyncScope())
        {
            claim = await claims.ClaimOneAsync(
                scope.ServiceProvider.GetRequiredService<WebhooksDbContext>(), owner, deliveryId, clock.UtcNow, options.Lease, cancellationToken);
        }

        if (claim is null)
        {
            return ManualAttemptOutcome.InProgress;
        }

        FinishedAttempt finished;
        try
        {
            finished = await attempter.AttemptAsync(claim, owner, CancellationToken.None, AttemptTrigger.Manual);
        }
        catch (Exception)
        {
            await recorder.RecordAsync(new FinishedAttempt(claim.Id, owner, clock.UtcNow, null, Trigger: AttemptTrigger.Manual), CancellationToken.None);
            throw;
        }

        await recorder.RecordAsync(finished, CancellationToken.None);
        return finished.ReceiverStopped ? ManualAttemptOutcome.ReceiverStopped : ManualAttemptOutcome.Attempted;
    }
}
