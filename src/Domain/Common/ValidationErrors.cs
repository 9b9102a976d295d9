namespace Webhooks.Domain.Common;

/// <summary>Collects field errors so that every rule is checked and all violations are reported together.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    /// <summary>The errors so far, field by field, in the order they were found.</summary>
    public IEnumerable<KeyValuePair<string, string>> Items => _errors;

    public void Add(string field, string message) => _errors.TryAdd(field, message);

    /// <summary>Records the errors of <paramref name="outcome"/> under <paramref name="field"/>; returns its value when valid.</summary>
    public T? Add<T>(string field, Outcome<T> outcome)
        where T : class?
    {
        foreach (var (suffix, message) in outcome.Errors)
        {
            Add(field + suffix, message);
        }

        return outcome.Value;
    }

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new ValidationFailedException(new Dictionary<string, string>(_errors, StringComparer.Ordinal));
        }
    }
}
