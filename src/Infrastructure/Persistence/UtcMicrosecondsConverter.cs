using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>
/// PostgreSQL's <c>timestamp with time zone</c>: Npgsql writes only UTC <see cref="DateTimeOffset"/>
/// values (offset 0), and the column keeps microseconds. Every value written or compared is made
/// UTC and cut to the microsecond here, so that a value the application still holds (a concurrency
/// token, say) compares equal to the one stored.
/// </summary>
public sealed class UtcMicrosecondsConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
    value => Stored(value),
    stored => stored)
{
    /// <summary>The instant as this converter stores it.</summary>
    public static DateTimeOffset Stored(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
}
