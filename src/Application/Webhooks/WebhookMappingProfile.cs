using AutoMapper;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Webhooks;

public sealed class WebhookMappingProfile : Profile
{
    public WebhookMappingProfile()
    {
        CreateMap<HttpsUrl, string>().ConvertUsing(url => url.Value);
        CreateMap<Description, string>().ConvertUsing(description => description.Value);
        CreateMap<WebhookEndpoint, WebhookEndpointResponse>();
    }
}
