using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Webhooks.Api.OpenApi;

/// <summary>Title, the two security schemes, the tags; and no servers, so that the document is the same wherever it is generated.</summary>
internal sealed class DocumentTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Webhooks configuration service",
            Version = "v1",
            Description = "Two surfaces: the Webhooks API v1 under /v1 (an organization's back end; Bearer API key; errors in the "
                + "{\"success\": false, \"error\": {...}} envelope) and the Clients API under /clients (a device-API client; HTTP Basic "
                + "with client_id and client_secret; errors as RFC 7807 problem details). Every response carries X-Request-Id.",
        };
        document.Servers = [];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
        {
            [SecuritySchemes.Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "am_live_...",
                Description = "Webhooks API v1: `Authorization: Bearer am_live_...`, an API key of one organization with scopes "
                    + "`webhooks:read` (GET), `webhooks:write` (POST, PATCH, DELETE; it also allows reading), `events:write` (publish events) "
                    + "and `clients:events:write` (publish events to device-API clients).",
            },
            [SecuritySchemes.Basic] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "basic",
                Description = "Clients API: HTTP Basic with user name = client_id and password = client_secret.",
            },
        };
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = OpenApiTags.Webhooks, Description = "Webhooks API v1: an organization's webhook endpoints." },
            new() { Name = OpenApiTags.Events, Description = "Webhooks API v1: publishing events, to an organization's endpoints and to device-API clients." },
            new() { Name = OpenApiTags.Deliveries, Description = "Webhooks API v1: what happened to each delivery of an event to an endpoint, attempt by attempt." },
            new() { Name = OpenApiTags.Clients, Description = "Clients API: the authenticated device-API client's webhook URL and signing secret." },
        };
        return Task.CompletedTask;
    }
}

/// <summary>The names of the security schemes in the document.</summary>
public static class SecuritySchemes
{
    public const string Bearer = "apiKey";

    public const string Basic = "clientCredentials";
}

/// <summary>The operation tags: one per surface (and one generated client class per tag).</summary>
public static class OpenApiTags
{
    public const string Webhooks = "Webhooks";

    public const string Clients = "Clients";

    public const string Events = "Events";

    public const string Deliveries = "Deliveries";
}
