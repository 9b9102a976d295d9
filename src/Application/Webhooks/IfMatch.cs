namespace Webhooks.Application.Webhooks;

/// <summary>
/// A parsed <c>If-Match</c> header: a list of entity tags, or <c>*</c> (any current representation).
/// Tags are compared strongly (byte for byte); a list that names no current tag matches nothing.
/// </summary>
public sealed class IfMatch
{
    private IfMatch(bool any, IReadOnlyList<string> tags)
    {
        Any = any;
        Tags = tags;
    }

    /// <summary><c>If-Match: *</c>.</summary>
    public static IfMatch Star { get; } = new(true, []);

    public bool Any { get; }

    public IReadOnlyList<string> Tags { get; }

    /// <summary>The header's value as sent: comma-separated entity tags; <c>*</c> among them matches any.</summary>
    public static IfMatch Parse(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var tags = header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return tags.Contains("*", StringComparer.Ordinal) ? Star : new IfMatch(false, tags);
    }

    public bool Matches(string currentTag) => Any || Tags.Contains(currentTag, StringComparer.Ordinal);
}
