using Webhooks.Application.Common.Ports;

namespace Webhooks.Application.Common.Paging;

/// <summary>
/// The paging every newest-first list shares (endpoints, events, deliveries): <c>limit</c> 1 to
/// <see cref="MaxLimit"/>, an opaque cursor naming the previous page's last item, and
/// <c>{"data","has_more","next_cursor"}</c>.
/// </summary>
public static class ListPaging
{
    public const int DefaultLimit = 20;

    public const int MaxLimit = 100;

    public const int MaxCursorLength = 1024;

    public const string InvalidLimitMessage = "must be an integer from 1 to 100";

    public const string InvalidCursorMessage = "is not a valid cursor";

    public static bool IsValidLimit(int limit) => limit is >= 1 and <= MaxLimit;

    /// <summary>
    /// One page of <paramref name="items"/> (read with <paramref name="limit"/> + 1 rows, so that one
    /// more row means there is a next page), mapped, and the cursor to the next page, if any.
    /// </summary>
    public static (IReadOnlyList<TResponse> Data, bool HasMore, string? NextCursor) Page<TItem, TResponse>(
        IReadOnlyList<TItem> items, int limit, Func<TItem, TResponse> map, Func<TItem, Guid> idOf, Guid orgId, IListCursorCodec cursors)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(cursors);
        var hasMore = items.Count > limit;
        var page = items.Take(limit).ToList();
        return (page.Select(map).ToList(), hasMore, hasMore ? cursors.Encode(orgId, idOf(page[^1])) : null);
    }
}
