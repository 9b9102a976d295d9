using AutoMapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Tests.Support;

/// <summary>Values shared by the tests: the seed's catalog, fixed ids and times, callers, endpoints.</summary>
internal static class TestData
{
    public const string ApiVersion = "2026-04-01";

    public const string Url = "https://hooks.example.com/y3labs/ops";

    public const string DescriptionText = "Ops alerts";

    /// <summary>The stored (protected) signing secret of <see cref="Endpoint"/>.</summary>
    public static readonly string StoredProtectedSecret = FakeSecretProtector.Of("whsec_c3RvcmVkIHNlY3JldCBvZiB0aGUgdGVzdCBlbmRwb2ludCEhIQ==");

    public static readonly Guid EndpointId = Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4");

    public static readonly Guid OrgId = Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b5");

    public static readonly Guid OtherOrgId = Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b6");

    public static readonly Guid ApiKeyId = Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b7");

    public static readonly Guid NewId = Guid.Parse("0196f0c1-2d3e-7f40-8a1b-2c3d4e5f6a7b");

    public static readonly DateTimeOffset CreatedAt = new(2026, 4, 26, 12, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Now = new(2026, 4, 27, 8, 30, 0, TimeSpan.Zero);

    public static readonly string[] SeedEventTypes = ["wallet.balance_low", "wallet.balance_zero", "subscription.past_due", "subscription.canceled"];

    private static readonly Lazy<IMapper> LazyMapper = new(() => ApplicationServices().BuildServiceProvider().GetRequiredService<IMapper>());

    /// <summary>The mapper exactly as <c>AddApplication</c> configures it.</summary>
    public static IMapper Mapper => LazyMapper.Value;

    /// <summary>
    /// <c>AddApplication(null)</c> plus the one framework service the host normally provides:
    /// AutoMapper 16 resolves an <see cref="ILoggerFactory"/> when it builds its configuration.
    /// </summary>
    public static IServiceCollection ApplicationServices() =>
        new ServiceCollection().AddApplication(null).AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);

    public static WebhookCatalog Catalog(params string[] apiVersions) =>
        new(SeedEventTypes.Select(name => new EventType(name, "The " + name + " event.")), apiVersions.Length == 0 ? [ApiVersion] : apiVersions);

    /// <summary>A URL that passes the HTTPS rule, as the API would hand it over.</summary>
    public static HttpsUrl HttpsUrlOf(string url) => HttpsUrl.Create(url).Value!;

    /// <summary>Event types of the seed's catalog, as the API would hand them over.</summary>
    public static EventTypeSet EventsOf(params string[] events) => EventTypeSet.Create(events, Catalog()).Value!;

    public static Caller ApiKeyCaller(params string[] scopes) => new(CallerKind.ApiKey, ApiKeyId, OrgId, scopes);

    public static Caller ReadCaller() => ApiKeyCaller(Scopes.WebhooksRead);

    public static Caller WriteCaller() => ApiKeyCaller(Scopes.WebhooksWrite);

    /// <summary>An API key of another organization: it must never see or change <see cref="OrgId"/>'s endpoints.</summary>
    public static Caller OtherOrgCaller(params string[] scopes) => new(CallerKind.ApiKey, ApiKeyId, OtherOrgId, scopes);

    /// <summary>The contract's example endpoint: two events, active, labelled "Ops alerts".</summary>
    public static WebhookEndpoint Endpoint(string? description = DescriptionText, bool active = true, params string[] events)
    {
        var catalog = Catalog();
        return WebhookEndpoint.Create(
            EndpointId,
            OrgId,
            HttpsUrl.Create(Url).Value!,
            Description.Create(description).Value,
            EventTypeSet.Create(events.Length == 0 ? ["wallet.balance_low", "wallet.balance_zero"] : events, catalog).Value!,
            active,
            ApiVersion,
            StoredProtectedSecret,
            CreatedAt);
    }
}
