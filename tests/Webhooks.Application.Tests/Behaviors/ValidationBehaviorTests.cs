using FluentValidation;
using MediatR;
using Moq;
using Webhooks.Application.Common.Behaviors;
using Webhooks.Application.Tests.Support;
using Webhooks.Application.Webhooks;
using Webhooks.Application.Webhooks.CreateWebhook;
using Webhooks.Application.Webhooks.GetWebhook;
using Webhooks.Application.Webhooks.PatchWebhook;
using Webhooks.Domain.Common;

namespace Webhooks.Application.Tests.Behaviors;

public sealed class ValidationBehaviorTests
{
    private static readonly WebhookEndpointResponse Response = new(
        TestData.EndpointId, TestData.OrgId, TestData.Url, null, ["wallet.balance_low"], true, TestData.ApiVersion, TestData.CreatedAt, TestData.CreatedAt, null);

    private Mock<RequestHandlerDelegate<WebhookEndpointResponse>> _next = null!;

    [SetUp]
    public void SetUp()
    {
        _next = new Mock<RequestHandlerDelegate<WebhookEndpointResponse>>(MockBehavior.Strict);
        _next.Setup(n => n()).ReturnsAsync(Response);
    }

    [Test]
    public async Task Patch_WhenBodyIsEmpty_ThenCallsNextOnceAndReturnsItsResult()
    {
        var result = await Patch(new PatchWebhookCommand(TestData.EndpointId.ToString()));

        Assert.That(result, Is.SameAs(Response));
        _next.Verify(n => n(), Times.Once());
    }

    [Test]
    public async Task Patch_WhenEveryFieldHasAValue_ThenCallsNextOnce()
    {
        await Patch(new PatchWebhookCommand(
            TestData.EndpointId.ToString(),
            Url: "https://hooks.example.com/new",
            Description: "label",
            Events: Events("wallet.balance_low"),
            Active: false,
            ApiVersion: TestData.ApiVersion));

        _next.Verify(n => n(), Times.Once());
    }

