using System.Text.Json;
using Webhooks.Domain.Common;

namespace Webhooks.Api.Http;

/// <summary>
/// Reads the fields of a JSON object body by name and JSON type, telling absent from null from a
/// value, and collects every shape problem (wrong type, unknown, read-only or repeated field) keyed
/// by its JSON name.
/// </summary>
public sealed class JsonObjectReader
{
    private readonly Dictionary<string, JsonElement> _properties = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    public JsonObjectReader(JsonBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Root is not { } root)
        {
            _errors["body"] = body.Problem ?? "must be a JSON object";
            return;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            _errors["body"] = "must be a JSON object";
            return;
        }

        foreach (var property in root.EnumerateObject())
        {
            if (!_properties.TryAdd(property.Name, property.Value))
            {
                _errors[property.Name] = "must appear only once";
            }
        }
    }

    public Optional<string?> Text(string name) => Read<string?>(name, value => value.ValueKind switch
    {
        JsonValueKind.Null => (true, null),
        JsonValueKind.String => (true, value.GetString()),
        _ => (false, null),
    }, "must be a string");

    public Optional<bool?> Boolean(string name) => Read<bool?>(name, value => value.ValueKind switch
    {
        JsonValueKind.Null => (true, null),
        JsonValueKind.True => (true, true),
        JsonValueKind.False => (true, false),
        _ => (false, null),
    }, "must be a boolean");

    public Optional<IReadOnlyList<string?>?> StringArray(string name)
    {
        var result = Read<IReadOnlyList<string?>?>(name, value => value.ValueKind switch
        {
            JsonValueKind.Null => (true, null),
            JsonValueKind.Array => (true, ReadItems(name, value)),
            _ => (false, null),
        }, "must be an array of strings");
        return result;
    }

    /// <summary>
    /// The problems found: those met while reading, and every field that was not read, as read-only
    /// when it is in <paramref name="readOnlyFields"/> and as unknown otherwise.
    /// </summary>
    public IReadOnlyDictionary<string, string> Problems(params string[] readOnlyFields)
    {
        foreach (var name in _properties.Keys.Where(name => !_read.Contains(name)))
        {
            _errors.TryAdd(name, readOnlyFields.Contains(name, StringComparer.Ordinal) ? "is read-only" : "is not a known field");
        }

        return _errors;
    }

    private Optional<T> Read<T>(string name, Func<JsonElement, (bool Ok, T Value)> convert, string typeError)
    {
        _read.Add(name);
        if (!_properties.TryGetValue(name, out var element))
        {
            return Optional<T>.Absent;
        }

        var (ok, value) = convert(element);
        if (!ok)
        {
            _errors.TryAdd(name, typeError);
            return Optional<T>.Absent;
        }

        return Optional<T>.Of(value);
    }

    private List<string?> ReadItems(string name, JsonElement array)
    {
        var items = new List<string?>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                items.Add(item.GetString());
            }
            else
            {
                _errors.TryAdd($"{name}[{index}]", "must be a string");
                items.Add(null);
            }

            index++;
        }

        return items;
    }
}
