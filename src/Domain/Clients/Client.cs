using Webhooks.Domain.Common;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Domain.Clients;

/// <summary>
/// A device-API client: one per customer, authenticated by its client credentials, with at most one
/// webhook URL (the same HTTPS rule as webhook endpoints). Only the secret's hash is kept.
/// </summary>
public sealed class Client
{
    public const int MaxCustomerIdLength = 200;

    public const string WebhookUrlRequiredMessage = "is required; send an empty string to clear the webhook URL";

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

    public static Client Register(Guid id, string? customerId, string secretHash, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretHash);
        var trimmed = customerId?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new ValidationFailedException("customer_id", "must not be empty");
        }

        if (trimmed.Length > MaxCustomerIdLength || trimmed.Any(char.IsControl))
        {
            throw new ValidationFailedException("customer_id", $"must be at most {MaxCustomerIdLength} characters without control characters");
        }

        return new Client { Id = id, CustomerId = trimmed, SecretHash = secretHash, CreatedAt = now, UpdatedAt = now };
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
        return true;
    }

    /// <summary>Suspends the client: it still authenticates, but may do nothing. Suspending twice keeps the first time.</summary>
    public void Suspend(DateTimeOffset now)
    {
        if (SuspendedAt is null)
        {
            SuspendedAt = now;
            UpdatedAt = now;
        }
    }
}
