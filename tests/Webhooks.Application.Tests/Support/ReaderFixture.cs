using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Tests.Support;

/// <summary>A handler test of a read: fresh <see cref="Ports"/> acting as an API key with <c>webhooks:read</c>, before every test.</summary>
public abstract class ReaderFixture
{
    internal Ports Ports { get; private set; } = null!;

    [SetUp]
    public void ActAsAReader()
    {
        Ports = new Ports();
        Ports.ActAs(TestData.ApiKeyCaller(Scopes.WebhooksRead));
    }
}
