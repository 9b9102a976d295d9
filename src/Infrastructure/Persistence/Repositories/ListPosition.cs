using Microsoft.EntityFrameworkCore;

namespace Webhooks.Infrastructure.Persistence.Repositories;

/// <summary>
/// The keyset order of every newest-first list (endpoints, events, deliveries): a <c>list_position</c>
/// column holding the id's lower-case hyphenated text. Version-7 ids are time-ordered, so their text
/// orders the same way on every provider (SQL Server sorts <c>uniqueidentifier</c> values by their
/// last bytes first, so an id column itself cannot serve).
/// </summary>
internal static class ListPosition
{
    public const string Property = "ListPosition";

    public const string Column = "list_position";

    public static string Of(Guid id) => id.ToString("D");

    /// <summary>Sets the position of an entity being added.</summary>
    public static void Assign<T>(DbContext db, T entity, Guid id)
        where T : class =>
        db.Entry(entity).Property(Property).CurrentValue = Of(id);

    /// <summary>At most <paramref name="take"/> rows of <paramref name="query"/>, newest first, after the row whose id is <paramref name="afterId"/>.</summary>
    public static IQueryable<T> NewestFirst<T>(this IQueryable<T> query, Guid? afterId, int take)
        where T : class
    {
        if (afterId is { } after)
        {
            var position = Of(after);
            query = query.Where(e => EF.Property<string>(e, Property).CompareTo(position) < 0);
        }

        return query.OrderByDescending(e => EF.Property<string>(e, Property)).Take(take);
    }
}