    [Test]
    public void Patch_WhenValuesBreakTheEndpointsOwnRules_ThenReportsEveryRuleTogetherAndDoesNotCallNext()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Patch(new PatchWebhookCommand(
            TestData.EndpointId.ToString(),
            Url: "http://not-https.example.com",
            Description: new string('x', 500),
            Events: Events(),
            ApiVersion: "1999-01-01")));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["url"] = "must use https",
            ["description"] = "must be at most 200 characters",
            ["events"] = "must contain at least one event type",
            ["api_version"] = "is immutable; create a new endpoint at the new version",
        }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Patch_WhenShapeErrorsAndRuleViolationsMeet_ThenReportsThemAllInOneFailure()
    {
        var command = new PatchWebhookCommand(
            TestData.EndpointId.ToString(),
            Url: "http://hooks.example.com/ops",
            Description: "bell\u0007",
            Events: Events("wallet.balance_low", "wallet.unknown"),
            Active: Optional<bool?>.Of(null),
            ApiVersion: "2099-01-01")
        {
            BodyErrors = new Dictionary<string, string> { ["urll"] = "is not a known field", ["created_at"] = "is read-only" },
        };

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Patch(command));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["urll"] = "is not a known field",
            ["created_at"] = "is read-only",
            ["url"] = "must use https",
            ["description"] = "must not contain control characters",
            ["events[1]"] = "unknown event type 'wallet.unknown'",
            ["active"] = "must be a boolean",
            ["api_version"] = "is immutable; create a new endpoint at the new version",
        }));
        _next.Verify(n => n(), Times.Never());
    }

    [TestCase("/relative/path")]
    [TestCase("//hooks.example.com/p")]
    [TestCase("hooks.example.com/p")]
    [TestCase("")]
    public void Patch_WhenUrlIsNotAbsolute_ThenReportsMustBeAnAbsoluteHttpsUrl(string url)
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Patch(new PatchWebhookCommand(TestData.EndpointId.ToString(), Url: url)));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["url"] = "must be an absolute https URL" }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Patch_WhenApiVersionIsNull_ThenReportsItImmutableBecauseNoEndpointHasANullVersion()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() =>
            Patch(new PatchWebhookCommand(TestData.EndpointId.ToString(), ApiVersion: Optional<string?>.Of(null))));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["api_version"] = "is immutable; create a new endpoint at the new version" }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public async Task Patch_WhenApiVersionIsConfigured_ThenCallsNextBecauseOnlyTheStoredEndpointKnowsWhetherItDiffers()
    {
        var catalog = TestData.Catalog("2025-06-01", TestData.ApiVersion);

        await new ValidationBehavior<PatchWebhookCommand, WebhookEndpointResponse>([new PatchWebhookCommandValidator(catalog)])
            .Handle(new PatchWebhookCommand(TestData.EndpointId.ToString(), ApiVersion: "2025-06-01"), CancellationToken.None, _next.Object);

        _next.Verify(n => n(), Times.Once());
    }

    [Test]
    public void Patch_WhenTheBodyIsNotAJsonObject_ThenReportsOnlyTheBodyError()
    {
        var command = new PatchWebhookCommand(
            TestData.EndpointId.ToString(),
            Url: "http://hooks.example.com/ops",
            Events: Events(),
            Active: Optional<bool?>.Of(null),
            ApiVersion: "1999-01-01")
        {
            BodyErrors = new Dictionary<string, string> { ["body"] = "is not valid JSON" },
        };

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Patch(command));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["body"] = "is not valid JSON" }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Patch_WhenAnEventItemCouldNotBeDecoded_ThenReportsTheReadersMessageForThatItem()
    {
        var command = new PatchWebhookCommand(TestData.EndpointId.ToString(), Events: Events("wallet.balance_low", null))
        {
            BodyErrors = new Dictionary<string, string> { ["events[1]"] = "must be valid Unicode text" },
        };

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Patch(command));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["events[1]"] = "must be valid Unicode text" }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public async Task Patch_WhenDescriptionIsNull_ThenCallsNextBecauseNullClearsTheLabel()
    {
        await Patch(new PatchWebhookCommand(TestData.EndpointId.ToString(), Description: Optional<string?>.Of(null)));

        _next.Verify(n => n(), Times.Once());
    }

    [Test]
    public void Patch_WhenUrlIsNull_ThenReportsUrlMustNotBeNullAndDoesNotCallNext()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() =>
            Patch(new PatchWebhookCommand(TestData.EndpointId.ToString(), Url: Optional<string?>.Of(null))));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["url"] = "must not be null" }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Patch_WhenEventsIsNull_ThenReportsEventsAndDoesNotCallNext()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() =>
            Patch(new PatchWebhookCommand(TestData.EndpointId.ToString(), Events: Optional<IReadOnlyList<string?>?>.Of(null))));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["events"] = "must be a non-empty array of event types" }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Patch_WhenActiveIsNull_ThenReportsMustBeABooleanAndDoesNotCallNext()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() =>
            Patch(new PatchWebhookCommand(TestData.EndpointId.ToString(), Active: Optional<bool?>.Of(null))));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["active"] = "must be a boolean" }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Patch_WhenBodyHasErrors_ThenReportsThemKeyedByFieldAndDoesNotCallNext()
    {
        var command = new PatchWebhookCommand(TestData.EndpointId.ToString())
        {
            BodyErrors = new Dictionary<string, string>
            {
                ["urll"] = "is not a known field",
                ["created_at"] = "is read-only",
                ["events[2]"] = "must be a string",
            },
        };

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Patch(command));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["urll"] = "is not a known field",
            ["created_at"] = "is read-only",
            ["events[2]"] = "must be a string",
        }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Patch_WhenBodyErrorsAndNullFields_ThenReportsEveryFieldTogether()
    {
        var command = new PatchWebhookCommand(
            TestData.EndpointId.ToString(),
            Url: Optional<string?>.Of(null),
            Events: Optional<IReadOnlyList<string?>?>.Of(null),
            Active: Optional<bool?>.Of(null))
        {
            BodyErrors = new Dictionary<string, string> { ["id"] = "is read-only" },
        };

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Patch(command));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["id"] = "is read-only",
            ["url"] = "must not be null",
            ["events"] = "must be a non-empty array of event types",
            ["active"] = "must be a boolean",
        }));
        Assert.That(exception.Message, Is.EqualTo("validation failed"));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Patch_WhenTwoValidatorsFail_ThenReportsTheFailuresOfBoth()
    {
        var extra = new InlineValidator<PatchWebhookCommand>();
        extra.RuleFor(c => c.Id).Must(_ => false).WithMessage("second validator").OverridePropertyName("id");
        var behavior = new ValidationBehavior<PatchWebhookCommand, WebhookEndpointResponse>([new PatchWebhookCommandValidator(TestData.Catalog()), extra]);

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() =>
            behavior.Handle(new PatchWebhookCommand("x", Active: Optional<bool?>.Of(null)), CancellationToken.None, _next.Object));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["active"] = "must be a boolean", ["id"] = "second validator" }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Create_WhenUrlAndEventsAreAbsent_ThenReportsBothAsRequiredAndDoesNotCallNext()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Create(new CreateWebhookCommand()));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["url"] = "is required", ["events"] = "is required" }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Create_WhenUrlAndEventsAreNull_ThenReportsBothAsRequired()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() =>
            Create(new CreateWebhookCommand(Url: Optional<string?>.Of(null), Events: Optional<IReadOnlyList<string?>?>.Of(null))));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["url"] = "is required", ["events"] = "is required" }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Create_WhenEverythingIsWrong_ThenReportsAllFailuresTogether()
    {
        var command = new CreateWebhookCommand(Active: Optional<bool?>.Of(null))
        {
            BodyErrors = new Dictionary<string, string> { ["secret"] = "is read-only" },
        };

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Create(command));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["secret"] = "is read-only",
            ["url"] = "is required",
            ["events"] = "is required",
            ["active"] = "must be a boolean",
        }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Create_WhenShapeErrorsAndRuleViolationsMeet_ThenReportsThemAllInOneFailure()
    {
        var command = new CreateWebhookCommand(
            "https://user:pw@hooks.example.com/",
            Events("wallet.balance_low", "wallet.unknown"),
            new string('x', 201),
            Optional<bool?>.Of(null),
            "1999-01-01")
        {
            BodyErrors = new Dictionary<string, string> { ["secret"] = "is read-only" },
        };

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Create(command));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["secret"] = "is read-only",
            ["url"] = "must not contain a user name or password",
            ["description"] = "must be at most 200 characters",
            ["events[1]"] = "unknown event type 'wallet.unknown'",
            ["active"] = "must be a boolean",
            ["api_version"] = "must be one of: 2026-04-01",
        }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Create_WhenUrlIsMissingAndEventsBreakTheirRule_ThenReportsBoth()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Create(new CreateWebhookCommand(Events: Events())));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["url"] = "is required",
            ["events"] = "must contain at least one event type",
        }));
        _next.Verify(n => n(), Times.Never());
    }

    [TestCase("/relative/path")]
    [TestCase("//hooks.example.com/p")]
    public void Create_WhenUrlIsNotAbsolute_ThenReportsMustBeAnAbsoluteHttpsUrl(string url)
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Create(new CreateWebhookCommand(url, Events("wallet.balance_low"))));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["url"] = "must be an absolute https URL" }));
        _next.Verify(n => n(), Times.Never());
    }

    [TestCase("is not valid JSON")]
    [TestCase("must be a JSON object")]
    public void Create_WhenTheBodyIsNotAJsonObject_ThenReportsOnlyTheBodyErrorAndNothingAsRequired(string problem)
    {
        var command = new CreateWebhookCommand { BodyErrors = new Dictionary<string, string> { ["body"] = problem } };

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Create(command));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["body"] = problem }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public void Create_WhenOnlyEventsIsMissing_ThenReportsOnlyEvents()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Create(new CreateWebhookCommand(Url: TestData.Url)));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["events"] = "is required" }));
        _next.Verify(n => n(), Times.Never());
    }

    [Test]
    public async Task Create_WhenUrlAndEventsArePresent_ThenCallsNextOnce()
    {
        var result = await Create(new CreateWebhookCommand(Url: TestData.Url, Events: Events("wallet.balance_low")));

        Assert.That(result, Is.SameAs(Response));
        _next.Verify(n => n(), Times.Once());
    }

    [Test]
    public async Task Create_WhenEveryFieldHasAValue_ThenCallsNextOnce()
    {
        await Create(new CreateWebhookCommand(TestData.Url, Events("wallet.balance_low"), "label", false, TestData.ApiVersion));

        _next.Verify(n => n(), Times.Once());
    }

    [Test]
    public async Task Handle_WhenRequestHasNoValidators_ThenCallsNextOnce()
    {
        var behavior = new ValidationBehavior<GetWebhookQuery, WebhookEndpointResponse>([]);

        var result = await behavior.Handle(new GetWebhookQuery("x"), CancellationToken.None, _next.Object);

        Assert.That(result, Is.SameAs(Response));
        _next.Verify(n => n(), Times.Once());
    }

    private static Optional<IReadOnlyList<string?>?> Events(params string?[] items) => Optional<IReadOnlyList<string?>?>.Of(items);

    private Task<WebhookEndpointResponse> Patch(PatchWebhookCommand command) =>
        new ValidationBehavior<PatchWebhookCommand, WebhookEndpointResponse>([new PatchWebhookCommandValidator(TestData.Catalog())])
            .Handle(command, CancellationToken.None, _next.Object);

    private Task<WebhookEndpointResponse> Create(CreateWebhookCommand command) =>
        new ValidationBehavior<CreateWebhookCommand, WebhookEndpointResponse>([new CreateWebhookCommandValidator(TestData.Catalog())])
            .Handle(command, CancellationToken.None, _next.Object);
}
