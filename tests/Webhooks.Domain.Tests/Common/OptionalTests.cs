namespace Webhooks.Domain.Tests.Common;

public sealed class OptionalTests
{
    [Test]
    public void Absent_WhenRead_HasNoValueAndThrowsOnValue()
    {
        var absent = Optional<string?>.Absent;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(absent.HasValue, Is.False);
            Assert.That(() => absent.Value, Throws.InvalidOperationException);
            Assert.That(absent.ToString(), Is.EqualTo("Absent"));
        }
    }

    [Test]
    public void Default_WhenRead_IsAbsent()
    {
        Optional<string?> value = default;

        Assert.That(value, Is.EqualTo(Optional<string?>.Absent));
    }

    [Test]
    public void OfNull_WhenRead_HasANullValue()
    {
        var present = Optional<string?>.Of(null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(present.HasValue, Is.True);
            Assert.That(present.Value, Is.Null);
            Assert.That(present, Is.Not.EqualTo(Optional<string?>.Absent));
        }
    }

    [TestCase("x")]
    [TestCase("")]
    [TestCase("https://hooks.example.com/x")]
    public void Of_WhenGivenAValue_HoldsIt(string value)
    {
        var present = Optional<string?>.Of(value);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(present.HasValue, Is.True);
            Assert.That(present.Value, Is.EqualTo(value));
            Assert.That(present.ToString(), Is.EqualTo($"Of({value})"));
            Assert.That(present, Is.EqualTo(Optional<string?>.Of(value)));
            Assert.That(present, Is.Not.EqualTo(Optional<string?>.Of(null)));
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void ImplicitConversion_WhenGivenAValue_IsPresent(bool value)
    {
        Optional<bool?> present = value;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(present.HasValue, Is.True);
            Assert.That(present.Value, Is.EqualTo(value));
        }
    }

    [Test]
    public void EmptyPatch_WhenRead_HasEveryFieldAbsent()
    {
        var empty = global::Webhooks.Domain.Webhooks.WebhookEndpointChanges.None;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(empty.Url.HasValue, Is.False);
            Assert.That(empty.Description.HasValue, Is.False);
            Assert.That(empty.Events.HasValue, Is.False);
            Assert.That(empty.Active.HasValue, Is.False);
            Assert.That(empty.ApiVersion.HasValue, Is.False);
        }
    }
}
