
namespace Webhooks.Api.Tests.Clients;

/// <summary>
/// Base of the Clients API fixtures: one <see cref="ApiFactory"/> (a real SQLite file) per fixture,
/// and a fresh client, issued through the real use case, for each test that needs one.
/// </summary>
public abstract class ClientsFixture : ApiFixture
{
    protected const string ExampleUrl = "https://hooks.example.com/terra/device";

    /// <summary>An HTTP client that sends no credentials of its own.</summary>
    protected HttpClient Http { get; private set; } = null!;

    [OneTimeSetUp]
    public void CreateHttpClient() => Http = ClientsApi.CreateHttpClient(Factory);

    [OneTimeTearDown]
    public void DisposeHttpClient() => Http?.Dispose();

    protected Task<IssuedClient> NewClientAsync(string customerId = "cust-1") => ClientsApi.CreateClientAsync(Factory, customerId);

    /// <summary>A new client whose webhook URL is set (through the API) to <paramref name="url"/>.</summary>
    protected async Task<IssuedClient> NewClientWithUrlAsync(string url = ExampleUrl, string customerId = "cust-1")
    {
        var client = await NewClientAsync(customerId);
        using var response = await ClientsApi.PatchAsync(Http, client, ClientsApi.UrlBody(url));
        await ClientsAssert.ClientAsync(response, client, url);
        return client;
    }
}
