using AutoMapper;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks;

public sealed class WebhookMappingProfile : Profile
{
    public WebhookMappingProfile()
    {
        CreateMap<WebhookEndpoint, WebhookEndpointResponse>()
            .ForCtorParam(nameof(WebhookEndpointResponse.Url), options => options.MapFrom(endpoint => endpoint.Url.Value))
            .ForCtorParam(nameof(WebhookEndpointResponse.Description), options => options.MapFrom(endpoint => endpoint.Description == null ? null : endpoint.Description.Value))
            .ForMember(response => response.ETag, options => options.MapFrom(endpoint => WebhookETag.For(endpoint.Id, endpoint.Revision)))
            .ForMember(response => response.Secret, options => options.Ignore());
    }
}
