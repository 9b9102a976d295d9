using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Webhooks.Api.Tests.Clients;
using Webhooks.Application.Common.Security;
using CredentialCache = Webhooks.Application.Common.Security.CredentialCache;

namespace Webhooks.Api.Tests.Authentication;

/// <summary>
/// <c>Authentication:CacheSeconds</c>: a verified credential is trusted for that long without a
/// database round trip, so a revoked key or a suspended client keeps its access at most that long.
/// </summary>
public sealed class CredentialCacheTests
{
    private ControllableTimeProvider _time = null!;
    private ApiFactory _factory = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new ControllableTimeProvider();
        _factory = new ApiFactory(new Dictionary<string, string?> { ["Authentication:CacheSeconds"] = "5" })
        {
            TestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time)),
        };
    }

    [TearDown]
    public void TearDown() => _factory.Dispose();

    [Test]
    public async Task RevokedKey_KeepsWorkingWithinTheTtl_AndStopsAfterIt()
    {
        var org = await _factory.CreateOrganizationAsync();
        using var http = _factory.CreateClient(org.Key);
        await AssertStatusAsync(http.GetAsync("/v1/event-types"), HttpStatusCode.OK);

        await _factory.RevokeKeyAsync(org.KeyId);
        _time.Advance(TimeSpan.FromSeconds(4));
        await AssertStatusAsync(http.GetAsync("/v1/event-types"), HttpStatusCode.OK, "within the TTL the cached verification answers");

        _time.Advance(TimeSpan.FromSeconds(1));
        await AssertStatusAsync(http.GetAsync("/v1/event-types"), HttpStatusCode.Unauthorized, "after the TTL the revocation is seen");
    }

    [Test]
    public async Task SuspendedClient_KeepsItsAccessWithinTheTtl_AndIsForbiddenAfterIt()
    {
        var client = await ClientsApi.CreateClientAsync(_factory);
        using var http = _factory.CreateClient(key: null);
        await AssertStatusAsync(ClientsApi.GetAsync(http, client), HttpStatusCode.OK);

        await ClientsApi.SuspendAsync(_factory, client.ClientId);
        await AssertStatusAsync(ClientsApi.GetAsync(http, client), HttpStatusCode.OK);

        _time.Advance(TimeSpan.FromSeconds(5));
        await AssertStatusAsync(ClientsApi.GetAsync(http, client), HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task WrongSecret_IsNotAnsweredFromTheCache()
    {
        var client = await ClientsApi.CreateClientAsync(_factory);
        using var http = _factory.CreateClient(key: null);
        await AssertStatusAsync(ClientsApi.GetAsync(http, client), HttpStatusCode.OK);

        await AssertStatusAsync(ClientsApi.GetAsync(http, client with { ClientSecret = client.ClientSecret + "x" }), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task CacheKeys_AreHashes_NeverTheRawCredentials()
    {
        var org = await _factory.CreateOrganizationAsync();
        var client = await ClientsApi.CreateClientAsync(_factory);
        using var http = _factory.CreateClient(org.Key);
        await AssertStatusAsync(http.GetAsync("/v1/event-types"), HttpStatusCode.OK);
        await AssertStatusAsync(ClientsApi.GetAsync(http, client), HttpStatusCode.OK);

        var keys = _factory.Services.GetRequiredService<CredentialCache>().Keys;
        Assert.Multiple(() =>
        {
            Assert.That(keys, Has.Count.EqualTo(2));
            Assert.That(keys, Has.None.Contains(org.Key));
            Assert.That(keys, Has.None.Contains(client.ClientSecret));
            Assert.That(keys, Has.Some.EqualTo("key:" + Sha256Hex(org.Key)));
        });
    }

    private static async Task AssertStatusAsync(Task<HttpResponseMessage> request, HttpStatusCode status, string? because = null)
    {
        using var response = await request;
        Assert.That(response.StatusCode, Is.EqualTo(status), because);
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
