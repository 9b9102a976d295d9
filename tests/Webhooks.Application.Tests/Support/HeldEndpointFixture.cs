namespace Webhooks.Application.Tests.Support;

/// <summary>
/// A handler test about one stored endpoint: fresh <see cref="Ports"/> whose repository holds
/// <see cref="TestData.Endpoint"/> for its organization, before every test.
/// </summary>
public abstract class HeldEndpointFixture
{
    internal Ports Ports { get; private set; } = null!;

    /// <summary>The endpoint the repository holds; a test may hold another with <c>Ports.Holds</c> and set it here.</summary>
    internal WebhookEndpoint Endpoint { get; set; } = null!;

    [SetUp]
    public void HoldTheEndpoint()
    {
        Ports = new Ports();
        Endpoint = TestData.Endpoint();
        Ports.Holds(Endpoint);
    }
}
