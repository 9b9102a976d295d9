using Webhooks.Domain.Common;

namespace Webhooks.Domain.Webhooks;

/// <summary>
/// Where and how an organization's webhooks are delivered. Every change goes through a method
/// that checks before it changes anything; <see cref="UpdatedAt"/> moves only when a value changed.
/// </summary>
public sealed class WebhookEndpoint
{
    public const string ImmutableApiVersionMessage = "is immutable; create a new endpoint at the new version";

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

    public bool IsDeleted => DeletedAt is not null;

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
        return new WebhookEndpoint
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
    }

    /// <summary>
    /// Creates an endpoint from what a caller sent, checking every rule and reporting all
    /// violations together.
    /// </summary>
    public static WebhookEndpoint Register(Guid id, Guid orgId, NewWebhookEndpoint request, WebhookCatalog catalog, string protectedSecret, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(catalog);
        var errors = new ValidationErrors();
        var fields = request.Check(catalog, errors);
        errors.ThrowIfAny();
        return Create(id, orgId, fields.Url!, fields.Description, fields.Events!, request.Active, fields.ApiVersion, protectedSecret, now);
    }

    /// <summary>
    /// Applies a partial update. Every present field is checked first and all violations are
    /// reported together; nothing changes unless all pass.
    /// </summary>
    /// <returns>Whether any value changed.</returns>
    public bool Patch(WebhookEndpointPatch patch, WebhookCatalog catalog, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(patch);
        ArgumentNullException.ThrowIfNull(catalog);
        EnsureNotDeleted();

        var errors = new ValidationErrors();
        var fields = patch.Check(catalog, errors);
        if (patch.ApiVersion.HasValue && !string.Equals(patch.ApiVersion.Value, ApiVersion, StringComparison.Ordinal))
        {
            errors.Add("api_version", ImmutableApiVersionMessage);
        }

        errors.ThrowIfAny();

        // One revision, and one updated_at, for the whole patch.
        var changed = false;
        changed |= fields.Url is not null && Set(Url == fields.Url, () => Url = fields.Url);
        changed |= fields.HasDescription && Set(Description == fields.Description, () => Description = fields.Description);
        changed |= fields.Events is not null && Set(fields.Events.Matches(_events), () => _events = [.. fields.Events.Items]);
        changed |= fields.Active is bool active && Set(Active == active, () => Active = active);
        if (changed)
        {
            Touch(now);
        }

        return changed;
    }

    public bool ChangeUrl(HttpsUrl url, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Change(Url == url, () => Url = url, now);
    }

    public bool Relabel(Description? description, DateTimeOffset now) =>
        Change(Description == description, () => Description = description, now);

    public bool ReplaceEvents(EventTypeSet events, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(events);
        return Change(events.Matches(_events), () => _events = [.. events.Items], now);
    }

    public bool Activate(DateTimeOffset now) => Change(Active, () => Active = true, now);

    public bool Deactivate(DateTimeOffset now) => Change(!Active, () => Active = false, now);

    /// <summary>Replaces the signing secret (given in its protected form).</summary>
    public void RotateSecret(string protectedSecret, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(protectedSecret);
        Change(false, () => ProtectedSecret = protectedSecret, now);
    }

    /// <summary>Marks the endpoint deleted; from then on it behaves as not found. Its row stays for the record.</summary>
    public void Delete(DateTimeOffset now) => Change(false, () => DeletedAt = now, now);

    private bool Change(bool unchanged, Action apply, DateTimeOffset now)
    {
        EnsureNotDeleted();
        if (!Set(unchanged, apply))
        {
            return false;
        }

        Touch(now);
        return true;
    }

    private static bool Set(bool unchanged, Action apply)
    {
        if (unchanged)
        {
            return false;
        }

        apply();
        return true;
    }

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
