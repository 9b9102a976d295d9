using Moq;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Tests.Support;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.ListWebhooks;
using Webhooks.Domain.Common;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Application.Tests.Webhooks;

public sealed class ListWebhooksQueryValidatorTests
{
    private const string LimitMessage = "must be an integer from 1 to 100";

    [TestCase("0")]
    [TestCase("101")]
    [TestCase("abc")]
    [TestCase("-1")]
    [TestCase("1.5")]
    [TestCase("")]
    [TestCase(" 5")]
    [TestCase("5 ")]
    [TestCase("+5")]
    [TestCase("1e2")]
    [TestCase("0x10")]
    [TestCase("99999999999")]
    public void Validate_WhenLimitIsNotAnIntegerFrom1To100_ThenReportsLimit(string limit)
    {
        Assert.That(Errors(new ListWebhooksQuery(limit, null)), Is.EquivalentTo(new Dictionary<string, string> { ["limit"] = LimitMessage }));
    }

    [TestCase("1")]
    [TestCase("20")]
    [TestCase("100")]
    public void Validate_WhenLimitIsFrom1To100_ThenAccepts(string limit)
    {
        Assert.That(Errors(new ListWebhooksQuery(limit, null)), Is.Empty);
    }

    [Test]
    public void Validate_WhenNothingIsSent_ThenAccepts()
    {
        Assert.That(Errors(new ListWebhooksQuery(null, null)), Is.Empty);
    }

    [Test]
    public void Validate_WhenCursorIsEmpty_ThenReportsCursor()
    {
        Assert.That(Errors(new ListWebhooksQuery(null, "")), Is.EquivalentTo(new Dictionary<string, string> { ["cursor"] = "is not a valid cursor" }));
    }

    [Test]
    public void Validate_WhenCursorIsLongerThan1024Characters_ThenReportsCursor()
    {
        Assert.That(Errors(new ListWebhooksQuery(null, new string('c', 1025))), Is.EquivalentTo(new Dictionary<string, string> { ["cursor"] = "is not a valid cursor" }));
    }

    [Test]
    public void Validate_WhenLimitAndCursorAreBothWrong_ThenReportsBoth()
    {
        Assert.That(Errors(new ListWebhooksQuery("0", "")), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["limit"] = LimitMessage,
            ["cursor"] = "is not a valid cursor",
        }));
    }

    [TestCase(null, 20)]
    [TestCase("1", 1)]
    [TestCase("100", 100)]
    public void PageSize_WhenLimitIsValidOrAbsent_ThenIsItOrTheDefault(string? limit, int expected)
    {
        Assert.That(new ListWebhooksQuery(limit, null).PageSize, Is.EqualTo(expected));
    }

    private static Dictionary<string, string> Errors(ListWebhooksQuery query) =>
        new ListWebhooksQueryValidator().Validate(query).Errors.ToDictionary(e => e.PropertyName, e => e.ErrorMessage);
}

public sealed class ListWebhooksQueryHandlerTests
{
    private const string IncomingCursor = "cursor-from-the-previous-page";

    private readonly CancellationToken _token = new CancellationTokenSource().Token;

    private Mock<IWebhookEndpointRepository> _endpoints = null!;
    private Mock<IListCursorCodec> _cursors = null!;
    private Mock<ICurrentCaller> _currentCaller = null!;

    [SetUp]
    public void SetUp()
    {
        _endpoints = new Mock<IWebhookEndpointRepository>(MockBehavior.Strict);
        _cursors = new Mock<IListCursorCodec>(MockBehavior.Strict);
        _cursors.Setup(c => c.Encode(It.IsAny<Guid>(), It.IsAny<Guid>())).Returns<Guid, Guid>((org, id) => $"next:{org:N}:{id:N}");
        _currentCaller = new Mock<ICurrentCaller>();
        _currentCaller.SetupGet(c => c.Caller).Returns(TestData.ReadCaller());
    }

