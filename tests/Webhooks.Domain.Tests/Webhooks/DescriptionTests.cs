namespace Webhooks.Domain.Tests.Webhooks;

public sealed class DescriptionTests
{
    private const string TooLongMessage = Description.TooLongMessage;
    private const string ControlMessage = Description.ControlCharactersMessage;
    private const string InvalidUnicodeMessage = Description.InvalidUnicodeMessage;

    [TestCase(null)]
    [TestCase("")]
    [TestCase(" ")]
    [TestCase("   ")]
    [TestCase("\t\r\n")]
    [TestCase("\u00a0\u2003\u3000")]
    public void Create_WhenNullOrBlank_ReturnsValidNullThatClearsTheLabel(string? raw)
    {
        var outcome = Description.Create(raw);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.IsValid, Is.True);
            Assert.That(outcome.Errors, Is.Empty);
            Assert.That(outcome.Value, Is.Null);
        }
    }

    [TestCase("Ops alerts", "Ops alerts")]
    [TestCase("  Ops alerts  ", "Ops alerts")]
    [TestCase("\tOps alerts\n", "Ops alerts")]
    [TestCase("\u00a0Ops  alerts\u3000", "Ops  alerts")]
    [TestCase("x", "x")]
    [TestCase("Ops\u00a0alerts", "Ops\u00a0alerts")]
    [TestCase("Zahlungen für Bücher", "Zahlungen für Bücher")]
    [TestCase("運用アラート", "運用アラート")]
    [TestCase("alerts 🚨", "alerts 🚨")]
    [TestCase("👩‍💻 team", "👩‍💻 team")]
    public void Create_WhenTextIsALabel_ReturnsItTrimmed(string raw, string expected)
    {
        var outcome = Description.Create(raw);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Errors, Is.Empty);
            Assert.That(outcome.Value?.Value, Is.EqualTo(expected));
            Assert.That(outcome.Value?.ToString(), Is.EqualTo(expected));
        }
    }

    private static IEnumerable<TestCaseData> LengthCases()
    {
        yield return new TestCaseData(TestData.Repeat("a", 200), true).SetName("Create_When200AsciiCharacters_AcceptsIt");
        yield return new TestCaseData(TestData.Repeat("a", 201), false).SetName("Create_When201AsciiCharacters_RefusesIt");
        yield return new TestCaseData(TestData.Repeat("😀", 200), true).SetName("Create_When200Emoji_AcceptsItAsEachCountsOnce");
        yield return new TestCaseData(TestData.Repeat("😀", 201), false).SetName("Create_When201Emoji_RefusesIt");
        yield return new TestCaseData(TestData.Repeat("字", 200), true).SetName("Create_When200CjkCharacters_AcceptsIt");
        yield return new TestCaseData(TestData.Repeat("字", 201), false).SetName("Create_When201CjkCharacters_RefusesIt");
        yield return new TestCaseData(TestData.Repeat("a", 150) + TestData.Repeat("𝄞", 50), true).SetName("Create_When200MixedCodePoints_AcceptsIt");
        yield return new TestCaseData(TestData.Repeat("a", 151) + TestData.Repeat("𝄞", 50), false).SetName("Create_When201MixedCodePoints_RefusesIt");
        yield return new TestCaseData("  " + TestData.Repeat("b", 200) + "  ", true).SetName("Create_When200CharactersWithSurroundingSpaces_MeasuresAfterTrimming");
        yield return new TestCaseData(TestData.Repeat("a", 1000), false).SetName("Create_When1000Characters_RefusesIt");
    }

    [TestCaseSource(nameof(LengthCases))]
    public void Create_WhenTextHasGivenLength_AcceptsAtMost200CodePoints(string raw, bool accepted)
    {
        var outcome = Description.Create(raw);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.IsValid, Is.EqualTo(accepted));
            if (accepted)
            {
                Assert.That(outcome.Value?.Value, Is.EqualTo(raw.Trim()));
            }
            else
            {
                Assert.That(outcome.Value, Is.Null);
                Assert.That(outcome.Errors, Is.EquivalentTo(new Dictionary<string, string> { [string.Empty] = TooLongMessage }));
            }
        }
    }

    [TestCase("Ops\nalerts", ControlMessage)]
    [TestCase("Ops\r\nalerts", ControlMessage)]
    [TestCase("Ops\talerts", ControlMessage)]
    [TestCase("Ops\u0000alerts", ControlMessage)]
    [TestCase("Ops\u0007alerts", ControlMessage)]
    [TestCase("Ops\u001balerts", ControlMessage)]
    [TestCase("Ops\u007falerts", ControlMessage)]
    [TestCase("Ops\u0085alerts", ControlMessage)]
    [TestCase("Ops\u009falerts", ControlMessage)]
    [TestCase("\u0007", ControlMessage)]
    [TestCase("Ops alerts\u0007", ControlMessage)]
    public void Create_WhenTextHasControlCharacters_ReturnsTheReason(string raw, string expectedMessage) =>
        AssertRefused(raw, expectedMessage);

    // Lone surrogates cannot be written in attributes (their UTF-8 metadata would replace them), hence a source.
    private static IEnumerable<TestCaseData> LoneSurrogateCases()
    {
        yield return new TestCaseData("Ops\ud800alerts").SetName("Create_WhenLoneHighSurrogateInside_ReturnsInvalidUnicode");
        yield return new TestCaseData("Ops\udc00alerts").SetName("Create_WhenLoneLowSurrogateInside_ReturnsInvalidUnicode");
        yield return new TestCaseData("Ops alerts\ud83d").SetName("Create_WhenHighSurrogateAtEnd_ReturnsInvalidUnicode");
        yield return new TestCaseData("\ude00Ops alerts").SetName("Create_WhenLowSurrogateAtStart_ReturnsInvalidUnicode");
        yield return new TestCaseData("\ude00\ud83d").SetName("Create_WhenSurrogatesInReverseOrder_ReturnsInvalidUnicode");
    }

    [TestCaseSource(nameof(LoneSurrogateCases))]
    public void Create_WhenTextHasALoneSurrogate_ReturnsInvalidUnicode(string raw)
    {
        Assert.That(raw.Any(char.IsSurrogate), Is.True, "the case must really hold a surrogate");
        AssertRefused(raw, InvalidUnicodeMessage);
    }

    private static void AssertRefused(string raw, string expectedMessage)
    {
        var outcome = Description.Create(raw);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.IsValid, Is.False);
            Assert.That(outcome.Value, Is.Null);
            Assert.That(outcome.Errors, Is.EquivalentTo(new Dictionary<string, string> { [string.Empty] = expectedMessage }));
        }
    }

    [Test]
    public void Create_WhenSameTextIsGivenTwice_ReturnsEqualValues()
    {
        Assert.That(Description.Create(" Ops alerts ").Value, Is.EqualTo(Description.Create("Ops alerts").Value));
    }

    [Test]
    public void FromStored_WhenGivenAStoredValue_KeepsItAsIs()
    {
        Assert.That(Description.FromStored("Ops alerts").Value, Is.EqualTo("Ops alerts"));
    }
}
