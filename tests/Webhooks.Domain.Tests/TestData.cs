using Webhooks.Domain.Clients;

namespace Webhooks.Domain.Tests;

/// <summary>Shared values: the seed's four event types and fixed instants.</summary>
internal static class TestData
{
    public const string BalanceLow = "wallet.balance_low";
    public const string BalanceZero = "wallet.balance_zero";
    public const string PastDue = "subscription.past_due";
    public const string Canceled = "subscription.canceled";

    public const string OlderVersion = "2025-06-01";
    public const string LatestVersion = "2026-04-01";

    public static readonly Guid EndpointId = Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4");
    public static readonly Guid OrgId = Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b5");

    /// <summary>What a secret protector would have made of a signing secret; the domain only keeps it.</summary>
    public const string ProtectedSecret = "protected:whsec_first";

    public static readonly DateTimeOffset CreatedAt = new(2026, 4, 26, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Later = new(2026, 4, 27, 8, 30, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset EvenLater = new(2026, 4, 28, 9, 0, 0, TimeSpan.Zero);

    public static WebhookCatalog Catalog { get; } = new(
        [
            new EventType(BalanceLow, "A wallet's balance fell below its low-balance threshold."),
            new EventType(BalanceZero, "A wallet's balance reached zero."),
            new EventType(PastDue, "A subscription payment is past due."),
            new EventType(Canceled, "A subscription was canceled."),
        ],
        [OlderVersion, LatestVersion]);

    /// <summary>The resource of the contract: https://hooks.example.com/y3labs/ops, "Ops alerts", two wallet events, active, latest version.</summary>
    public static WebhookEndpoint NewEndpoint() => Endpoints.Register(
        EndpointId,
        OrgId,
        new NewWebhookEndpoint("https://hooks.example.com/y3labs/ops", [BalanceLow, BalanceZero], "Ops alerts"),
        Catalog,
        ProtectedSecret,
        CreatedAt);

    public static WebhookEndpointPatch Patch(
        Optional<string?> url = default,
        Optional<string?> description = default,
        Optional<IReadOnlyList<string?>?> events = default,
        Optional<bool?> active = default,
        Optional<string?> apiVersion = default) => new(url, description, events, active, apiVersion);

    public static string Repeat(string unit, int count) => string.Concat(Enumerable.Repeat(unit, count));
}

/// <summary>
/// The path every caller takes: what was sent is checked by the domain's factories
/// (<see cref="NewWebhookEndpoint.Check"/>, <see cref="WebhookEndpointPatch.Check"/>), every violation
/// is thrown at once, and the endpoint takes the checked values.
/// </summary>
internal static class Endpoints
{
    public static WebhookEndpoint Register(Guid id, Guid orgId, NewWebhookEndpoint request, WebhookCatalog catalog, string protectedSecret, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var fields = request.Check(catalog, errors);
        errors.ThrowIfAny();
        return WebhookEndpoint.Create(id, orgId, fields.Url!, fields.Description, fields.Events!, request.Active, fields.ApiVersion, protectedSecret, now);
    }

    public static bool Patch(this WebhookEndpoint endpoint, WebhookEndpointPatch patch, WebhookCatalog catalog, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var changes = patch.Check(catalog, errors);
        errors.ThrowIfAny();
        return endpoint.Patch(changes, now);
    }
}

/// <summary>A client's webhook URL as a client sends it: checked by <see cref="Client.WebhookUrlFrom"/>, then set.</summary>
internal static class ClientWebhookUrls
{
    public static bool SetWebhookUrl(this Client client, string? raw, DateTimeOffset now) => client.SetWebhookUrl(raw, UrlPolicy.PublicInternetOnly, now);

    public static bool SetWebhookUrl(this Client client, string? raw, UrlPolicy policy, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var url = errors.Add("webhook_url", Client.WebhookUrlFrom(raw, policy));
        errors.ThrowIfAny();
        return client.SetWebhookUrl(url, now);
    }
}

/// <summary>Every property of an endpoint, as plain comparable values.</summary>
public sealed record EndpointSnapshot(
    Guid Id,
    Guid OrgId,
    string Url,
    string? Description,
    IReadOnlyList<string> Events,
    bool Active,
    string ApiVersion,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeletedAt,
    int Revision,
    string ProtectedSecret,
    string? PreviousProtectedSecret,
    DateTimeOffset? PreviousSecretExpiresAt)
{
    public static EndpointSnapshot Of(WebhookEndpoint endpoint) => new(
        endpoint.Id,
        endpoint.OrgId,
        endpoint.Url.Value,
        endpoint.Description?.Value,
        [.. endpoint.Events],
        endpoint.Active,
        endpoint.ApiVersion,
        endpoint.CreatedAt,
        endpoint.UpdatedAt,
        endpoint.DeletedAt,
        endpoint.Revision,
        endpoint.ProtectedSecret,
        endpoint.PreviousProtectedSecret,
        endpoint.PreviousSecretExpiresAt);

    public bool Equals(EndpointSnapshot? other) =>
        other is not null
        && (Id, OrgId, Url, Description, Active, ApiVersion, CreatedAt, UpdatedAt, DeletedAt, Revision, ProtectedSecret)
            == (other.Id, other.OrgId, other.Url, other.Description, other.Active, other.ApiVersion, other.CreatedAt, other.UpdatedAt, other.DeletedAt, other.Revision, other.ProtectedSecret)
        && Events.SequenceEqual(other.Events);

    public override int GetHashCode() => HashCode.Combine(Id, Url, UpdatedAt);

    public override string ToString() =>
        $"{{ Url = {Url}, Description = {Description ?? "null"}, Events = [{string.Join(", ", Events)}], Active = {Active}, ApiVersion = {ApiVersion}, CreatedAt = {CreatedAt:O}, UpdatedAt = {UpdatedAt:O}, DeletedAt = {DeletedAt?.ToString("O") ?? "null"}, Revision = {Revision}, ProtectedSecret = {ProtectedSecret} }}";
}
