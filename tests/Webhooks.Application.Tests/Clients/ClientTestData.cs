using Webhooks.Application.Common.Security;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Tests.Clients;

/// <summary>
/// A device-API client, its credentials and the callers it becomes, shared by the Clients tests.
/// </summary>
internal static class ClientTestData
{
    public const string CustomerId = "cus_123";

    public const string Secret = "cs_live_" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE";

    public const string WebhookUrl = "https://hooks.example.com/clients/cus_123";

    public static readonly Guid ClientId = Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3d0");

    /// <summary>The client as the repository would hold it: registered at <see cref="TestData.CreatedAt"/>.</summary>
    public static Client StoredClient(string? webhookUrl = null, bool suspended = false)
    {
        var client = Client.Register(ClientId, CustomerId, Sha256Hasher.Hash(Secret), "protected-webhook-secret", TestData.CreatedAt);
        if (webhookUrl is not null)
        {
            client.SetWebhookUrl(TestData.HttpsUrlOf(webhookUrl), TestData.CreatedAt);
        }

        if (suspended)
        {
            client.Suspend(TestData.CreatedAt);
        }

        return client;
    }

    /// <summary>What <c>ClientAuthenticator</c> makes of an active client.</summary>
    public static Caller ActiveCaller() => new(CallerKind.Client, ClientId, null, Scopes.ActiveClientScopes);

    /// <summary>What <c>ClientAuthenticator</c> makes of a suspended client: authenticated, holding nothing.</summary>
    public static Caller SuspendedCaller() => new(CallerKind.Client, ClientId, null, []);
}
