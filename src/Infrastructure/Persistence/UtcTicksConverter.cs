using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>
/// Stores a <see cref="DateTimeOffset"/> as its UTC ticks, which SQLite can compare and order. Still
/// needed with EF Core 10: its SQLite provider translates only equality of <see cref="DateTimeOffset"/>
/// values, no comparison or ordering; and every existing SQLite file stores its instants this way.
/// </summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
