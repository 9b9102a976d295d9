using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>Stores a <see cref="DateTimeOffset"/> as its UTC ticks, which SQLite can compare and order.</summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
