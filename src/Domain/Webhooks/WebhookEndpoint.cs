using Webhooks.Domain.Common;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Domain.Webhooks;

/// <summary>
/// Where and how an organization's webhooks are delivered. Every change goes through a method
/// that checks before it changes anything; <see cref="UpdatedAt"/> moves only when a value changed.
/// </summary>
public sealed class WebhookEndpoint : IHasDomainEvents
{
    public const string ImmutableApiVersionMessage = "is immutable; create a new endpoint at the new version";

    /// <summary>Why the service deactivates an endpoint whose receiver answered <c>410 Gone</c>.</summary>
    public const string ReceiverGoneReason = "the receiver answered 410 Gone";

    private static readonly IReadOnlyDictionary<string, FieldChange> NoFields = new Dictionary<string, FieldChange>();

    private readonly DomainEventList _domainEvents = new();

    private List<string> _events = [];

    private WebhookEndpoint()
    {
        // For EF Core.
    }

    public Guid Id { get; private set; }

    public Guid OrgId { get; private set; }

    public HttpsUrl Url { get; private set; } = null!;

    public Description? Description { get; private set; }

    public IReadOnlyList<string> Events => _events;

    public bool Active { get; private set; }

    public string ApiVersion { get; private set; } = null!;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? DeletedAt { get; private set; }

    /// <summary>
    /// Grows by one with every change: the optimistic-concurrency token, and the basis of the
    /// endpoint's ETag.
    /// </summary>
    public int Revision { get; private set; }

    /// <summary>The signing secret in its protected (encrypted) form; the plain secret is never kept.</summary>
    public string ProtectedSecret { get; private set; } = null!;

    /// <summary>The secret a rotation replaced, in its protected form, while it still signs; <c>null</c> when none does.</summary>
    public string? PreviousProtectedSecret { get; private set; }