    [TestCase(null, 21)]
    [TestCase("1", 2)]
    [TestCase("5", 6)]
    [TestCase("100", 101)]
    public async Task Handle_WhenAskedForAPage_ThenAsksTheRepositoryForOneMoreThanThePageSize(string? limit, int expectedTake)
    {
        Returns(null, expectedTake, []);

        await Handle(new ListWebhooksQuery(limit, null));

        _endpoints.Verify(r => r.ListAsync(TestData.OrgId, null, expectedTake, _token), Times.Once());
    }

    [Test]
    public async Task Handle_WhenTheRepositoryHasMoreThanAPage_ThenReturnsAFullPageHasMoreAndACursorOfTheLastItem()
    {
        var items = Endpoints(4);
        Returns(null, 4, items);

        var page = await Handle(new ListWebhooksQuery("3", null));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Data.Select(e => e.Id), Is.EqualTo(items.Take(3).Select(e => e.Id)));
            Assert.That(page.HasMore, Is.True);
            Assert.That(page.NextCursor, Is.EqualTo($"next:{TestData.OrgId:N}:{items[2].Id:N}"));
        }

        _cursors.Verify(c => c.Encode(TestData.OrgId, items[2].Id), Times.Once());
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(3)]
    public async Task Handle_WhenTheRepositoryHasAtMostAPage_ThenReturnsItAllWithoutMoreOrCursor(int count)
    {
        var items = Endpoints(count);
        Returns(null, 4, items);

        var page = await Handle(new ListWebhooksQuery("3", null));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.Data.Select(e => e.Id), Is.EqualTo(items.Select(e => e.Id)));
            Assert.That(page.HasMore, Is.False);
            Assert.That(page.NextCursor, Is.Null);
        }

        _cursors.Verify(c => c.Encode(It.IsAny<Guid>(), It.IsAny<Guid>()), Times.Never());
    }

    [Test]
    public async Task Handle_WhenACursorIsSent_ThenDecodesItForTheCallersOrgAndListsAfterItsId()
    {
        var after = Guid.Parse("0196f0c1-2d3e-7f40-8a1b-0000000000aa");
        _cursors.Setup(c => c.Decode(TestData.OrgId, IncomingCursor)).Returns(after);
        var items = Endpoints(2);
        Returns(after, 21, items);

        var page = await Handle(new ListWebhooksQuery(null, IncomingCursor));

        Assert.That(page.Data, Has.Count.EqualTo(2));
        _endpoints.Verify(r => r.ListAsync(TestData.OrgId, after, 21, _token), Times.Once());
    }

    [Test]
    public void Handle_WhenTheCursorCannotBeDecoded_ThenThrowsValidationFailedOnCursorWithoutListing()
    {
        _cursors.Setup(c => c.Decode(TestData.OrgId, IncomingCursor)).Returns((Guid?)null);

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(new ListWebhooksQuery(null, IncomingCursor)));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["cursor"] = "is not a valid cursor" }));
        _endpoints.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Handle_WhenItemsAreReturned_ThenMapsThemInTheRepositorysOrderWithETagsAndNoSecrets()
    {
        var items = Endpoints(2);
        items[1].Deactivate(TestData.Now);
        Returns(null, 21, items);

        var page = await Handle(new ListWebhooksQuery(null, null));

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
        _currentCaller.SetupGet(c => c.Caller).Returns(new Caller(CallerKind.ApiKey, TestData.ApiKeyId, TestData.OtherOrgId, [Domain.Organizations.Scopes.WebhooksRead]));
        _endpoints.Setup(r => r.ListAsync(TestData.OtherOrgId, null, 21, It.IsAny<CancellationToken>())).ReturnsAsync([]);

        var page = await Handle(new ListWebhooksQuery(null, null));

        Assert.That(page.Data, Is.Empty);
        _endpoints.Verify(r => r.ListAsync(TestData.OtherOrgId, null, 21, _token), Times.Once());
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
        _endpoints.Setup(r => r.ListAsync(TestData.OrgId, after, take, It.IsAny<CancellationToken>())).ReturnsAsync(items);

    private Task<WebhookEndpointPage> Handle(ListWebhooksQuery query) =>
        new ListWebhooksQueryHandler(_endpoints.Object, _cursors.Object, _currentCaller.Object, TestData.Mapper).Handle(query, _token);
}
