using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Webhooks.Domain.Deliveries;

/// <summary>
/// Writes the body a receiver gets for an event, in one envelope version. The same event always
/// gives the same bytes, so every attempt of a delivery sends the same body.
/// </summary>
public interface IEnvelopeWriter
{
    /// <summary>The endpoint <c>api_version</c> this writer serves.</summary>
    string ApiVersion { get; }

    byte[] Write(Event evt);
}

/// <summary>The envelopes the service can write: one writer per API version, and the one for clients.</summary>
public sealed class EnvelopeWriters
{
    private readonly Dictionary<string, IEnvelopeWriter> _byVersion;

    public EnvelopeWriters(IEnumerable<IEnvelopeWriter> writers)
    {
        ArgumentNullException.ThrowIfNull(writers);
        _byVersion = new Dictionary<string, IEnvelopeWriter>(StringComparer.Ordinal);
        foreach (var writer in writers)
        {
            if (!_byVersion.TryAdd(writer.ApiVersion, writer))
            {
                throw new ArgumentException($"Two envelope writers for API version {writer.ApiVersion}.", nameof(writers));
            }
        }
    }

    public IReadOnlyCollection<string> Versions => _byVersion.Keys;

    /// <summary>The body for an endpoint at <paramref name="apiVersion"/>.</summary>
    public byte[] ForEndpoint(string apiVersion, Event evt) =>
        _byVersion.TryGetValue(apiVersion, out var writer)
            ? writer.Write(evt)
            : throw new InvalidOperationException($"No envelope writer for API version {apiVersion}.");

    /// <summary>The body for a device-API client: <c>{"id", "type", "created_at", "data"}</c>.</summary>
    public static byte[] ForClient(Event evt) => EnvelopeJson.Write(evt, apiVersion: null);

    /// <summary>Refuses a configuration that lists an API version no writer serves.</summary>
    public void EnsureServes(IEnumerable<string> apiVersions)
    {
        ArgumentNullException.ThrowIfNull(apiVersions);
        var missing = apiVersions.Where(version => !_byVersion.ContainsKey(version)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"No envelope writer for API version(s) {string.Join(", ", missing)}: every configured version needs one. Writers exist for {string.Join(", ", Versions)}.");
        }
    }
}

/// <summary>API version <c>2026-04-01</c>: <c>{"id", "type", "api_version", "created_at", "data"}</c>, <c>data</c> exactly as published.</summary>
public sealed class Envelope20260401Writer : IEnvelopeWriter
{
    public const string Version = "2026-04-01";

    public string ApiVersion => Version;

    public byte[] Write(Event evt) => EnvelopeJson.Write(evt, Version);
}

/// <summary>The JSON the envelopes share.</summary>
public static class EnvelopeJson
{
    /// <summary>RFC 3339 in UTC, whole seconds, as the API prints timestamps.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary><c>{"id", "type"[, "api_version"], "created_at", "data"}</c>.</summary>
    public static byte[] Write(Event evt, string? apiVersion)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var buffer = new ArrayBufferWriter<byte>(evt.Data.Length + 160);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", evt.Id.ToString("D"));
            json.WriteString("type", evt.Type);
            if (apiVersion is not null)
            {
                json.WriteString("api_version", apiVersion);
            }

            json.WriteString("created_at", Timestamp(evt.CreatedAt));
            json.WritePropertyName("data");
            json.WriteRawValue(evt.Data, skipInputValidation: true);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
