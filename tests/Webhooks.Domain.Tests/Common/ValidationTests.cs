namespace Webhooks.Domain.Tests.Common;

public sealed class ValidationTests
{
    [TestCase("url", "", "url")]
    [TestCase("events", "[2]", "events[2]")]
    public void Add_WhenOutcomeIsInvalid_PrefixesItsKeysWithTheField(string field, string suffix, string expectedKey)
    {
        var errors = new ValidationErrors();
        errors.Add(field, Outcome<string>.Invalid(new Dictionary<string, string> { [suffix] = "bad" }));

        var exception = Assert.Throws<ValidationFailedException>(errors.ThrowIfAny);

        Assert.That(exception.Errors, Is.EquivalentTo(new Dictionary<string, string> { [expectedKey] = "bad" }));
    }

    [Test]
    public void ThrowIfAny_WhenNothingWasAdded_DoesNotThrow()
    {
        var errors = new ValidationErrors();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors.Any, Is.False);
            Assert.That(errors.ThrowIfAny, Throws.Nothing);
        }
    }

    [Test]
    public void Add_WhenFieldIsAddedTwice_KeepsTheFirstMessage()
    {
        var errors = new ValidationErrors();
        errors.Add("url", "first");
        errors.Add("url", "second");

        var exception = Assert.Throws<ValidationFailedException>(errors.ThrowIfAny);

        Assert.That(exception.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["url"] = "first" }));
    }

    [Test]
    public void Constructor_WhenNoErrors_Throws()
    {
        Assert.That(() => new ValidationFailedException(new Dictionary<string, string>()), Throws.ArgumentException);
    }

    [Test]
    public void Constructor_WhenOneField_HasStableMessageAndTheError()
    {
        var exception = new ValidationFailedException("url", "must use https");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception.Message, Is.EqualTo("validation failed"));
            Assert.That(exception.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["url"] = "must use https" }));
        }
    }
}
