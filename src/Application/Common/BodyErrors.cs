using FluentValidation;

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

/// <summary>Base validator of body commands: it reports the body's problems first.</summary>
public abstract class BodyCommandValidator<T> : AbstractValidator<T>
    where T : IBodyCommand
{
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
}
