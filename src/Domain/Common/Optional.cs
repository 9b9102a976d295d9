namespace Webhooks.Domain.Common;

/// <summary>
/// A value that may be absent. Together with a nullable <typeparamref name="T"/> it tells
/// "absent" (leave unchanged) from "null" from "a value", which a partial update needs.
/// </summary>
public readonly record struct Optional<T>
{
    private readonly T _value;

    private Optional(T value)
    {
        _value = value;
        HasValue = true;
    }

    public bool HasValue { get; }

    public T Value => HasValue ? _value : throw new InvalidOperationException("The optional value is absent.");

    public static Optional<T> Absent => default;

    public static Optional<T> Of(T value) => new(value);

    public static implicit operator Optional<T>(T value) => new(value);

    public override string ToString() => HasValue ? $"Of({_value})" : "Absent";
}
