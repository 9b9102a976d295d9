using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>
/// A list of strings kept in one column as a JSON array, compared by its items. EF Core 10 could map
/// these as primitive collections (the same JSON), but that changes both model snapshots for no present
/// gain; switch when a query must look inside the list (docs/decisions/0011-ef-core-10.md).
/// </summary>
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
