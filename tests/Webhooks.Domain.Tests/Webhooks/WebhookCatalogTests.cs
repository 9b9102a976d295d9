namespace Webhooks.Domain.Tests.Webhooks;

public sealed class WebhookCatalogTests
{
    private static readonly EventType[] OneType = [new("wallet.balance_low", "low")];

    [TestCase(new[] { "2026-04-01" }, "2026-04-01")]
    [TestCase(new[] { "2025-06-01", "2026-04-01" }, "2026-04-01")]
    [TestCase(new[] { "2026-04-01", "2025-06-01" }, "2026-04-01")]
    [TestCase(new[] { "2025-01-15", "2027-01-01", "2026-04-01" }, "2027-01-01")]
    [TestCase(new[] { "2026-04-01", "2026-04-01" }, "2026-04-01")]
    public void LatestApiVersion_WhenVersionsAreConfigured_IsTheGreatest(string[] versions, string expected)
    {
        var catalog = new WebhookCatalog(OneType, versions);

        Assert.That(catalog.LatestApiVersion, Is.EqualTo(expected));
    }

    [Test]
    public void ApiVersions_WhenConfiguredOutOfOrderWithDuplicates_AreDistinctAndOldestFirst()
    {
        var catalog = new WebhookCatalog(OneType, ["2026-04-01", "2025-06-01", "2026-04-01", "2025-01-15"]);

        Assert.That(catalog.ApiVersions, Is.EqualTo(new[] { "2025-01-15", "2025-06-01", "2026-04-01" }));
    }

    [Test]
    public void Constructor_WhenNoEventTypes_Throws()
    {
        Assert.That(() => new WebhookCatalog([], ["2026-04-01"]), Throws.ArgumentException);
    }

    [Test]
    public void Constructor_WhenNoApiVersions_Throws()
    {
        Assert.That(() => new WebhookCatalog(OneType, []), Throws.ArgumentException);
    }

    [TestCase(TestData.BalanceLow, true)]
    [TestCase(TestData.BalanceZero, true)]
    [TestCase(TestData.PastDue, true)]
    [TestCase(TestData.Canceled, true)]
    [TestCase("Wallet.Balance_Low", false)]
    [TestCase("wallet.balance", false)]
    [TestCase("", false)]
    public void IsKnownEventType_WhenAsked_IsCaseSensitiveAndExact(string name, bool expected)
    {
        Assert.That(TestData.Catalog.IsKnownEventType(name), Is.EqualTo(expected));
    }

    [TestCase(TestData.LatestVersion, true)]
    [TestCase(TestData.OlderVersion, true)]
    [TestCase("2026-04-02", false)]
    [TestCase("2026-4-1", false)]
    [TestCase("", false)]
    public void IsKnownApiVersion_WhenAsked_IsExact(string version, bool expected)
    {
        Assert.That(TestData.Catalog.IsKnownApiVersion(version), Is.EqualTo(expected));
    }

    [Test]
    public void EventTypes_WhenConfigured_KeepTheConfiguredOrder()
    {
        Assert.That(
            TestData.Catalog.EventTypes.Select(e => e.Name),
            Is.EqualTo(new[] { TestData.BalanceLow, TestData.BalanceZero, TestData.PastDue, TestData.Canceled }));
    }
}
