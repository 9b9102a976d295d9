using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>A list of strings kept in one column as a JSON array, compared by its items.</summary>
internal static class JsonListConverter
{
    public static ValueConverter<List<string>, string> Converter { get; } = new(
        list => JsonSerializer.Serialize(list, (JsonSerializerOptions?)null),
        json => JsonSerializer.Deserialize<List<string>>(json, (JsonSerializerOptions?)null) ?? new List<string>());

    public static ValueComparer<List<string>> Comparer { get; } = new(
        (left, right) => left!.SequenceEqual(right!),
        list => list.Aggregate(17, (hash, item) => HashCode.Combine(hash, item)),
        list => list.ToList());
}
