using System.Text.Json;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Webhooks;
using Webhooks.Domain.Common;
using Webhooks.Domain.Idempotency;

namespace Webhooks.Application.Common.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> rule of every creating request (<c>POST /v1/webhooks</c>, <c>POST /v1/events</c>,
/// <c>POST /v1/clients/{client_id}/events</c>): the first response is kept, protected, under the
/// caller's organization for <see cref="IdempotencyRecord.Lifetime"/>; a retry with the same request
/// gets it back and creates nothing; the same key with another request is refused under
/// <see cref="KeyField"/>. The record is added to the command's unit of work, so it commits with
/// what the request created, or not at all.
/// </summary>
public sealed class IdempotentResponses(IIdempotencyStore store, ISecretProtector protector)
{
    /// <summary>The name under which a problem with the <c>Idempotency-Key</c> header is reported.</summary>
    public const string KeyField = "Idempotency-Key";

    public const string KeyReusedMessage = "was already used with a different request body";

    /// <summary>
    /// The stored first response to this request, or <c>null</c> when the request is new (no key, no
    /// live record; an expired record is removed).
    /// </summary>
    /// <exception cref="ValidationFailedException">The key was used with another request.</exception>
    public async Task<T?> FindReplayAsync<T>(Guid orgId, IdempotencyKey? key, DateTimeOffset now, CancellationToken cancellationToken)
        where T : class
    {
        if (key is null)
        {
            return null;
        }

        var record = await store.FindAsync(orgId, key.Value, cancellationToken);
        if (record is null)
        {
            return null;
        }

        if (record.IsExpired(now))
        {
            store.Remove(record);
            return null;
        }

        return record.IsForSameRequest(key.RequestHash)
            ? JsonSerializer.Deserialize<T>(protector.Unprotect(record.ProtectedResponse))!
            : throw new ValidationFailedException(KeyField, KeyReusedMessage);
    }

    /// <summary>Keeps <paramref name="response"/> as the answer to the request that carried <paramref name="key"/> (nothing without a key).</summary>
    public void Remember<T>(Guid orgId, IdempotencyKey? key, T response, DateTimeOffset now)
    {
        if (key is not null)
        {
            store.Add(IdempotencyRecord.Create(orgId, key.Value, key.RequestHash, protector.Protect(JsonSerializer.Serialize(response)), now));
        }
    }
}
