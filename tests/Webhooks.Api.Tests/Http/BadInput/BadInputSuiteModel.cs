using System.Globalization;

namespace Webhooks.Api.Tests.Http.BadInput;

/// <summary>What a request does to the stored data if the service accepts it (a 2xx).</summary>
public enum EffectKind
{
    None,
    Create,
    Patch,
    Delete,
    ClientPatch,
}

/// <summary>The stored data a request may change if it is accepted: the model applies it only then.</summary>
public sealed record Effect(EffectKind Kind, Guid? OrgId = null, string? EndpointId = null, Guid? ClientId = null)
{
    public static Effect None { get; } = new(EffectKind.None);
}

/// <summary>One generated request of the bad-input suite.</summary>
public sealed record SuiteCase(string Category, HttpMethod Method, string Path)
{
    /// <summary>The <c>Authorization</c> values sent (none when null; two for a duplicated header).</summary>
    public string[]? Authorization { get; init; }

    public byte[]? Body { get; init; }

    /// <summary>The <c>Content-Type</c> sent with the body (none when null).</summary>
    public string? ContentType { get; init; }

    public (string Name, string Value)[] Headers { get; init; } = [];

    /// <summary>The statuses the contract allows for this request (any but 5xx when null).</summary>
    public int[]? Expect { get; init; }

    /// <summary>A field the error must name, and (when not null) its message.</summary>
    public (string Field, string? Message)? Detail { get; init; }

    public Effect Effect { get; init; } = Effect.None;

    /// <summary>
    /// Sent by setting the server's <c>HttpContext</c> directly: the path reaches the application as
    /// written (no dot-segment removal, no decoding), and headers exactly as given.
    /// </summary>
    public bool Raw { get; init; }

    private static string Short(string text) =>
        JsonSerializer.Serialize(text.Length > 60 ? text[..60] + $"...({text.Length} chars)" : text);

    public string Describe()
    {
        var body = Body is null ? "" : Encoding.UTF8.GetString(Body);
        if (body.Length > 120)
        {
            body = body[..120] + $"...({Body!.Length} bytes)";
        }

        var path = Path.Length > 120 ? Path[..120] + $"...({Path.Length} chars)" : Path;
        var headers = Headers.Select(h => $"{h.Name}: {Short(h.Value)}")
            .Concat((Authorization ?? []).Select(a => "Authorization: " + Short(a)))
            .Append("Content-Type: " + (ContentType ?? "(none)"));
        return $"[{Category}] {Method} {path} {body} ({string.Join("; ", headers)}{(Raw ? "; raw" : "")})";
    }
}

/// <summary>One endpoint as the accepted requests alone would have left it.</summary>
public sealed class EndpointModel
{
    public required Guid OrgId { get; init; }

    public required string Url { get; set; }

    public string? Description { get; set; }

    public required List<string> Events { get; set; }

    public bool Active { get; set; } = true;

    public required string ApiVersion { get; init; }

    public bool Deleted { get; set; }
}

/// <summary>
/// The stored data that the accepted requests alone produce, computed from the requests by the
/// contract's rules (not from the responses, except a new endpoint's id).
/// </summary>
public sealed class StoreModel
{
    public const string DefaultApiVersion = "2026-04-01";

    public Dictionary<string, EndpointModel> Endpoints { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Each client's webhook URL, <c>""</c> when none.</summary>
    public Dictionary<Guid, string> ClientUrls { get; } = [];

    /// <summary>Applies an accepted request; returns why it could not, or null.</summary>
    public string? Apply(SuiteCase request, string responseBody)
    {
        var effect = request.Effect;
        if (effect.Kind == EffectKind.None)
        {
            return null;
        }

        if (effect.Kind == EffectKind.Delete)
        {
            Endpoints[effect.EndpointId!].Deleted = true;
            return null;
        }

        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(request.Body ?? []);
            body = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            return "accepted a body the model cannot read as JSON: " + exception.Message;
        }

        switch (effect.Kind)
        {
            case EffectKind.Create:
                using (var response = JsonDocument.Parse(responseBody))
                {
                    var id = response.RootElement.GetProperty("id").GetString()!;
                    if (Endpoints.ContainsKey(id))
                    {
                        return null; // an idempotent replay: the first response again, nothing new stored
                    }

                    var endpoint = new EndpointModel
                    {
                        OrgId = effect.OrgId!.Value,
                        Url = NormalizeUrl(body.GetProperty("url").GetString()!),
                        Events = [],
                        ApiVersion = body.TryGetProperty("api_version", out var version) && version.ValueKind == JsonValueKind.String
                            ? version.GetString()!
                            : DefaultApiVersion,
                    };
                    ApplyFields(endpoint, body);
                    Endpoints.Add(id, endpoint);
                }

                return null;
            case EffectKind.Patch:
                ApplyFields(Endpoints[effect.EndpointId!], body);
                return null;
            default:
                var url = body.GetProperty("webhook_url").GetString()!;
                ClientUrls[effect.ClientId!.Value] = url.Trim().Length == 0 ? string.Empty : NormalizeUrl(url);
                return null;
        }
    }

    /// <summary>The fields present in a POST or PATCH body, by the contract's rules.</summary>
    private static void ApplyFields(EndpointModel endpoint, JsonElement body)
    {
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name)
            {
                case "url":
                    endpoint.Url = NormalizeUrl(property.Value.GetString()!);
                    break;
                case "description":
                    var text = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value.GetString()!.Trim();
                    endpoint.Description = string.IsNullOrEmpty(text) ? null : text;
                    break;
                case "events":
                    endpoint.Events = property.Value.EnumerateArray().Select(e => e.GetString()!).Distinct(StringComparer.Ordinal).ToList();
                    break;
                case "active":
                    endpoint.Active = property.Value.GetBoolean();
                    break;
            }
        }
    }

    /// <summary>
    /// The stored form of an accepted URL: trimmed, scheme and host in lower case, an
    /// internationalized host in punycode, the default port dropped, path and query as sent.
    /// </summary>
    public static string NormalizeUrl(string raw)
    {
        var text = raw.Trim();
        const string Prefix = "https://";
        var rest = text[Prefix.Length..];
        var authorityEnd = rest.IndexOfAny(['/', '?', '#']);
        if (authorityEnd < 0)
        {
            authorityEnd = rest.Length;
        }

        var authority = rest[..authorityEnd];
        string host;
        string? port = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            host = authority[..(close + 1)];
            port = close + 2 <= authority.Length && authority.Length > close + 1 ? authority[(close + 2)..] : null;
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            port = colon < 0 ? null : authority[(colon + 1)..];
        }

        host = host.ToLowerInvariant();
        if (host.Any(c => c > 0x7F))
        {
            host = new IdnMapping().GetAscii(host).ToLowerInvariant();
        }

        var portText = port is null or "" || int.Parse(port, CultureInfo.InvariantCulture) == 443 ? string.Empty : ":" + int.Parse(port, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        return Prefix + host + portText + rest[authorityEnd..];
    }
}
