using Webhooks.Application.Tests.Support;
using Webhooks.Application.Webhooks.CreateWebhook;
using Webhooks.Domain.Common;

namespace Webhooks.Application.Tests.Webhooks;

/// <summary>The <c>Idempotency-Key</c> header: 1 to 255 visible ASCII characters.</summary>
public sealed class CreateWebhookCommandValidatorTests
{
    private const string KeyMessage = "must be 1 to 255 visible ASCII characters";

    private static IEnumerable<TestCaseData> AcceptedKeys()
    {
        yield return new TestCaseData("a").SetName("Validate_WhenKeyIsOneCharacter_ThenAccepts");
        yield return new TestCaseData(new string('k', 255)).SetName("Validate_WhenKeyHas255Characters_ThenAccepts");
        yield return new TestCaseData("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4").SetName("Validate_WhenKeyIsAUuid_ThenAccepts");
        yield return new TestCaseData("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~").SetName("Validate_WhenKeyHasEveryVisiblePunctuation_ThenAccepts");
    }

    [TestCaseSource(nameof(AcceptedKeys))]
    public void Validate_WhenKeyIsVisibleAsciiOfAllowedLength_ThenHasNoKeyError(string key)
    {
        Assert.That(Errors(Valid() with { IdempotencyKey = key }), Is.Empty);
    }

    [Test]
    public void Validate_WhenNoKeyIsSent_ThenHasNoKeyError()
    {
        Assert.That(Errors(Valid()), Is.Empty);
    }

    private static IEnumerable<TestCaseData> RefusedKeys()
    {
        yield return new TestCaseData("").SetName("Validate_WhenKeyIsEmpty_ThenRefuses");
        yield return new TestCaseData(new string('k', 256)).SetName("Validate_WhenKeyHas256Characters_ThenRefuses");
        yield return new TestCaseData("two words").SetName("Validate_WhenKeyHasASpace_ThenRefuses");
        yield return new TestCaseData("tab\there").SetName("Validate_WhenKeyHasATab_ThenRefuses");
        yield return new TestCaseData("key\u007f").SetName("Validate_WhenKeyHasDel_ThenRefuses");
        yield return new TestCaseData("clé").SetName("Validate_WhenKeyHasANonAsciiLetter_ThenRefuses");
        yield return new TestCaseData("key\u00a0").SetName("Validate_WhenKeyHasANoBreakSpace_ThenRefuses");
        yield return new TestCaseData("🔑").SetName("Validate_WhenKeyIsAnEmoji_ThenRefuses");
    }

    [TestCaseSource(nameof(RefusedKeys))]
    public void Validate_WhenKeyIsNotVisibleAsciiOrTooLong_ThenReportsItUnderIdempotencyKey(string key)
    {
        Assert.That(Errors(Valid() with { IdempotencyKey = key }), Is.EquivalentTo(new Dictionary<string, string> { ["Idempotency-Key"] = KeyMessage }));
    }

    [Test]
    public void Validate_WhenKeyAndBodyAreBothWrong_ThenReportsThemTogether()
    {
        var command = new CreateWebhookCommand(Url: "http://hooks.example.com/x") { IdempotencyKey = "" };

        Assert.That(Errors(command), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["events"] = "is required",
            ["url"] = "must use https",
            ["Idempotency-Key"] = KeyMessage,
        }));
    }

    [Test]
    public void Validate_WhenBodyIsNotAnObject_ThenStillChecksTheKey()
    {
        var command = new CreateWebhookCommand
        {
            BodyErrors = new Dictionary<string, string> { ["body"] = "must be a JSON object" },
            IdempotencyKey = new string('k', 256),
        };

        Assert.That(Errors(command), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["body"] = "must be a JSON object",
            ["Idempotency-Key"] = KeyMessage,
        }));
    }

    private static CreateWebhookCommand Valid() =>
        new(Url: TestData.Url, Events: Optional<IReadOnlyList<string?>?>.Of(["wallet.balance_low"]));

    /// <summary>The failures as the validation behavior reports them: the first message of each field.</summary>
    private static Dictionary<string, string> Errors(CreateWebhookCommand command) =>
        new CreateWebhookCommandValidator(TestData.Catalog()).Validate(command).Errors
            .GroupBy(e => e.PropertyName)
            .ToDictionary(g => g.Key, g => g.First().ErrorMessage);
}
