using MediatR;
using Moq;
using Webhooks.Application.Clients;
using Webhooks.Application.Clients.UpdateClientWebhookUrl;
using Webhooks.Application.Common;
using Webhooks.Application.Common.Behaviors;
using Webhooks.Domain.Common;
using static Webhooks.Application.Tests.ClientsApi.ClientTestData;

namespace Webhooks.Application.Tests.ClientsApi;

/// <summary>The validator of <c>PATCH /clients/webhook-url</c>, run the way the pipeline runs it: by the validation behavior.</summary>
public sealed class UpdateClientWebhookUrlCommandValidatorTests
{
    private const string RequiredMessage = "is required; send an empty string to clear the webhook URL";

    private static readonly ClientResponse Response = new(ClientId.ToString(), CustomerId, WebhookUrl);

    private Mock<RequestHandlerDelegate<ClientResponse>> _next = null!;

    [SetUp]
    public void SetUp()
    {
        _next = new Mock<RequestHandlerDelegate<ClientResponse>>(MockBehavior.Strict);
        _next.Setup(n => n()).ReturnsAsync(Response);
    }

    [Test]
    public void Validate_WhenWebhookUrlIsAbsent_ThenReportsItIsRequiredAndHowToClearAndDoesNotCallNext()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Validate(new UpdateClientWebhookUrlCommand(Optional<string?>.Absent)));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["webhook_url"] = RequiredMessage }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Validate_WhenWebhookUrlIsNull_ThenReportsItIsRequiredAndHowToClearAndDoesNotCallNext()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Validate(new UpdateClientWebhookUrlCommand(Optional<string?>.Of(null))));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["webhook_url"] = RequiredMessage }));
        _next.Verify(n => n(), Times.Never());
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase(WebhookUrl)]
    public async Task Validate_WhenWebhookUrlIsAString_ThenCallsNextOnceAndReturnsItsResult(string webhookUrl)
    {
        var result = await Validate(new UpdateClientWebhookUrlCommand(webhookUrl));

        Assert.That(result, Is.SameAs(Response));
        _next.Verify(n => n(), Times.Once());
    }

    [Test]
    public void Validate_WhenBodyHasErrorsAndWebhookUrlIsPresent_ThenReportsTheBodyErrorsKeyedByFieldAndDoesNotCallNext()
    {
        var command = new UpdateClientWebhookUrlCommand(WebhookUrl)
        {
            BodyErrors = new Dictionary<string, string> { ["webhook_urll"] = "is not a known field", ["client_id"] = "is read-only" },
        };

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Validate(command));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["webhook_urll"] = "is not a known field",
            ["client_id"] = "is read-only",
        }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Validate_WhenBodyHasAnErrorOnAnotherFieldAndWebhookUrlIsAbsent_ThenReportsBothTogether()
    {
        var command = new UpdateClientWebhookUrlCommand(Optional<string?>.Absent)
        {
            BodyErrors = new Dictionary<string, string> { ["webhook_urll"] = "is not a known field" },
        };

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Validate(command));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["webhook_urll"] = "is not a known field",
            ["webhook_url"] = RequiredMessage,
        }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Validate_WhenBodyHasAnErrorOnWebhookUrl_ThenReportsOnlyThatErrorAndNotTheRequiredRule()
    {
        // What the API builds from {"webhook_url": 42}: the value could not be read, so it is absent.
        var command = new UpdateClientWebhookUrlCommand(Optional<string?>.Absent)
        {
            BodyErrors = new Dictionary<string, string> { ["webhook_url"] = "must be a string" },
        };

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Validate(command));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["webhook_url"] = "must be a string" }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Validate_WhenBodyIsNotAJsonObject_ThenReportsOnlyTheBodyAndNotTheRequiredRule()
    {
        var command = new UpdateClientWebhookUrlCommand(Optional<string?>.Absent)
        {
            BodyErrors = new Dictionary<string, string> { [BodyCommandValidator<UpdateClientWebhookUrlCommand>.BodyKey] = "must be a JSON object" },
        };

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Validate(command));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["body"] = "must be a JSON object" }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Validator_WhenBodyHasAnErrorOnWebhookUrl_ThenTheRequiredRuleAddsNoSecondFailure()
    {
        // The behavior keeps the first message per field, so only the validator itself shows a doubled failure.
        var command = new UpdateClientWebhookUrlCommand(Optional<string?>.Of(null))
        {
            BodyErrors = new Dictionary<string, string> { ["webhook_url"] = "must be a string" },
        };

        var failures = new UpdateClientWebhookUrlCommandValidator().Validate(command).Errors;

        Assert.That(failures.Select(f => (f.PropertyName, f.ErrorMessage)), Is.EqualTo(new[] { ("webhook_url", "must be a string") }));
    }

    private Task<ClientResponse> Validate(UpdateClientWebhookUrlCommand command) =>
        new ValidationBehavior<UpdateClientWebhookUrlCommand, ClientResponse>([new UpdateClientWebhookUrlCommandValidator()])
            .Handle(command, CancellationToken.None, _next.Object);
}
