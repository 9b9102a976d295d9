using System.Buffers;
using System.Text;
using Webhooks.Domain.Common;

namespace Webhooks.Domain.Webhooks;

/// <summary>
/// An endpoint's label: trimmed, 1 to 200 Unicode code points (an emoji counts once), no control
/// characters. <c>null</c> or a value that is empty after trimming means "no label".
/// </summary>
public sealed record Description
{
    public const int MaxLength = 200;

    public const string TooLongMessage = "must be at most 200 characters";

    public const string ControlCharactersMessage = "must not contain control characters";

    public const string InvalidUnicodeMessage = "must be valid Unicode text";

    private Description(string value) => Value = value;

    public string Value { get; }

    /// <summary>A valid label, or a valid <c>null</c> for "no label", or the reason the text is refused.</summary>
    public static Outcome<Description?> Create(string? raw)
    {
        var text = raw?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return Outcome<Description?>.Valid(null);
        }

        var codePoints = 0;
        var remaining = text.AsSpan();
        while (!remaining.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(remaining, out var rune, out var consumed) != OperationStatus.Done)
            {
                return Outcome<Description?>.Invalid(InvalidUnicodeMessage);
            }

            if (Rune.IsControl(rune))
            {
                return Outcome<Description?>.Invalid(ControlCharactersMessage);
            }

            codePoints++;
            remaining = remaining[consumed..];
        }

        return codePoints > MaxLength
            ? Outcome<Description?>.Invalid(TooLongMessage)
            : Outcome<Description?>.Valid(new Description(text));
    }

    public static Description FromStored(string value) => new(value);

    public override string ToString() => Value;
}
