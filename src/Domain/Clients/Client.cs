using Webhooks.Domain.Common;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Domain.Clients;

/// <summary>
/// A device-API client: one per customer, authenticated by its client credentials, with at most one
/// webhook URL (the same HTTPS rule as webhook endpoints). Only the secret's hash is kept.
/// </summary>
public sealed class Client : IHasDomainEvents
{
    public const int MaxCustomerIdLength = 200;

    public const string WebhookUrlRequiredMessage = "is required; send an empty string to clear the webhook URL";

    private readonly DomainEventList _domainEvents = new();

    private Client()
    {
        // For EF Core.
    }

    public Guid Id { get; private set; }

    public string CustomerId { get; private set; } = null!;

    /// <summary>Lower-case hex SHA-256 of the client secret.</summary>
    public string SecretHash { get; private set; } = null!;

    public HttpsUrl? WebhookUrl { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? SuspendedAt { get; private set; }

    public bool IsSuspended => SuspendedAt is not null;

    /// <summary>
    /// The secret that signs the client's webhooks, in its protected (encrypted) form. <c>null</c> only
    /// for a client registered before clients had one, until the start-up step gives it one.
    /// </summary>
    public string? ProtectedWebhookSecret { get; private set; }

    /// <summary>Whether deliveries go to this client now: it has a webhook URL and is not suspended.</summary>
    public bool ReceivesDeliveries => WebhookUrl is not null && !IsSuspended;

    /// <summary><see cref="DeliveriesStopped"/> when the URL was cleared or the client suspended (once, however often).</summary>
    public IReadOnlyList<IDomainEvent> DomainEvents => _domainEvents.Items;

    public void ClearDomainEvents() => _domainEvents.Clear();

    public static Client Register(Guid id, string? customerId, string secretHash, string protectedWebhookSecret, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretHash);
        ArgumentException.ThrowIfNullOrEmpty(protectedWebhookSecret);
        var trimmed = customerId?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new ValidationFailedException("customer_id", "must not be empty");
        }

        if (trimmed.Length > MaxCustomerIdLength || trimmed.Any(char.IsControl))
        {
            throw new ValidationFailedException("customer_id", $"must be at most {MaxCustomerIdLength} characters without control characters");
        }

        return new Client
        {
            Id = id,
            CustomerId = trimmed,
            SecretHash = secretHash,
            ProtectedWebhookSecret = protectedWebhookSecret,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// The webhook URL a client sent: trimmed, empty clears it (a valid <c>null</c>), anything else
    /// must pass the HTTPS rule. <c>null</c> is refused with a message that says how to clear.
    /// </summary>
    public static Outcome<HttpsUrl?> WebhookUrlFrom(string? raw, UrlPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (raw is null)
        {
            return Outcome<HttpsUrl?>.Invalid(WebhookUrlRequiredMessage);
        }

        if (raw.Trim().Length == 0)
        {
            return Outcome<HttpsUrl?>.Valid(null);
        }

        var url = HttpsUrl.Create(raw, policy);
        return url.IsValid ? Outcome<HttpsUrl?>.Valid(url.Value) : Outcome<HttpsUrl?>.Invalid(url.Errors);
    }

    /// <summary>Sets (or, with <c>null</c>, clears) the webhook URL, checked by <see cref="WebhookUrlFrom"/>.</summary>
    /// <returns>Whether the URL changed.</returns>
    public bool SetWebhookUrl(HttpsUrl? url, DateTimeOffset now)
    {
        if (WebhookUrl == url)
        {
            return false;
        }

        WebhookUrl = url;
        UpdatedAt = now;
        if (url is null)
        {
            StopDeliveries();
        }

        return true;
    }

    /// <summary>
    /// Gives a client registered before clients had a webhook signing secret its first one. Not a
    /// change the client made: <see cref="UpdatedAt"/> stays.
    /// </summary>
    /// <returns>Whether the client had none.</returns>
    public bool GiveFirstWebhookSecret(string protectedWebhookSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(protectedWebhookSecret);
        if (ProtectedWebhookSecret is not null)
        {
            return false;
        }

        ProtectedWebhookSecret = protectedWebhookSecret;
        return true;
    }

    /// <summary>Replaces the webhook signing secret (given in its protected form); the old one signs nothing more.</summary>
    public void RotateWebhookSecret(string protectedWebhookSecret, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(protectedWebhookSecret);
        ProtectedWebhookSecret = protectedWebhookSecret;
        UpdatedAt = now;
    }

    /// <summary>Suspends the client: it still authenticates, but may do nothing. Suspending twice keeps the first time.</summary>
    public void Suspend(DateTimeOffset now)
    {
        if (SuspendedAt is null)
        {
            SuspendedAt = now;
            UpdatedAt = now;
            StopDeliveries();
        }
    }

    /// <summary>
    /// Clearing the URL and suspending cancel whatever is pending, whether or not the client received
    /// deliveries just before: a delivery published while the URL was being cleared may still be pending.
    /// </summary>
    private void StopDeliveries() => _domainEvents.Raise(new DeliveriesStopped(DeliveryTarget.Client(Id)));
}
