using static Webhooks.Domain.Tests.TestData;

namespace Webhooks.Domain.Tests.Webhooks;

public sealed class WebhookEndpointRegisterTests
{
    private const string ApiVersionsMessage = "must be one of: 2025-06-01, 2026-04-01";

    [Test]
    public void Register_WhenOnlyUrlAndEventsAreSent_AppliesTheDefaults()
    {
        var endpoint = Endpoints.Register(EndpointId, OrgId, new NewWebhookEndpoint("HTTPS://Hooks.Example.com/y3labs/ops", [BalanceLow, BalanceZero]), Catalog, ProtectedSecret, CreatedAt);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(endpoint.Id, Is.EqualTo(EndpointId));
            Assert.That(endpoint.OrgId, Is.EqualTo(OrgId));
            Assert.That(endpoint.Url.Value, Is.EqualTo("https://hooks.example.com/y3labs/ops"));
            Assert.That(endpoint.Description, Is.Null);
            Assert.That(endpoint.Events, Is.EqualTo(new[] { BalanceLow, BalanceZero }));
            Assert.That(endpoint.Active, Is.True);
            Assert.That(endpoint.ApiVersion, Is.EqualTo(LatestVersion));
            Assert.That(endpoint.CreatedAt, Is.EqualTo(CreatedAt));
            Assert.That(endpoint.UpdatedAt, Is.EqualTo(CreatedAt));
            Assert.That(endpoint.DeletedAt, Is.Null);
            Assert.That(endpoint.IsDeleted, Is.False);
            Assert.That(endpoint.Revision, Is.EqualTo(1));
            Assert.That(endpoint.ProtectedSecret, Is.EqualTo(ProtectedSecret));
        }
    }

    [Test]
    public void Register_WhenEveryFieldIsSent_KeepsTheCheckedValues()
    {
        var request = new NewWebhookEndpoint(" https://bücher.example:8443/hook?x=1 ", [Canceled, PastDue, Canceled], "  Ops alerts  ", Active: false, ApiVersion: OlderVersion);

        var endpoint = Endpoints.Register(EndpointId, OrgId, request, Catalog, ProtectedSecret, CreatedAt);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(endpoint.Url.Value, Is.EqualTo("https://xn--bcher-kva.example:8443/hook?x=1"));
            Assert.That(endpoint.Description?.Value, Is.EqualTo("Ops alerts"));
            Assert.That(endpoint.Events, Is.EqualTo(new[] { Canceled, PastDue }));
            Assert.That(endpoint.Active, Is.False);
            Assert.That(endpoint.ApiVersion, Is.EqualTo(OlderVersion));
        }
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public void Register_WhenDescriptionIsBlank_HasNoLabel(string? description)
    {
        var endpoint = Endpoints.Register(EndpointId, OrgId, new NewWebhookEndpoint("https://hooks.example.com/x", [BalanceLow], description), Catalog, ProtectedSecret, CreatedAt);

        Assert.That(endpoint.Description, Is.Null);
    }

    private static IEnumerable<TestCaseData> RefusedCases()
    {
        yield return new TestCaseData(
                new NewWebhookEndpoint(null, [BalanceLow]),
                new Dictionary<string, string> { ["url"] = HttpsUrl.NullMessage })
            .SetName("Register_WhenUrlIsMissing_ReturnsUrlError");
        yield return new TestCaseData(
                new NewWebhookEndpoint("http://hooks.example.com/x", [BalanceLow]),
                new Dictionary<string, string> { ["url"] = HttpsUrl.NotHttpsMessage })
            .SetName("Register_WhenUrlIsHttp_ReturnsMustUseHttps");
        yield return new TestCaseData(
                new NewWebhookEndpoint("https://localhost/hook", [BalanceLow]),
                new Dictionary<string, string> { ["url"] = UrlPolicy.LocalhostMessage })
            .SetName("Register_WhenUrlIsLocalhost_ReturnsUrlError");
        yield return new TestCaseData(
                new NewWebhookEndpoint("https://hooks.example.com/x", null),
                new Dictionary<string, string> { ["events"] = EventTypeSet.MissingMessage })
            .SetName("Register_WhenEventsAreMissing_ReturnsEventsError");
        yield return new TestCaseData(
                new NewWebhookEndpoint("https://hooks.example.com/x", []),
                new Dictionary<string, string> { ["events"] = EventTypeSet.EmptyMessage })
            .SetName("Register_WhenEventsAreEmpty_ReturnsEventsError");
        yield return new TestCaseData(
                new NewWebhookEndpoint("https://hooks.example.com/x", [BalanceLow], new string('d', 201)),
                new Dictionary<string, string> { ["description"] = Description.TooLongMessage })
            .SetName("Register_WhenDescriptionHas201Characters_ReturnsDescriptionError");
        yield return new TestCaseData(
                new NewWebhookEndpoint("https://hooks.example.com/x", [BalanceLow], ApiVersion: "2024-01-01"),
                new Dictionary<string, string> { ["api_version"] = ApiVersionsMessage })
            .SetName("Register_WhenApiVersionIsUnknown_ListsTheConfiguredVersions");
        yield return new TestCaseData(
                new NewWebhookEndpoint("https://hooks.example.com/x", [BalanceLow], ApiVersion: ""),
                new Dictionary<string, string> { ["api_version"] = ApiVersionsMessage })
            .SetName("Register_WhenApiVersionIsEmpty_ListsTheConfiguredVersions");
        yield return new TestCaseData(
                new NewWebhookEndpoint("ftp://hooks.example.com/x#frag", [BalanceLow, "nope", PastDue, "wallet.Balance_Low"], "Ops\nalerts", ApiVersion: "2026-13-01"),
                new Dictionary<string, string>
                {
                    ["url"] = HttpsUrl.NotHttpsMessage,
                    ["description"] = Description.ControlCharactersMessage,
                    ["events[1]"] = "unknown event type 'nope'",
                    ["events[3]"] = "unknown event type 'wallet.Balance_Low'",
                    ["api_version"] = ApiVersionsMessage,
                })
            .SetName("Register_WhenEveryFieldIsWrong_ReportsAllViolationsTogether");
    }

    [TestCaseSource(nameof(RefusedCases))]
    public void Register_WhenRequestBreaksARule_ThrowsWithEveryViolation(NewWebhookEndpoint request, Dictionary<string, string> expectedErrors)
    {
        var exception = Assert.Throws<ValidationFailedException>(() => Endpoints.Register(EndpointId, OrgId, request, Catalog, ProtectedSecret, CreatedAt));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception.Message, Is.EqualTo("validation failed"));
            Assert.That(exception.Errors, Is.EquivalentTo(expectedErrors));
        }
    }
}
