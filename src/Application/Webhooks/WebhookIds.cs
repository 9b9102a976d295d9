namespace Webhooks.Application.Webhooks;

internal static class WebhookIds
{
    /// <summary>Parses a route id; one that is not a UUID names no endpoint, so it is "not found".</summary>
    public static Guid ParseOrNotFound(string id) =>
        id.Length == 36 && Guid.TryParseExact(id, "D", out var guid) ? guid : throw new Common.Errors.NotFoundException();
}
