using Webhooks.Api.Errors;
using Webhooks.Api.Tests.Clients;
using Webhooks.Api.Tests.Http;

namespace Webhooks.Api.Tests.Authentication;

/// <summary>
/// Per-credential rate limiting (a token bucket per authenticated API key or client; failed and
/// missing credentials per client address):
/// <c>429</c> with <c>Retry-After</c> in the surface's format, one bucket per credential,
/// refilled over time, configurable, and on by default.
/// </summary>
/// <remarks>
/// The service reads <c>RateLimiting</c> while it registers its services, before
/// WebApplicationFactory adds the test's settings; so the factories here also get their settings as
/// environment variables (<see cref="ApiHelpers.StartWithEnvironment"/>), which the service does
/// see. <see cref="A_burst_of_3_is_limited_however_the_settings_are_given"/> shows the difference.
/// </remarks>
[TestFixture]
[NonParallelizable]
public sealed partial class RateLimitTests
{
    private const int Burst = 3;

    private static readonly Dictionary<string, string?> TightLimit = new()
    {
        ["RateLimiting:Enabled"] = "true",
        ["RateLimiting:PermitsPerSecond"] = "1",
        ["RateLimiting:Burst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Test]
    public async Task The_request_after_the_burst_is_429_in_the_envelope_with_retry_after()
    {
        await using var factory = await StartTightAsync();
        var org = await factory.CreateOrganizationAsync();
        var key = await factory.CreateKeyAsync(org.OrgId, "webhooks:read", "webhooks:write");
        using var client = factory.CreateClient(key);

        Assert.That(await StatusesAsync(Burst, () => client.GetAsync("/v1/webhooks")), Has.All.EqualTo(HttpStatusCode.OK));

        using var limited = await client.GetAsync("/v1/webhooks");

        await AssertRateLimitedAsync(limited);
        var seconds = ApiHelpers.RetryAfterSeconds(limited);
        Assert.That(seconds, Is.LessThanOrEqualTo(60), "Retry-After is about the refill time, not unbounded");
        Assert.That(limited.Headers.WwwAuthenticate, Is.Empty, "a 429 is not an authentication failure");
    }

    [Test]
    public async Task A_limited_write_is_not_applied()
    {
        await using var factory = await StartTightAsync();
        var org = await factory.CreateOrganizationAsync();
        var key = await factory.CreateKeyAsync(org.OrgId, "webhooks:read", "webhooks:write");
        string id;
        using (var setup = factory.CreateClient(org.Key))
        {
            id = await ApiHelpers.CreateEndpointAsync(setup);
        }

        using var client = factory.CreateClient(key);
        Assert.That(await StatusesAsync(Burst, () => client.GetAsync($"/v1/webhooks/{id}")), Has.All.EqualTo(HttpStatusCode.OK));

        using var limited = await client.PatchAsync($"/v1/webhooks/{id}", """{"active":false}""");
        await AssertRateLimitedAsync(limited);
        ApiHelpers.RetryAfterSeconds(limited);

        using var reader = factory.CreateClient(await factory.CreateKeyAsync(org.OrgId, "webhooks:read"));
        Assert.That((await ApiHelpers.GetEndpointAsync(reader, id)).GetProperty("active").GetBoolean(), Is.True, "the refused PATCH wrote nothing");
    }

    [Test]
    public async Task The_request_after_the_burst_on_clients_is_429_problem_details()
    {
        await using var factory = await StartTightAsync();
        var issued = await ClientsApi.CreateClientAsync(factory, "cust-rate");
        using var http = ClientsApi.CreateHttpClient(factory);

        for (var i = 1; i <= Burst; i++)
        {
            using var allowed = await ClientsApi.GetAsync(http, issued);
            await ClientsAssert.ClientAsync(allowed, issued, string.Empty);
        }

        using var limited = await ClientsApi.PatchAsync(http, issued, ClientsApi.UrlBody("https://hooks.example.com/limited"));

        await ClientsAssert.ProblemAsync(limited, ApiHelpers.RateLimitedProblem);
        ApiHelpers.RetryAfterSeconds(limited);
        Assert.That(await ClientsApi.StoredWebhookUrlAsync(factory, issued.ClientId), Is.Null, "the refused PATCH wrote nothing");
    }

    [Test]
    public async Task Each_credential_has_its_own_bucket()
    {
        await using var factory = await StartTightAsync();
        var org = await factory.CreateOrganizationAsync();
        var first = await factory.CreateKeyAsync(org.OrgId, "webhooks:read");
        var second = await factory.CreateKeyAsync(org.OrgId, "webhooks:read");
        using var firstClient = factory.CreateClient(first);
        using var secondClient = factory.CreateClient(second);

        var statuses = await StatusesAsync(Burst + 2, () => firstClient.GetAsync("/v1/webhooks"));

        Assert.That(statuses[^1], Is.EqualTo(HttpStatusCode.TooManyRequests), "the first key's bucket is empty: " + string.Join(", ", statuses));

        // Same organization, another key: its own full bucket.
        Assert.That(await StatusesAsync(Burst, () => secondClient.GetAsync("/v1/webhooks")), Has.All.EqualTo(HttpStatusCode.OK));

        using var stillLimited = await firstClient.GetAsync("/v1/webhooks");
        Assert.That(stillLimited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the second key's requests did not refill the first key's bucket");

        // The two surfaces' credentials do not share a bucket either.
        var issued = await ClientsApi.CreateClientAsync(factory, "cust-bucket");
        using var http = ClientsApi.CreateHttpClient(factory);
        using var clientGet = await ClientsApi.GetAsync(http, issued);
        await ClientsAssert.ClientAsync(clientGet, issued, string.Empty);
    }

    [Test]
    public async Task Requests_without_credentials_are_limited_per_client_address_in_the_surface_format()
    {
        await using var factory = await StartTightAsync();
        using var anonymous = factory.CreateClient((string?)null);

        // The warm-up used the address bucket too: empty it, then expect 429 in each surface's format.
        HttpResponseMessage? last = null;
        for (var i = 0; i < Burst + 2; i++)
        {
            last?.Dispose();
            last = await anonymous.GetAsync("/v1/webhooks");
        }

        await AssertRateLimitedAsync(last!);
        last!.Dispose();

        using var clients = await anonymous.GetAsync(ClientsApi.Path);
        await ClientsAssert.ProblemAsync(clients, ApiHelpers.RateLimitedProblem);
        ApiHelpers.RetryAfterSeconds(clients);
    }

    [Test]
    public async Task The_bucket_refills_over_time()
    {
        await using var factory = await StartTightAsync();
        var org = await factory.CreateOrganizationAsync();
        var key = await factory.CreateKeyAsync(org.OrgId, "webhooks:read");
        using var client = factory.CreateClient(key);

        HttpStatusCode status;
        var sent = 0;
        do
        {
            using var response = await client.GetAsync("/v1/webhooks");
            status = response.StatusCode;
            sent++;
        }
        while (status != HttpStatusCode.TooManyRequests && sent < 20);

        Assert.That(status, Is.EqualTo(HttpStatusCode.TooManyRequests), "the bucket ran empty");

        // One refill period (1 s) and a margin for the limiter's 100 ms replenishment timer.
        await Task.Delay(TimeSpan.FromMilliseconds(1200));

        using var afterWait = await client.GetAsync("/v1/webhooks");
        Assert.That(afterWait.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a token came back after a second: " + await afterWait.Content.ReadAsStringAsync());

        // About one token per second, not a full bucket: a quick run is limited again.
        var statuses = await StatusesAsync(Burst + 1, () => client.GetAsync("/v1/webhooks"));

        Assert.That(statuses, Does.Contain(HttpStatusCode.TooManyRequests), string.Join(", ", statuses));
    }

    [TestCase("false", "1", "1", 50, TestName = "Disabled_limiter_never_answers_429")]
    [TestCase("true", null, null, 150, TestName = "Default_limits_allow_150_rapid_requests")]
    public async Task Rapid_requests_are_never_limited(string enabled, string? permitsPerSecond, string? burst, int requests)
    {
        var settings = new Dictionary<string, string?> { ["RateLimiting:Enabled"] = enabled };
        if (permitsPerSecond is not null && burst is not null)
        {
            settings["RateLimiting:PermitsPerSecond"] = permitsPerSecond;
            settings["RateLimiting:Burst"] = burst;
        }

        await using var factory = ApiHelpers.StartWithEnvironment(settings);
        var org = await factory.CreateOrganizationAsync();
        using var client = factory.CreateClient(org.Key);

        var statuses = await StatusesAsync(requests, () => client.GetAsync("/v1/webhooks"));

        Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.OK), string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Key}: {g.Count()}")));
    }

    /// <summary>
    /// PermitsPerSecond=1, Burst=3 take effect (the fourth quick request is a 429) however they are given:
    /// without <c>Enabled</c>, which is on by default (a key present with a null value would not do: the
    /// configuration binder then sets the property to false); and only to the host's configuration
    /// (ApiFactory's settings, added by WebApplicationFactory like any later configuration source),
    /// which the test support relies on (<c>RateLimiting:Enabled = false</c> for the other suites), as
    /// the rest of the service's settings (database, catalog, allowed networks) are read that way.
    /// </summary>
    [TestCase(false, TestName = "Limiting_is_on_when_Enabled_is_not_configured")]
    [TestCase(true, TestName = "Settings_given_to_the_host_configuration_take_effect")]
    public async Task A_burst_of_3_is_limited_however_the_settings_are_given(bool onlyHostConfiguration)
    {
        await using var factory = onlyHostConfiguration
            ? new ApiFactory(TightLimit)
            : ApiHelpers.StartWithEnvironment(new Dictionary<string, string?> { ["RateLimiting:PermitsPerSecond"] = "1", ["RateLimiting:Burst"] = "3" });
        var org = await factory.CreateOrganizationAsync();
        var key = await factory.CreateKeyAsync(org.OrgId, "webhooks:read");
        await WarmUpAsync(factory);
        using var client = factory.CreateClient(key);

        var statuses = await StatusesAsync(Burst + 1, () => client.GetAsync("/v1/webhooks"));

        Assert.That(statuses[^1], Is.EqualTo(HttpStatusCode.TooManyRequests), string.Join(", ", statuses));
    }

    private static Task AssertRateLimitedAsync(HttpResponseMessage response) =>
        ApiAssert.Envelope(response, HttpStatusCode.TooManyRequests, ApiError.RateLimited.Code, ApiError.RateLimited.Message);

    /// <summary>A started service with <see cref="TightLimit"/>, warmed up.</summary>
    private static async Task<ApiFactory> StartTightAsync()
    {
        var factory = ApiHelpers.StartWithEnvironment(TightLimit);
        await WarmUpAsync(factory);
        return factory;
    }

    /// <summary>Sends <paramref name="count"/> requests one after the other; their statuses.</summary>
    private static Task<List<HttpStatusCode>> StatusesAsync(int count, Func<Task<HttpResponseMessage>> send) => StatusesAsync(count, _ => send());

    private static async Task<List<HttpStatusCode>> StatusesAsync(int count, Func<int, Task<HttpResponseMessage>> send)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var response = await send(i);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    /// <summary>
    /// Runs the whole pipeline once (JIT, database, authentication) with credentials no test uses, so
    /// that the measured burst is sent quickly, well inside one refill period.
    /// </summary>
    private static async Task WarmUpAsync(ApiFactory factory)
    {
        using var anonymous = factory.CreateClient((string?)null);
        using var warm = await anonymous.GetAsync("/v1/webhooks");
        Assert.That(warm.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var other = await factory.CreateOrganizationAsync();
        using var client = factory.CreateClient(other.Key);
        using var list = await client.GetAsync("/v1/webhooks");
        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var issued = await ClientsApi.CreateClientAsync(factory, "cust-warm");
        using var http = ClientsApi.CreateHttpClient(factory);
        using var get = await ClientsApi.GetAsync(http, issued);
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
