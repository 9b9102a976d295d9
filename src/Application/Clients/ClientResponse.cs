using AutoMapper;
using Webhooks.Domain.Clients;

namespace Webhooks.Application.Clients;

/// <summary>The seed's <c>ClientResponse</c>; <c>webhook_url</c> is <c>""</c> when none is set.</summary>
public sealed record ClientResponse(string ClientId, string CustomerId, string WebhookUrl);

public sealed class ClientMappingProfile : Profile
{
    public ClientMappingProfile()
    {
        CreateMap<Client, ClientResponse>()
            .ForCtorParam(nameof(ClientResponse.ClientId), options => options.MapFrom(client => client.Id.ToString()))
            .ForCtorParam(nameof(ClientResponse.WebhookUrl), options => options.MapFrom(client => client.WebhookUrl == null ? string.Empty : client.WebhookUrl.Value));
    }
}
