namespace Webhooks.Application.Common.Ports;

/// <summary>The current time, in UTC, to the provider's full precision; the API shows whole seconds.</summary>
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
    /// <exception cref="Errors.ConcurrencyConflictException">Another request changed the same data first.</exception>
    Task SaveChangesAsync(CancellationToken cancellationToken);

    /// <summary>Forgets every loaded entity and pending change, so that a command can run again from scratch.</summary>
    void Reset();
}

/// <summary>Encrypts secrets kept at rest (signing secrets, idempotent responses); keys stay with the service.</summary>
public interface ISecretProtector
{
    string Protect(string plaintext);

    string Unprotect(string protectedText);
}

/// <summary>Opaque, tamper-proof list cursors, valid only for the organization they were issued to.</summary>
public interface IListCursorCodec
{
    string Encode(Guid orgId, Guid lastId);

    /// <returns>The id of the last item of the previous page, or <c>null</c> for a malformed or foreign cursor.</returns>
    Guid? Decode(Guid orgId, string cursor);
}
