namespace Webhooks.Application.Common.Ports;

/// <summary>The current time, in UTC, to whole seconds (as the API shows it).</summary>
public interface IClock
{
    DateTimeOffset UtcNow { get; }
}

/// <summary>New identifiers: UUID version 7 (time-ordered).</summary>
public interface IIdGenerator
{
    Guid NewId();
}

/// <summary>Hashes long random secrets (API keys, client secrets) for storage and lookup.</summary>
public interface ISecretHasher
{
    /// <summary>Lower-case hex SHA-256 of the secret's UTF-8 bytes.</summary>
    string Hash(string secret);
}

/// <summary>Saves every change a command made, at once, at its end.</summary>
public interface IUnitOfWork
{
    Task SaveChangesAsync(CancellationToken cancellationToken);
}
