using MediatR;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Common;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Organizations.CreateApiKey;

/// <summary>Admin: issues an API key of an organization. The key is in the result, and nowhere else, ever.</summary>
[RequiresScope(Caller.OperatorScope)]
public sealed record CreateApiKeyCommand(Guid OrgId, IReadOnlyList<string> Scopes, string? Name = null) : IRequest<ApiKeyIssued>;

public sealed record ApiKeyIssued(Guid Id, string Key);

public sealed class CreateApiKeyCommandHandler(
    IOrganizationRepository organizations,
    IApiKeyRepository apiKeys,
    IUnitOfWork unitOfWork,
    ISecretHasher hasher,
    IIdGenerator ids,
    IClock clock) : IRequestHandler<CreateApiKeyCommand, ApiKeyIssued>
{
    public async Task<ApiKeyIssued> Handle(CreateApiKeyCommand request, CancellationToken cancellationToken)
    {
        if (!await organizations.ExistsAsync(request.OrgId, cancellationToken))
        {
            throw new ValidationFailedException("org", "no organization has this id");
        }

        var key = Common.RandomSecrets.ApiKey();
        var apiKey = ApiKey.Issue(ids.NewId(), request.OrgId, request.Name, request.Scopes, hasher.Hash(key), clock.UtcNow);
        apiKeys.Add(apiKey);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return new ApiKeyIssued(apiKey.Id, key);
    }

}