    /// <summary>When <see cref="PreviousProtectedSecret"/> stops signing.</summary>
    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }

    public bool IsDeleted => DeletedAt is not null;

    /// <summary>Whether deliveries go here now: active and not deleted.</summary>
    public bool ReceivesDeliveries => Active && !IsDeleted;

    /// <summary>
    /// <see cref="WebhookEndpointChanged"/> for every change (its history), and <see cref="DeliveriesStopped"/>
    /// when the endpoint was deactivated or deleted.
    /// </summary>
    public IReadOnlyList<IDomainEvent> DomainEvents => _domainEvents.Items;

    public void ClearDomainEvents() => _domainEvents.Clear();

    /// <summary>Creates an endpoint from checked values.</summary>
    public static WebhookEndpoint Create(
        Guid id,
        Guid orgId,
        HttpsUrl url,
        Description? description,
        EventTypeSet events,
        bool active,
        string apiVersion,
        string protectedSecret,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentException.ThrowIfNullOrEmpty(apiVersion);
        ArgumentException.ThrowIfNullOrEmpty(protectedSecret);
        var endpoint = new WebhookEndpoint
        {
            Id = id,
            OrgId = orgId,
            Url = url,
            Description = description,
            _events = [.. events.Items],
            Active = active,
            ApiVersion = apiVersion,
            ProtectedSecret = protectedSecret,
            Revision = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        endpoint.Record(
            EndpointChangeAction.Created,
            now,
            new Dictionary<string, FieldChange>(StringComparer.Ordinal)
            {
                [EndpointFields.Url] = new(null, url.Value),
                [EndpointFields.Description] = new(null, description?.Value),
                [EndpointFields.Events] = new(null, endpoint._events.ToArray()),
                [EndpointFields.Active] = new(null, active),
                [EndpointFields.ApiVersion] = new(null, apiVersion),
            });
        return endpoint;
    }

    /// <summary>
    /// Applies a partial update of checked values (<see cref="WebhookEndpointPatch.Check"/>). The one
    /// rule that needs the stored endpoint is checked here: <c>api_version</c> is immutable.
    /// Nothing changes unless it passes.
    /// </summary>
    /// <returns>Whether any value changed.</returns>
    public bool Patch(WebhookEndpointChanges changes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(changes);
        EnsureNotDeleted();
        if (changes.ApiVersion.HasValue && !string.Equals(changes.ApiVersion.Value, ApiVersion, StringComparison.Ordinal))
        {
            throw new ValidationFailedException("api_version", ImmutableApiVersionMessage);
        }

        // One revision, one updated_at and one history entry for the whole patch.
        var wasReceiving = ReceivesDeliveries;
        var changed = new Dictionary<string, FieldChange>(StringComparer.Ordinal);
        if (changes.Url.HasValue && Url != changes.Url.Value)
        {
            changed[EndpointFields.Url] = new(Url.Value, changes.Url.Value.Value);
            Url = changes.Url.Value;
        }

        if (changes.Description.HasValue && Description != changes.Description.Value)
        {
            changed[EndpointFields.Description] = new(Description?.Value, changes.Description.Value?.Value);
            Description = changes.Description.Value;
        }

        if (changes.Events.HasValue && !changes.Events.Value.Matches(_events))
        {
            changed[EndpointFields.Events] = new(_events.ToArray(), changes.Events.Value.Items.ToArray());
            _events = [.. changes.Events.Value.Items];
        }

        if (changes.Active.HasValue && Active != changes.Active.Value)
        {
            changed[EndpointFields.Active] = new(Active, changes.Active.Value);
            Active = changes.Active.Value;
        }

        if (changed.Count == 0)
        {
            return false;
        }

        Touch(now);
        Record(EndpointChangeAction.Updated, now, changed);
        StopDeliveriesIfNoLongerReceiving(wasReceiving);
        return true;
    }

    /// <summary>
    /// Replaces the signing secret (given in its protected form). The replaced one keeps signing for
    /// <paramref name="grace"/>; a secret replaced earlier stops at once (one old secret at most,
    /// as receivers check each entry against the secrets they know).
    /// </summary>
    public void RotateSecret(string protectedSecret, SecretGrace grace, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(protectedSecret);
        ArgumentNullException.ThrowIfNull(grace);
        EnsureNotDeleted();
        var keepsSigning = grace.Duration > TimeSpan.Zero;
        PreviousProtectedSecret = keepsSigning ? ProtectedSecret : null;
        PreviousSecretExpiresAt = keepsSigning ? now + grace.Duration : null;
        ProtectedSecret = protectedSecret;
        Touch(now);
        Record(EndpointChangeAction.SecretRotated, now, NoFields);
    }

    /// <summary>The protected secrets that sign a webhook sent at <paramref name="at"/>: the current one, then the previous one during its grace.</summary>
    public IReadOnlyList<string> ProtectedSigningSecrets(DateTimeOffset at) =>
        PreviousProtectedSecret is { } previous && at < PreviousSecretExpiresAt ? [ProtectedSecret, previous] : [ProtectedSecret];

    /// <summary>
    /// Marks the endpoint deleted; from then on it behaves as not found. Its row stays for the record.
    /// Whatever is still pending is canceled, even when the endpoint was inactive: a delivery fanned
    /// out while it was being deactivated may still be pending.
    /// </summary>
    public void Delete(DateTimeOffset now)
    {
        EnsureNotDeleted();
        DeletedAt = now;
        Touch(now);
        Record(EndpointChangeAction.Deleted, now, NoFields);
        _domainEvents.Raise(new DeliveriesStopped(DeliveryTarget.Endpoint(Id)));
    }

    /// <summary>
    /// The service turns delivery off as if the owner had sent <c>active: false</c>: when a receiver
    /// answers <c>410 Gone</c> (<see cref="ReceiverGoneReason"/>), or has failed for too long. Pending
    /// deliveries are canceled; the history names the service and <paramref name="reason"/>.
    /// </summary>
    /// <returns>Whether the endpoint was active.</returns>
    public bool Deactivate(DateTimeOffset now, string reason = ReceiverGoneReason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (IsDeleted || !Active)
        {
            return false;
        }

        Active = false;
        Touch(now);
        Record(
            EndpointChangeAction.Deactivated,
            now,
            new Dictionary<string, FieldChange>(StringComparer.Ordinal) { [EndpointFields.Active] = new(true, false) },
            reason);
        StopDeliveriesIfNoLongerReceiving(wasReceiving: true);
        return true;
    }

    private void StopDeliveriesIfNoLongerReceiving(bool wasReceiving)
    {
        if (wasReceiving && !ReceivesDeliveries)
        {
            _domainEvents.Raise(new DeliveriesStopped(DeliveryTarget.Endpoint(Id)));
        }
    }

    private void Record(EndpointChangeAction action, DateTimeOffset now, IReadOnlyDictionary<string, FieldChange> changes, string? systemReason = null) =>
        _domainEvents.Raise(new WebhookEndpointChanged(Id, action, changes, now, systemReason));

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Revision++;
    }

    private void EnsureNotDeleted()
    {
        if (IsDeleted)
        {
            throw new InvalidOperationException("A deleted endpoint cannot change.");
        }
    }
}
