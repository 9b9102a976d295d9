using Webhooks.Api.Tests.Clients;
using Webhooks.Api.Tests.Http;

namespace Webhooks.Api.Tests.Authentication;

/// <summary>What the rate limiter keys its buckets by: the authenticated credential, and for failed authentications the client's address.</summary>
public sealed partial class RateLimitTests
{
    /// <summary>
    /// The bucket belongs to the authenticated key, not to the header's spelling: before, <c>bearer</c>,
    /// <c>BEARER</c> or extra spaces gave one key as many buckets as it had spellings.
    /// </summary>
    [Test]
    public async Task Every_spelling_of_one_api_key_shares_its_bucket()
    {
        await using var factory = await StartTightAsync();
        var org = await factory.CreateOrganizationAsync();
        var key = await factory.CreateKeyAsync(org.OrgId, "webhooks:read");
        using var http = factory.CreateClient((string?)null);
        var spellings = new[] { $"Bearer {key}", $"bearer {key}", $"BEARER {key}", $"Bearer    {key}   " };

        Assert.That(await StatusesAsync(Burst, i => ClientsApi.SendAsync(http, HttpMethod.Get, spellings[i], path: "/v1/webhooks")), Has.All.EqualTo(HttpStatusCode.OK), string.Join(" | ", spellings));

        using var limited = await ClientsApi.SendAsync(http, HttpMethod.Get, spellings[^1], path: "/v1/webhooks");
        await AssertRateLimitedAsync(limited);
    }

    [Test]
    public async Task Every_spelling_of_one_client_credential_shares_its_bucket()
    {
        await using var factory = await StartTightAsync();
        var issued = await ClientsApi.CreateClientAsync(factory, "cust-spelling");
        using var http = ClientsApi.CreateHttpClient(factory);
        var encoded = issued.Authorization["Basic ".Length..];
        var spellings = new[] { "Basic " + encoded, "basic " + encoded, "BASIC " + encoded, "Basic   " + encoded + "  " };

        for (var i = 0; i < Burst; i++)
        {
            using var allowed = await ClientsApi.SendAsync(http, HttpMethod.Get, spellings[i]);
            await ClientsAssert.ClientAsync(allowed, issued, string.Empty);
        }

        using var limited = await ClientsApi.SendAsync(http, HttpMethod.Get, spellings[^1]);
        await ClientsAssert.ProblemAsync(limited, ApiHelpers.RateLimitedProblem);
    }

    /// <summary>
    /// Failed authentications count against the client's address: before, every unknown key had a
    /// fresh bucket of its own, so guessing keys was never limited. A valid key keeps its own bucket.
    /// </summary>
    [Test]
    public async Task Unknown_keys_are_limited_per_client_address_and_a_valid_key_keeps_its_own_bucket()
    {
        await using var factory = await StartTightAsync();
        var org = await factory.CreateOrganizationAsync();
        var key = await factory.CreateKeyAsync(org.OrgId, "webhooks:read");
        using var http = factory.CreateClient((string?)null);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        while (statuses.LastOrDefault() != HttpStatusCode.TooManyRequests && statuses.Count < Burst + 3)
        {
            last?.Dispose();
            last = await ClientsApi.SendAsync(http, HttpMethod.Get, "Bearer am_live_" + Guid.NewGuid().ToString("N"), path: "/v1/webhooks");
            statuses.Add(last.StatusCode);
        }

        Assert.That(statuses[..^1], Is.Not.Empty.And.All.EqualTo(HttpStatusCode.Unauthorized), string.Join(", ", statuses));
        await AssertRateLimitedAsync(last!);
        last!.Dispose();

        // Unknown client credentials from the same address draw on the same bucket.
        using (var clients = await ClientsApi.SendAsync(http, HttpMethod.Get, ClientsApi.Basic(Guid.NewGuid().ToString(), "wrong")))
        {
            await ClientsAssert.ProblemAsync(clients, ApiHelpers.RateLimitedProblem);
        }

        Assert.That(await StatusesAsync(Burst, () => ClientsApi.SendAsync(http, HttpMethod.Get, $"Bearer {key}", path: "/v1/webhooks")), Has.All.EqualTo(HttpStatusCode.OK));
    }
}
