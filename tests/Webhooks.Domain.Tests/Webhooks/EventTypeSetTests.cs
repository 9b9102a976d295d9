using static Webhooks.Domain.Tests.TestData;

namespace Webhooks.Domain.Tests.Webhooks;

public sealed class EventTypeSetTests
{
    private static IEnumerable<TestCaseData> AcceptedCases()
    {
        yield return new TestCaseData(new[] { BalanceLow }, new[] { BalanceLow })
            .SetName("Create_WhenOneKnownType_KeepsIt");
        yield return new TestCaseData(new[] { BalanceLow, BalanceZero, PastDue, Canceled }, new[] { BalanceLow, BalanceZero, PastDue, Canceled })
            .SetName("Create_WhenAllFourKnownTypes_KeepsThemInOrder");
        yield return new TestCaseData(new[] { Canceled, BalanceLow, PastDue }, new[] { Canceled, BalanceLow, PastDue })
            .SetName("Create_WhenTypesAreNotInCatalogOrder_KeepsTheOrderSent");
        yield return new TestCaseData(new[] { BalanceLow, BalanceLow }, new[] { BalanceLow })
            .SetName("Create_WhenATypeIsRepeated_CollapsesIt");
        yield return new TestCaseData(new[] { PastDue, BalanceLow, PastDue, Canceled, BalanceLow }, new[] { PastDue, BalanceLow, Canceled })
            .SetName("Create_WhenDuplicatesAreSpread_KeepsTheFirstOccurrencesOrder");
        yield return new TestCaseData(new[] { Canceled, Canceled, Canceled }, new[] { Canceled })
            .SetName("Create_WhenOnlyDuplicates_KeepsOne");
    }

    [TestCaseSource(nameof(AcceptedCases))]
    public void Create_WhenEveryItemIsKnown_ReturnsTheSet(string[] items, string[] expected)
    {
        var outcome = EventTypeSet.Create(items, Catalog);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Errors, Is.Empty);
            Assert.That(outcome.Value?.Items, Is.EqualTo(expected));
        }
    }

    private static IEnumerable<TestCaseData> RefusedCases()
    {
        yield return new TestCaseData(null, new Dictionary<string, string> { [""] = EventTypeSet.MissingMessage })
            .SetName("Create_WhenNull_ReturnsMustBeANonEmptyArray");
        yield return new TestCaseData(Array.Empty<string?>(), new Dictionary<string, string> { [""] = EventTypeSet.EmptyMessage })
            .SetName("Create_WhenEmpty_ReturnsMustContainAtLeastOne");
        yield return new TestCaseData(new[] { "wallet.unknown" }, new Dictionary<string, string> { ["[0]"] = "unknown event type 'wallet.unknown'" })
            .SetName("Create_WhenTheOnlyItemIsUnknown_NamesItAtIndex0");
        yield return new TestCaseData(new[] { BalanceLow, "wallet.unknown" }, new Dictionary<string, string> { ["[1]"] = "unknown event type 'wallet.unknown'" })
            .SetName("Create_WhenSecondItemIsUnknown_NamesItAtIndex1");
        yield return new TestCaseData(
                new[] { "a.b", BalanceLow, "c.d", BalanceZero, "e.f" },
                new Dictionary<string, string>
                {
                    ["[0]"] = "unknown event type 'a.b'",
                    ["[2]"] = "unknown event type 'c.d'",
                    ["[4]"] = "unknown event type 'e.f'",
                })
            .SetName("Create_WhenSeveralItemsAreUnknown_ReportsAllAtOnce");
        yield return new TestCaseData(new[] { "Wallet.Balance_Low" }, new Dictionary<string, string> { ["[0]"] = "unknown event type 'Wallet.Balance_Low'" })
            .SetName("Create_WhenCaseDiffers_RefusesItAsUnknown");
        yield return new TestCaseData(new[] { "WALLET.BALANCE_ZERO" }, new Dictionary<string, string> { ["[0]"] = "unknown event type 'WALLET.BALANCE_ZERO'" })
            .SetName("Create_WhenUpperCase_RefusesItAsUnknown");
        yield return new TestCaseData(new[] { " wallet.balance_low" }, new Dictionary<string, string> { ["[0]"] = "unknown event type ' wallet.balance_low'" })
            .SetName("Create_WhenPaddedWithSpace_RefusesItAsUnknown");
        yield return new TestCaseData(new[] { "" }, new Dictionary<string, string> { ["[0]"] = "unknown event type ''" })
            .SetName("Create_WhenAnItemIsEmpty_RefusesIt");
        yield return new TestCaseData(new[] { BalanceLow, null }, new Dictionary<string, string> { ["[1]"] = EventTypeSet.NotAStringMessage })
            .SetName("Create_WhenAnItemIsNull_SaysItMustBeAString");
        yield return new TestCaseData(new[] { "x.y", "x.y" }, new Dictionary<string, string> { ["[0]"] = "unknown event type 'x.y'", ["[1]"] = "unknown event type 'x.y'" })
            .SetName("Create_WhenAnUnknownItemIsRepeated_NamesEveryOccurrence");
    }

    [TestCaseSource(nameof(RefusedCases))]
    public void Create_WhenItemsBreakTheRule_ReportsEveryViolation(string?[]? items, Dictionary<string, string> expectedErrors)
    {
        var outcome = EventTypeSet.Create(items, Catalog);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.IsValid, Is.False);
            Assert.That(outcome.Value, Is.Null);
            Assert.That(outcome.Errors, Is.EquivalentTo(expectedErrors));
        }
    }

    [TestCase(new[] { BalanceLow, BalanceZero }, true)]
    [TestCase(new[] { BalanceZero, BalanceLow }, false)]
    [TestCase(new[] { BalanceLow }, false)]
    [TestCase(new[] { BalanceLow, BalanceZero, PastDue }, false)]
    public void Matches_WhenComparedWithAList_IsTrueOnlyForTheSameItemsInTheSameOrder(string[] other, bool expected)
    {
        var set = EventTypeSet.Create([BalanceLow, BalanceZero], Catalog).Value!;

        Assert.That(set.Matches(other), Is.EqualTo(expected));
    }

    [Test]
    public void Create_WhenCatalogIsNull_Throws()
    {
        Assert.That(() => EventTypeSet.Create([BalanceLow], null!), Throws.ArgumentNullException);
    }
}
