using System.Text.Json.Serialization;
using AutoMapper;
using Webhooks.Domain.Deliveries;

namespace Webhooks.Application.Deliveries;

/// <summary>
/// One event on its way to one of the organization's endpoints, as the read API shows it (contract,
/// "Seeing and steering deliveries"); <c>status</c> is <c>pending</c>, <c>succeeded</c>, <c>failed</c>
/// or <c>canceled</c>.
/// </summary>
public record DeliveryResponse(
    Guid Id,
    Guid EventId,
    string EventType,
    Guid EndpointId,
    string Status,
    int AttemptCount,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    int? LastResponseStatus,
    DateTimeOffset CreatedAt);

/// <summary>One delivery with every attempt, in number order.</summary>
public sealed record DeliveryDetailResponse(
    Guid Id,
    Guid EventId,
    string EventType,
    Guid EndpointId,
    string Status,
    int AttemptCount,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    int? LastResponseStatus,
    DateTimeOffset CreatedAt,
    [property: JsonPropertyOrder(1)] IReadOnlyList<DeliveryAttemptResponse> Attempts)
    : DeliveryResponse(Id, EventId, EventType, EndpointId, Status, AttemptCount, NextAttemptAt, LastAttemptAt, LastResponseStatus, CreatedAt);

/// <summary>
/// One attempt: <c>trigger</c> is <c>scheduled</c> or <c>manual</c>; <c>response_status</c> and the
/// start of <c>response_body</c> when the receiver answered, <c>error</c> when it did not (or not in time).
/// </summary>
public sealed record DeliveryAttemptResponse(
    int Number, string Trigger, DateTimeOffset StartedAt, int DurationMs, int? ResponseStatus, string? ResponseBody, string? Error);

public sealed class DeliveryMappingProfile : Profile
{
    public DeliveryMappingProfile()
    {
        CreateMap<DeliveryAttempt, DeliveryAttemptResponse>()
            .ForCtorParam(nameof(DeliveryAttemptResponse.Trigger), options => options.MapFrom(attempt => Lower(attempt.Trigger)));
        CreateMap<Delivery, DeliveryResponse>()
            .ForCtorParam(nameof(DeliveryResponse.EndpointId), options => options.MapFrom(delivery => delivery.EndpointId!.Value))
            .ForCtorParam(nameof(DeliveryResponse.Status), options => options.MapFrom(delivery => Lower(delivery.Status)))
            .Include<Delivery, DeliveryDetailResponse>();
        CreateMap<Delivery, DeliveryDetailResponse>()
            .ForCtorParam(nameof(DeliveryDetailResponse.Attempts), options => options.MapFrom(delivery => delivery.Attempts.OrderBy(attempt => attempt.Number)));
    }

    private static string Lower<TEnum>(TEnum value)
        where TEnum : struct, Enum => WireNames.Of(value);
}

/// <summary>How a one-word enum value is written on the wire: its name in lower case (<c>pending</c>, <c>manual</c>).</summary>
public static class WireNames
{
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>Every value's wire name, in declaration order (the OpenAPI document's <c>enum</c>).</summary>
    public static IReadOnlyList<string> All<TEnum>()
        where TEnum : struct, Enum => [.. Enum.GetValues<TEnum>().Select(Of)];
}
