namespace Webhooks.Application.Common.Errors;

/// <summary>The caller is not authenticated (no, a malformed, an unknown or a revoked credential).</summary>
public sealed class UnauthenticatedException() : Exception("authentication failed");

/// <summary>The caller is authenticated but lacks the scope the request declares.</summary>
public sealed class ForbiddenException(string message = "missing required scope") : Exception(message);

/// <summary>
/// The resource does not exist for this caller: unknown, deleted, malformed id, or another
/// organization's. The reason is deliberately not told apart.
/// </summary>
public sealed class NotFoundException() : Exception("not found");

/// <summary><c>If-Match</c> does not match the resource's current ETag.</summary>
public sealed class PreconditionFailedException() : Exception("precondition failed");

/// <summary>Another request changed the same data between this command's read and its write.</summary>
public sealed class ConcurrencyConflictException(Exception? inner = null) : Exception("concurrency conflict", inner);

/// <summary>
/// The request cannot be carried out in the resource's current state (a test event to an inactive
/// endpoint). <see cref="Field"/> and <see cref="Reason"/>, when given, say which part and why.
/// </summary>
public sealed class ConflictException(string? field = null, string? reason = null) : Exception("conflict")
{
    public string? Field { get; } = field;

    public string? Reason { get; } = reason;
}
