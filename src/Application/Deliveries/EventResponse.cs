using System.Text.Json;
using AutoMapper;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Application.Deliveries;

/// <summary>
/// A published event as the publisher sees it: <c>data</c> is the published object (JSON, not a
/// string), <c>deliveries</c> how many receivers it fanned out to when it was published.
/// </summary>
public sealed record EventResponse(Guid Id, string Type, JsonElement Data, DateTimeOffset CreatedAt, int Deliveries);

public sealed class EventMappingProfile : Profile
{
    public EventMappingProfile()
    {
        CreateMap<Event, EventResponse>()
            .ForCtorParam(nameof(EventResponse.Data), options => options.MapFrom(evt => ParseData(evt.Data)))
            .ForCtorParam(nameof(EventResponse.Deliveries), options => options.MapFrom(evt => evt.DeliveryCount));
    }

    /// <summary>The stored <c>data</c> text (a JSON object, checked when it was published) as a JSON value.</summary>
    private static JsonElement ParseData(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
