using Webhooks.Domain.Common;

namespace Webhooks.Domain.Webhooks;

/// <summary>
/// The fields of a partial update as the caller sent them: an absent field is left unchanged,
/// a present one (even <c>null</c>) is checked against its rule.
/// </summary>
public sealed record WebhookEndpointPatch(
    Optional<string?> Url,
    Optional<string?> Description,
    Optional<IReadOnlyList<string?>?> Events,
    Optional<bool?> Active,
    Optional<string?> ApiVersion)
{
    public const string NotABooleanMessage = "must be a boolean";

    /// <summary>
    /// Checks every present field against the rules that do not need the stored endpoint, recording
    /// violations in <paramref name="errors"/>. An <c>api_version</c> that is <c>null</c> or not a
    /// configured version cannot be the endpoint's own, so it is refused here already.
    /// </summary>
    /// <returns>The checked values of the present fields that passed; the rest are absent.</returns>
    public WebhookEndpointChanges Check(WebhookCatalog catalog, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(errors);
        var changes = WebhookEndpointChanges.None;
        if (Url.HasValue && errors.Add("url", HttpsUrl.Create(Url.Value, catalog.UrlPolicy)) is { } url)
        {
            changes = changes with { Url = url };
        }

        if (Description.HasValue)
        {
            var description = Webhooks.Description.Create(Description.Value);
            changes = description.IsValid ? changes with { Description = description.Value } : changes;
            errors.Add("description", description);
        }

        if (Events.HasValue && errors.Add("events", EventTypeSet.Create(Events.Value, catalog)) is { } events)
        {
            changes = changes with { Events = events };
        }

        if (Active.HasValue)
        {
            changes = Active.Value is bool active ? changes with { Active = active } : changes;
            if (Active.Value is null)
            {
                errors.Add("active", NotABooleanMessage);
            }
        }

        if (ApiVersion.HasValue)
        {
            changes = ApiVersion.Value is { } version && catalog.IsKnownApiVersion(version) ? changes with { ApiVersion = version } : changes;
            if (!changes.ApiVersion.HasValue)
            {
                errors.Add("api_version", WebhookEndpoint.ImmutableApiVersionMessage);
            }
        }

        return changes;
    }
}

/// <summary>
/// A partial update whose fields have passed their rules: an absent field is left unchanged. The
/// endpoint applies it without checking again; only <see cref="ApiVersion"/> needs the stored endpoint.
/// </summary>
public sealed record WebhookEndpointChanges(
    Optional<HttpsUrl> Url = default,
    Optional<Description?> Description = default,
    Optional<EventTypeSet> Events = default,
    Optional<bool> Active = default,
    Optional<string> ApiVersion = default)
{
    public static WebhookEndpointChanges None { get; } = new();
}

/// <summary>The fields of a new endpoint as the caller sent them.</summary>
public sealed record NewWebhookEndpoint(
    string? Url,
    IReadOnlyList<string?>? Events,
    string? Description = null,
    bool Active = true,
    string? ApiVersion = null)
{
    /// <summary>Checks every field, recording violations in <paramref name="errors"/>.</summary>
    /// <returns>The checked values of the fields that passed.</returns>
    public CheckedNewEndpoint Check(WebhookCatalog catalog, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(errors);
        var url = errors.Add("url", HttpsUrl.Create(Url, catalog.UrlPolicy));
        var description = errors.Add("description", Webhooks.Description.Create(Description));
        var events = errors.Add("events", EventTypeSet.Create(Events, catalog));
        var apiVersion = ApiVersion ?? catalog.LatestApiVersion;
        if (!catalog.IsKnownApiVersion(apiVersion))
        {
            errors.Add("api_version", $"must be one of: {string.Join(", ", catalog.ApiVersions)}");
        }

        return new CheckedNewEndpoint(url, description, events, apiVersion);
    }
}

/// <summary>The fields of a new endpoint after their checks (<c>null</c>: refused).</summary>
public sealed record CheckedNewEndpoint(HttpsUrl? Url, Description? Description, EventTypeSet? Events, string ApiVersion);
