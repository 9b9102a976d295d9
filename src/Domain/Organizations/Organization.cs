using Webhooks.Domain.Common;

namespace Webhooks.Domain.Organizations;

/// <summary>A customer organization: it owns API keys and webhook endpoints.</summary>
public sealed class Organization
{
    public const int MaxNameLength = 200;

    private Organization()
    {
        // For EF Core.
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = null!;

    public DateTimeOffset CreatedAt { get; private set; }

    public static Organization Create(Guid id, string? name, DateTimeOffset now)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new ValidationFailedException("name", "must not be empty");
        }

        if (trimmed.Length > MaxNameLength || trimmed.Any(char.IsControl))
        {
            throw new ValidationFailedException("name", $"must be at most {MaxNameLength} characters without control characters");
        }

        return new Organization { Id = id, Name = trimmed, CreatedAt = now };
    }
}
