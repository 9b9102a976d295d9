using MediatR;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Organizations.CreateOrganization;

/// <summary>Admin: creates an organization.</summary>
[RequiresScope(Caller.OperatorScope)]
public sealed record CreateOrganizationCommand(string Name) : IRequest<OrganizationCreated>;

public sealed record OrganizationCreated(Guid Id, string Name);

public sealed class CreateOrganizationCommandHandler(IOrganizationRepository organizations, IUnitOfWork unitOfWork, IIdGenerator ids, IClock clock)
    : IRequestHandler<CreateOrganizationCommand, OrganizationCreated>
{
    public async Task<OrganizationCreated> Handle(CreateOrganizationCommand request, CancellationToken cancellationToken)
    {
        var organization = Organization.Create(ids.NewId(), request.Name, clock.UtcNow);
        organizations.Add(organization);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return new OrganizationCreated(organization.Id, organization.Name);
    }
}
