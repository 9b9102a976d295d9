using Webhooks.Application.Common.Security;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.ListWebhooks;
using Webhooks.Domain.Common;

namespace Webhooks.Application.Tests.Webhooks;

/// <summary>The page size of a query sent by any caller; the API reports it, with the cursor, before it sends the query.</summary>
public sealed class ListWebhooksQueryValidatorTests
{
    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(ListWebhooksQuery.MaxLimit + 1)]
    [TestCase(int.MaxValue)]
    public void Validate_WhenLimitIsNotFrom1To100_ThenReportsLimit(int limit)
    {
        var errors = new ListWebhooksQueryValidator().Validate(new ListWebhooksQuery(limit)).Errors.ToDictionary(e => e.PropertyName, e => e.ErrorMessage);

        Assert.That(errors, Is.EquivalentTo(new Dictionary<string, string> { ["limit"] = ListWebhooksQuery.InvalidLimitMessage }));
    }

    [TestCase(1)]
    [TestCase(ListWebhooksQuery.DefaultLimit)]
    [TestCase(ListWebhooksQuery.MaxLimit)]
    public void Validate_WhenLimitIsFrom1To100_ThenAccepts(int limit)
    {
        Assert.That(new ListWebhooksQueryValidator().Validate(new ListWebhooksQuery(limit)).IsValid, Is.True);
    }

    [Test]
    public void Constructor_WhenNothingIsSent_ThenAsksForTheDefaultPageFromTheStart()
    {
        Assert.That(new ListWebhooksQuery(), Is.EqualTo(new ListWebhooksQuery(ListWebhooksQuery.DefaultLimit, null)));
    }
}

public sealed class ListWebhooksQueryHandlerTests
{
    private Ports _ports = null!;

    [SetUp]
    public void SetUp()
    {
        _ports = new Ports();
        _ports.Cursors.Setup(c => c.Encode(It.IsAny<Guid>(), It.IsAny<Guid>())).Returns<Guid, Guid>((org, id) => $"next:{org:N}:{id:N}");
        _ports.ActAs(TestData.ReadCaller());
    }

    [TestCase(ListWebhooksQuery.DefaultLimit, 21)]
    [TestCase(1, 2)]
    [TestCase(5, 6)]
    [TestCase(100, 101)]
    public async Task Handle_WhenAskedForAPage_ThenAsksTheRepositoryForOneMoreThanThePageSize(int limit, int expectedTake)
    {
        Returns(null, expectedTake, []);

        await Handle(new ListWebhooksQuery(limit));

        _ports.Endpoints.Verify(r => r.ListAsync(TestData.OrgId, null, expectedTake, _ports.Token), Times.Once());
    }

    [Test]
    public async Task Handle_WhenTheRepositoryHasMoreThanAPage_ThenReturnsAFullPageHasMoreAndACursorOfTheLastItem()
    {
        var items = Endpoints(4);
        Returns(null, 4, items);

        var page = await Handle(new ListWebhooksQuery(3));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Data.Select(e => e.Id), Is.EqualTo(items.Take(3).Select(e => e.Id)));
            Assert.That(page.HasMore, Is.True);
            Assert.That(page.NextCursor, Is.EqualTo($"next:{TestData.OrgId:N}:{items[2].Id:N}"));
        }

        _ports.Cursors.Verify(c => c.Encode(TestData.OrgId, items[2].Id), Times.Once());
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(3)]
    public async Task Handle_WhenTheRepositoryHasAtMostAPage_ThenReturnsItAllWithoutMoreOrCursor(int count)
    {
        var items = Endpoints(count);
        Returns(null, 4, items);

        var page = await Handle(new ListWebhooksQuery(3));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Data.Select(e => e.Id), Is.EqualTo(items.Select(e => e.Id)));
            Assert.That(page.HasMore, Is.False);
            Assert.That(page.NextCursor, Is.Null);
        }

        _ports.Cursors.Verify(c => c.Encode(It.IsAny<Guid>(), It.IsAny<Guid>()), Times.Never());
    }

    [Test]
    public async Task Handle_WhenADecodedCursorIsSent_ThenListsAfterItsIdWithoutDecodingAgain()
    {
        var after = Guid.Parse("0196f0c1-2d3e-7f40-8a1b-0000000000aa");
        var items = Endpoints(2);
        Returns(after, 21, items);

        var page = await Handle(new ListWebhooksQuery(After: after));

        Assert.That(page.Data, Has.Count.EqualTo(2));
        _ports.Endpoints.Verify(r => r.ListAsync(TestData.OrgId, after, 21, _ports.Token), Times.Once());
        _ports.Cursors.Verify(c => c.Decode(It.IsAny<Guid>(), It.IsAny<string>()), Times.Never());
    }

    [Test]
    public async Task Handle_WhenItemsAreReturned_ThenMapsThemInTheRepositorysOrderWithETagsAndNoSecrets()
    {
        var items = Endpoints(2);
        items[1].Patch(new WebhookEndpointChanges(Active: false), TestData.Now);
        Returns(null, 21, items);

        var page = await Handle(new ListWebhooksQuery());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Data[0].Id, Is.EqualTo(items[0].Id));
            Assert.That(page.Data[0].Url, Is.EqualTo(TestData.Url));
            Assert.That(page.Data[0].OrgId, Is.EqualTo(TestData.OrgId));
            Assert.That(page.Data[1].Active, Is.False);
            Assert.That(page.Data[1].ETag, Is.EqualTo(WebhookETag.For(items[1].Id, 2)));
            Assert.That(page.Data.Select(e => e.Secret), Is.All.Null);
        }
    }

    [Test]
    public async Task Handle_WhenTheCallerIsOfAnotherOrganization_ThenListsThatOrganizationOnly()
    {
        _ports.ActAs(TestData.OtherOrgCaller(Domain.Organizations.Scopes.WebhooksRead));
        _ports.Endpoints.Setup(r => r.ListAsync(TestData.OtherOrgId, null, 21, It.IsAny<CancellationToken>())).ReturnsAsync([]);

        var page = await Handle(new ListWebhooksQuery());

        Assert.That(page.Data, Is.Empty);
        _ports.Endpoints.Verify(r => r.ListAsync(TestData.OtherOrgId, null, 21, _ports.Token), Times.Once());
    }

    /// <summary>Endpoints newest first, as the repository returns them.</summary>
    private static List<WebhookEndpoint> Endpoints(int count) =>
        Enumerable.Range(0, count)
            .Select(i => WebhookEndpoint.Create(
                Guid.Parse($"0196f0c1-2d3e-7f40-8a1b-{1000 - i:D12}"),
                TestData.OrgId,
                HttpsUrl.Create(TestData.Url).Value!,
                null,
                EventTypeSet.Create(["wallet.balance_low"], TestData.Catalog()).Value!,
                active: true,
                TestData.ApiVersion,
                TestData.StoredProtectedSecret,
                TestData.CreatedAt))
            .ToList();

    private void Returns(Guid? after, int take, List<WebhookEndpoint> items) =>
        _ports.Endpoints.Setup(r => r.ListAsync(TestData.OrgId, after, take, It.IsAny<CancellationToken>())).ReturnsAsync(items);

    private Task<WebhookEndpointPage> Handle(ListWebhooksQuery query) =>
        _ports.Handler<ListWebhooksQueryHandler>().Handle(query, _ports.Token);
}
