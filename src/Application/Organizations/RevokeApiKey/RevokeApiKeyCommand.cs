using MediatR;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;

namespace Webhooks.Application.Organizations.RevokeApiKey;

/// <summary>Admin: revokes an API key; from then on it authenticates nothing.</summary>
[RequiresScope(Caller.OperatorScope)]
public sealed record RevokeApiKeyCommand(Guid Id) : IRequest<ApiKeyRevoked>;

public sealed record ApiKeyRevoked(Guid Id, DateTimeOffset RevokedAt);

public sealed class RevokeApiKeyCommandHandler(IApiKeyRepository apiKeys, IUnitOfWork unitOfWork, IClock clock)
    : IRequestHandler<RevokeApiKeyCommand, ApiKeyRevoked>
{
    public async Task<ApiKeyRevoked> Handle(RevokeApiKeyCommand request, CancellationToken cancellationToken)
    {
        var apiKey = await apiKeys.GetAsync(request.Id, cancellationToken) ?? throw new NotFoundException();
        apiKey.Revoke(clock.UtcNow);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return new ApiKeyRevoked(apiKey.Id, apiKey.RevokedAt!.Value);
    }
}
