using FluentValidation;
using MediatR;
using Webhooks.Application.Common.Behaviors;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.GetWebhook;
using Webhooks.Application.Webhooks.ListWebhooks;
using Webhooks.Domain.Common;

namespace Webhooks.Application.Tests.Common.Behaviors;

/// <summary>
/// The validation behavior runs every validator of a request and reports all failures together.
/// Requests carry checked values (the API reads and checks bodies); what is left to validate is
/// what a caller outside the API could still get wrong, such as the page size.
/// </summary>
public sealed class ValidationBehaviorTests
{
    private static readonly WebhookEndpointResponse Response = new(
        TestData.EndpointId, TestData.OrgId, TestData.Url, null, ["wallet.balance_low"], true, TestData.ApiVersion, TestData.CreatedAt, TestData.CreatedAt, null);

    private static readonly WebhookEndpointPage Page = new([], false, null);

    [Test]
    public async Task Handle_WhenRequestHasNoValidators_ThenCallsNextOnce()
    {
        var next = Next(Response);

        var result = await new ValidationBehavior<GetWebhookQuery, WebhookEndpointResponse>([]).Handle(new GetWebhookQuery(TestData.EndpointId), CancellationToken.None, next.Object);

        Assert.That(result, Is.SameAs(Response));
        next.Verify(n => n(), Times.Once());
    }

    [Test]
    public async Task Handle_WhenTheListLimitIsValid_ThenCallsNextOnceAndReturnsItsResult()
    {
        var next = Next(Page);

        var result = await List(new ListWebhooksQuery(ListWebhooksQuery.MaxLimit), next);

        Assert.That(result, Is.SameAs(Page));
        next.Verify(n => n(), Times.Once());
    }

    [Test]
    public void Handle_WhenTheListLimitIsOutOfRange_ThenThrowsValidationFailedOnLimitAndDoesNotCallNext()
    {
        var next = Next(Page);

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => List(new ListWebhooksQuery(0), next));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["limit"] = ListWebhooksQuery.InvalidLimitMessage }));
        next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Handle_WhenTwoValidatorsFail_ThenReportsTheFailuresOfBoth()
    {
        var next = Next(Page);
        var extra = new InlineValidator<ListWebhooksQuery>();
        extra.RuleFor(q => q.After).Must(_ => false).WithMessage("second validator").OverridePropertyName("cursor");
        var behavior = new ValidationBehavior<ListWebhooksQuery, WebhookEndpointPage>([new ListWebhooksQueryValidator(), extra]);

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => behavior.Handle(new ListWebhooksQuery(101), CancellationToken.None, next.Object));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["limit"] = ListWebhooksQuery.InvalidLimitMessage, ["cursor"] = "second validator" }));
        next.Verify(n => n(), Times.Never());
    }

    private static Mock<RequestHandlerDelegate<T>> Next<T>(T result)
    {
        var next = new Mock<RequestHandlerDelegate<T>>(MockBehavior.Strict);
        next.Setup(n => n()).ReturnsAsync(result);
        return next;
    }

    private static Task<WebhookEndpointPage> List(ListWebhooksQuery query, Mock<RequestHandlerDelegate<WebhookEndpointPage>> next) =>
        new ValidationBehavior<ListWebhooksQuery, WebhookEndpointPage>([new ListWebhooksQueryValidator()]).Handle(query, CancellationToken.None, next.Object);
}
