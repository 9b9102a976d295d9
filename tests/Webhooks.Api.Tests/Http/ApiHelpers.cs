using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api.Tests.Clients;

namespace Webhooks.Api.Tests.Http;

/// <summary>Kinds of errors and helpers shared by the tests of the running service: an endpoint made and read through the API, <c>Retry-After</c>, a host started with settings it reads early.</summary>
public static class ApiHelpers
{
    public const string CreateBody = """{"url":"https://hooks.example.com/hardening","description":"Hardening","events":["wallet.balance_low","wallet.balance_zero"]}""";

    /// <summary>The Clients API's 429.</summary>
    public static ProblemKind RateLimitedProblem { get; } = new(
        HttpStatusCode.TooManyRequests, "urn:webhooks:problem:rate-limited", "Too many requests", "Too many requests.");

    /// <summary>The Clients API's 503.</summary>
    public static ProblemKind UnavailableProblem { get; } = new(
        HttpStatusCode.ServiceUnavailable, "urn:webhooks:problem:service-unavailable", "Service unavailable", "Service unavailable.");

    /// <summary>Creates an endpoint through the API (asserted as <see cref="WebhookResource.CreateAsync"/> does) and returns its id.</summary>
    public static async Task<string> CreateEndpointAsync(HttpClient client, string body = CreateBody) =>
        (await WebhookResource.CreateAsync(client, body)).GetProperty("id").GetString()!;

    /// <summary><c>GET /v1/webhooks/{id}</c>, asserted 200; the body.</summary>
    public static async Task<JsonElement> GetEndpointAsync(HttpClient client, string id)
    {
        using var response = await client.GetAsync($"/v1/webhooks/{id}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return await Json.ReadAsync(response);
    }

    /// <summary>A <c>Retry-After</c> header holding a whole number of seconds, at least 1; returns it.</summary>
    public static int RetryAfterSeconds(HttpResponseMessage response)
    {
        Assert.That(response.Headers.TryGetValues("Retry-After", out var values), Is.True, "Retry-After header missing");
        var list = values!.ToList();
        Assert.That(list, Has.Count.EqualTo(1), "one Retry-After");
        Assert.That(int.TryParse(list[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds), Is.True, $"Retry-After '{list[0]}' is an integer number of seconds");
        Assert.That(seconds, Is.GreaterThanOrEqualTo(1), "Retry-After is at least 1 second");
        return seconds;
    }

    /// <summary>
    /// A started <see cref="ApiFactory"/> whose settings are also given as environment variables while
    /// the host is built: configuration the service reads while registering its services (before the
    /// factory's own settings are added, as <c>RateLimiting</c> is) sees them too.
    /// </summary>
    public static ApiFactory StartWithEnvironment(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? testServices = null)
    {
        var saved = settings.Keys.ToDictionary(key => key, key => Environment.GetEnvironmentVariable(ToVariable(key)), StringComparer.Ordinal);
        try
        {
            foreach (var (key, value) in settings)
            {
                Environment.SetEnvironmentVariable(ToVariable(key), value);
            }

            var factory = new ApiFactory(settings.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)) { TestServices = testServices };
            _ = factory.Services; // builds and starts the host now
            return factory;
        }
        finally
        {
            foreach (var (key, value) in saved)
            {
                Environment.SetEnvironmentVariable(ToVariable(key), value);
            }
        }
    }

    private static string ToVariable(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    public static async Task DisposeAsync(ApiFactory? factory)
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }
    }
}
