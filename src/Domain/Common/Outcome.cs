namespace Webhooks.Domain.Common;

/// <summary>
/// What a value object's factory returns: either a valid value or the reasons it is not one.
/// Error keys are relative to the value: <c>""</c> for the value itself, <c>"[2]"</c> for its third item.
/// </summary>
public sealed class Outcome<T>
    where T : class?
{
    private static readonly IReadOnlyDictionary<string, string> NoErrors = new Dictionary<string, string>();

    private Outcome(T? value, IReadOnlyDictionary<string, string> errors)
    {
        Value = value;
        Errors = errors;
    }

    public T? Value { get; }

    public IReadOnlyDictionary<string, string> Errors { get; }

    public bool IsValid => Errors.Count == 0;

    public static Outcome<T> Valid(T value) => new(value, NoErrors);

    public static Outcome<T> Invalid(string message) => new(null, new Dictionary<string, string> { [string.Empty] = message });

    public static Outcome<T> Invalid(IReadOnlyDictionary<string, string> errors) => new(null, errors);
}
