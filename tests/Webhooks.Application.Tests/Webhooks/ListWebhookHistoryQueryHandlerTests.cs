using Webhooks.Application.Common.Errors;
using Webhooks.Application.Webhooks.ListWebhookHistory;
using Webhooks.Domain.Organizations;

namespace Webhooks.Application.Tests.Webhooks;

/// <summary>An endpoint's history: the endpoint must be the organization's before anything is read; each stored entry is shown with its actor and changes.</summary>
public sealed class ListWebhookHistoryQueryHandlerTests : ReaderFixture
{
    [Test]
    public void Handle_WhenTheEndpointIsNotTheOrganizations_ThenThrowsNotFoundAndReadsNoHistory()
    {
        Ports.Endpoints.Setup(r => r.ReadAsync(TestData.EndpointId, TestData.OrgId, It.IsAny<CancellationToken>())).ReturnsAsync((Domain.Webhooks.WebhookEndpoint?)null);

        Assert.ThrowsAsync<NotFoundException>(() => Ports.Handler<ListWebhookHistoryQueryHandler>().Handle(new ListWebhookHistoryQuery(TestData.EndpointId), Ports.Token));
        Ports.History.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Handle_ReadsOneRowMore_AndShowsEachEntryWithItsActorAndChanges()
    {
        var endpoint = TestData.Endpoint();
        Ports.Holds(endpoint);
        var after = Guid.CreateVersion7();
        var deactivated = Entry(WebhookHistory.SystemActor, null, "the receiver answered 410 Gone", "deactivated", """{"active":{"from":true,"to":false}}""");
        var updated = Entry(WebhookHistory.ApiKeyActor, TestData.ApiKeyId, null, "updated", """{"events":{"from":["a.b"],"to":["a.b","c.d"]},"description":{"from":"x","to":null}}""");
        Ports.History.Setup(h => h.ListAsync(endpoint.Id, after, 2, Ports.Token)).ReturnsAsync([deactivated, updated]);
        Ports.Cursors.Setup(c => c.Encode(endpoint.OrgId, deactivated.Id)).Returns("next");

        var page = await Ports.Handler<ListWebhookHistoryQueryHandler>().Handle(new ListWebhookHistoryQuery(endpoint.Id, Limit: 1, After: after), Ports.Token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((page.HasMore, page.NextCursor), Is.EqualTo((true, "next")));
            Assert.That(page.Data, Has.Count.EqualTo(1));
            Assert.That((page.Data[0].At, page.Data[0].Action), Is.EqualTo((TestData.Now, "deactivated")));
            Assert.That(page.Data[0].Actor, Is.EqualTo(new WebhookHistoryActorResponse("system", Reason: "the receiver answered 410 Gone")));
            Assert.That(page.Data[0].Changes.Keys, Is.EqualTo(new[] { "active" }));
            Assert.That(page.Data[0].Changes["active"].From!.GetValue<bool>(), Is.True);
            Assert.That(page.Data[0].Changes["active"].To!.GetValue<bool>(), Is.False);
        }
    }

    [Test]
    public async Task Handle_ShowsAnApiKeyActorWithItsId_AndNullAsNull()
    {
        var endpoint = TestData.Endpoint();
        Ports.Holds(endpoint);
        var updated = Entry(WebhookHistory.ApiKeyActor, TestData.ApiKeyId, null, "updated", """{"description":{"from":"x","to":null}}""");
        Ports.History.Setup(h => h.ListAsync(endpoint.Id, null, 21, Ports.Token)).ReturnsAsync([updated]);

        var page = await Ports.Handler<ListWebhookHistoryQueryHandler>().Handle(new ListWebhookHistoryQuery(endpoint.Id), Ports.Token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((page.HasMore, page.NextCursor), Is.EqualTo((false, (string?)null)));
            Assert.That(page.Data.Single().Actor, Is.EqualTo(new WebhookHistoryActorResponse("api_key", Id: TestData.ApiKeyId)));
            Assert.That(page.Data.Single().Changes["description"].From!.GetValue<string>(), Is.EqualTo("x"));
            Assert.That(page.Data.Single().Changes["description"].To, Is.Null);
        }
    }

    private static WebhookHistoryRecord Entry(string actorType, Guid? actorId, string? reason, string action, string changes) => new()
    {
        Id = Guid.CreateVersion7(),
        EndpointId = TestData.EndpointId,
        At = TestData.Now,
        ActorType = actorType,
        ActorId = actorId,
        ActorReason = reason,
        Action = action,
        Changes = changes,
    };
}
