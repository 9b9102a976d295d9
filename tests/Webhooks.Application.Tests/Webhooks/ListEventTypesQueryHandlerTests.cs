using Webhooks.Application.Webhooks.ListEventTypes;

namespace Webhooks.Application.Tests.Webhooks;

public sealed class ListEventTypesQueryHandlerTests
{
    [Test]
    public async Task Handle_ThenReturnsEveryConfiguredEventTypeInOrderWithItsDescription()
    {
        var list = await new ListEventTypesQueryHandler(TestData.Catalog()).Handle(new ListEventTypesQuery(), CancellationToken.None);

        Assert.That(list.Data, Is.EqualTo(TestData.SeedEventTypes.Select(name => new EventTypeResponse(name, "The " + name + " event."))));
    }

    [Test]
    public async Task Handle_WhenTheCatalogIsConfiguredOtherwise_ThenReturnsThatCatalog()
    {
        var catalog = new WebhookCatalog([new EventType("invoice.paid", "An invoice was paid.")], ["2026-04-01"]);

        var list = await new ListEventTypesQueryHandler(catalog).Handle(new ListEventTypesQuery(), CancellationToken.None);

        Assert.That(list.Data, Is.EqualTo(new[] { new EventTypeResponse("invoice.paid", "An invoice was paid.") }));
    }
}
