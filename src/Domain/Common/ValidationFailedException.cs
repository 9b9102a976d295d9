namespace Webhooks.Domain.Common;

/// <summary>
/// One or more fields broke a rule. <see cref="Errors"/> maps each failing field, by its JSON
/// name (<c>events[2]</c> for an item), to a message a caller can act on.
/// </summary>
public sealed class ValidationFailedException : Exception
{
    public ValidationFailedException(IReadOnlyDictionary<string, string> errors)
        : base("validation failed")
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("At least one error is required.", nameof(errors));
        }

        Errors = errors;
    }

    public ValidationFailedException(string field, string message)
        : this(new Dictionary<string, string> { [field] = message })
    {
    }

    public IReadOnlyDictionary<string, string> Errors { get; }
}
