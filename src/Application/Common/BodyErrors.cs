using FluentValidation;
using Webhooks.Domain.Common;

namespace Webhooks.Application.Common;

/// <summary>
/// A command built from a JSON body. Problems found while reading the body (malformed JSON, a
/// wrong JSON type, an unknown or read-only field) travel with the command, so that they are
/// reported by the validation behavior, after authentication and the scope check.
/// </summary>
public interface IBodyCommand
{
    IReadOnlyDictionary<string, string> BodyErrors { get; }
}

/// <summary>
/// Base validator of body commands: it reports the body's problems first. The rules of a derived
/// validator run only when the body is a JSON object: a field of a body that could not be read is
/// neither missing nor invalid.
/// </summary>
public abstract class BodyCommandValidator<T> : AbstractValidator<T>
    where T : IBodyCommand
{
    /// <summary>The key of problems with the body as a whole (not JSON, not an object).</summary>
    public const string BodyKey = "body";

    protected BodyCommandValidator()
    {
        RuleFor(command => command).Custom((command, context) =>
        {
            foreach (var (field, message) in command.BodyErrors)
            {
                context.AddFailure(field, message);
            }
        });
    }

    protected static bool BodyIsObject(T command) => !command.BodyErrors.ContainsKey(BodyKey);

    /// <summary>Adds a domain check's violations as failures of this validation.</summary>
    protected void RuleForDomainCheck(Action<T, ValidationErrors> check) =>
        RuleFor(command => command).Custom((command, context) =>
        {
            var errors = new ValidationErrors();
            check(command, errors);
            foreach (var (field, message) in errors.Items)
            {
                context.AddFailure(field, message);
            }
        }).When(BodyIsObject);
}
