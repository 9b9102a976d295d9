using System.Text.Json;
using Webhooks.Domain.Common;

namespace Webhooks.Api.Http;

/// <summary>
/// Reads the fields of a JSON object body by name and JSON type, telling absent from null from a
/// value, and collects every shape problem (wrong type, undecodable text, unknown, read-only or
/// repeated field) keyed by its JSON name. The caller checks the fields it read against their rules
/// and hands those errors to <see cref="ThrowIfInvalid"/>, which reports everything in one 400.
/// </summary>
public sealed class JsonObjectReader
{
    public const string MustBeStringMessage = "must be a string";

    public const string MustBeTextMessage = "must be valid Unicode text";

    public const string RepeatedMessage = "must appear only once";

    public const string MustBeBooleanMessage = "must be a boolean";

    public const string MustBeArrayOfStringsMessage = "must be an array of strings";

    public const string MustBeIntegerMessage = "must be an integer";

    public const string UnknownFieldMessage = "is not a known field";

    public const string ReadOnlyMessage = "is read-only";

    private readonly Dictionary<string, JsonElement> _properties = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    public JsonObjectReader(JsonBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Root is not { } root)
        {
            _errors[BodyKey] = body.Problem ?? JsonBody.NotObjectMessage;
            return;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            _errors[BodyKey] = JsonBody.NotObjectMessage;
            return;
        }

        try
        {
            foreach (var property in root.EnumerateObject())
            {
                if (!_properties.TryAdd(property.Name, property.Value))
                {
                    _errors[property.Name] = RepeatedMessage;
                }
            }
        }
        catch (InvalidOperationException)
        {
            // A property name with an escaped lone surrogate cannot be decoded.
            _properties.Clear();
            _errors.Clear();
            _errors[BodyKey] = JsonBody.NotJsonMessage;
        }
    }

    /// <summary>The key of problems with the body as a whole (not JSON, not an object).</summary>
    public const string BodyKey = "body";

    /// <summary>Whether the body is a JSON object whose fields could be read; otherwise only <see cref="BodyKey"/> is reported.</summary>
    public bool IsObject => !_errors.ContainsKey(BodyKey);

    public Optional<string?> Text(string name) => Read(name, value => value.ValueKind switch
    {
        JsonValueKind.Null => (null, null),
        JsonValueKind.String => Decode(value),
        _ => (null, MustBeStringMessage),
    });

    public Optional<bool?> Boolean(string name) => Read<bool?>(name, value => value.ValueKind switch
    {
        JsonValueKind.Null => (null, null),
        JsonValueKind.True => (true, null),
        JsonValueKind.False => (false, null),
        _ => (null, MustBeBooleanMessage),
    });

    public Optional<IReadOnlyList<string?>?> StringArray(string name) => Read<IReadOnlyList<string?>?>(name, value => value.ValueKind switch
    {
        JsonValueKind.Null => (null, null),
        JsonValueKind.Array => (ReadItems(name, value), null),
        _ => (null, MustBeArrayOfStringsMessage),
    });

    /// <summary>
    /// A JSON number without a fraction (<c>60</c>, <c>6e1</c> and <c>60.0</c> alike). One beyond the
    /// range of <see cref="long"/> reads as that range's nearest end, for the field's rule to refuse;
    /// <c>null</c> is not an integer.
    /// </summary>
    public Optional<long> WholeNumber(string name) => Read<long>(name, value => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var whole) => (whole, null),
        JsonValueKind.Number when !value.TryGetDouble(out var number) || double.IsInfinity(number) =>
            (value.GetRawText().StartsWith('-') ? long.MinValue : long.MaxValue, null),
        JsonValueKind.Number when value.GetDouble() is var number && Math.Floor(number) == number =>
            (number >= long.MaxValue ? long.MaxValue : number <= long.MinValue ? long.MinValue : (long)number, (string?)null),
        _ => (0L, MustBeIntegerMessage),
    });

    /// <summary>A field of any JSON type, for a rule of its own to check (<c>null</c> when it is JSON <c>null</c>).</summary>
    public Optional<JsonElement?> Value(string name) => Read<JsonElement?>(name, value => value.ValueKind switch
    {
        JsonValueKind.Null => (null, null),
        _ => (value, null),
    });

    /// <summary>
    /// Throws one <see cref="ValidationFailedException"/> with every problem: those met while reading,
    /// every field that was not read (read-only when it is in <paramref name="readOnlyFields"/>,
    /// unknown otherwise), then the rule violations of the fields read, in <paramref name="ruleErrors"/>.
    /// A field already refused for its shape is not reported again. Returns when there is none.
    /// </summary>
    public void ThrowIfInvalid(ValidationErrors ruleErrors, params string[] readOnlyFields)
    {
        ArgumentNullException.ThrowIfNull(ruleErrors);
        var errors = new ValidationErrors();
        foreach (var (field, message) in _errors)
        {
            errors.Add(field, message);
        }

        foreach (var name in _properties.Keys.Where(name => !_read.Contains(name)))
        {
            errors.Add(name, readOnlyFields.Contains(name, StringComparer.Ordinal) ? ReadOnlyMessage : UnknownFieldMessage);
        }

        foreach (var (field, message) in ruleErrors.Items)
        {
            errors.Add(field, message);
        }

        errors.ThrowIfAny();
    }

    /// <summary>A JSON string's text; one with an escaped lone surrogate (<c>"\ud83d"</c>) has none.</summary>
    private static (string? Value, string? Error) Decode(JsonElement value)
    {
        try
        {
            return (value.GetString(), null);
        }
        catch (InvalidOperationException)
        {
            return (null, MustBeTextMessage);
        }
    }

    /// <summary>The field's value when present and of the right type; otherwise absent, with a recorded error if it was present.</summary>
    private Optional<T> Read<T>(string name, Func<JsonElement, (T Value, string? Error)> convert)
    {
        _read.Add(name);
        if (!_properties.TryGetValue(name, out var element))
        {
            return Optional<T>.Absent;
        }

        var (value, error) = convert(element);
        if (error is not null)
        {
            _errors.TryAdd(name, error);
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
            var (text, error) = item.ValueKind == JsonValueKind.String ? Decode(item) : (null, MustBeStringMessage);
            if (error is not null)
            {
                _errors.TryAdd($"{name}[{index}]", error);
            }

            items.Add(text);
            index++;
        }

        return items;
    }
}
