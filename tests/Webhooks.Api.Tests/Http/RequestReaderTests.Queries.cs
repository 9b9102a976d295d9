using Microsoft.AspNetCore.Http;
using Webhooks.Api.Http;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Webhooks.ListWebhooks;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Common;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Api.Tests.Http;

/// <summary>The request reader on queries and the Clients API.</summary>
public sealed partial class RequestReaderTests
{
    // ---- GET /v1/webhooks ----------------------------------------------------------------------

    [TestCase("0")]
    [TestCase("101")]
    [TestCase("abc")]
    [TestCase("-1")]
    [TestCase("1.5")]
    [TestCase("")]
    [TestCase(" 5")]
    [TestCase("5 ")]
    [TestCase("+5")]
    [TestCase("1e2")]
    [TestCase("0x10")]
    [TestCase("99999999999")]
    public void ListWebhooks_WhenLimitIsNotAnIntegerFrom1To100_ThenReportsLimit(string limit)
    {
        var exception = Assert.Throws<ValidationFailedException>(() => Reader.ListWebhooks(limit, null));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["limit"] = ListWebhooksQuery.InvalidLimitMessage }));
    }

    [TestCase(null, ListWebhooksQuery.DefaultLimit)]
    [TestCase("1", 1)]
    [TestCase("100", 100)]
    [TestCase("007", 7)]
    public void ListWebhooks_WhenLimitIsValidOrAbsent_ThenIsItOrTheDefault(string? limit, int expected)
    {
        Assert.That(Reader.ListWebhooks(limit, null), Is.EqualTo(new ListWebhooksQuery(expected, null)));
    }

    [Test]
    public void ListWebhooks_WhenTheCursorWasIssuedToTheCallersOrganization_ThenCarriesItDecoded()
    {
        var lastId = Guid.CreateVersion7();

        Assert.That(Reader.ListWebhooks("5", Cursors.Encode(OrgId, lastId)), Is.EqualTo(new ListWebhooksQuery(5, lastId)));
    }

    private static IEnumerable<TestCaseData> BadCursors()
    {
        yield return new TestCaseData(string.Empty).SetName("ListWebhooks_WhenCursorIsEmpty_ThenReportsCursorWithTheLimit");
        yield return new TestCaseData(new string('c', 1025)).SetName("ListWebhooks_WhenCursorIsLongerThan1024Characters_ThenReportsCursorWithTheLimit");
        yield return new TestCaseData("not-a-cursor").SetName("ListWebhooks_WhenCursorIsForged_ThenReportsCursorWithTheLimit");
        yield return new TestCaseData(Cursors.Encode(Guid.CreateVersion7(), Guid.CreateVersion7())).SetName("ListWebhooks_WhenCursorIsAnotherOrganizations_ThenReportsCursorWithTheLimit");
    }

    [TestCaseSource(nameof(BadCursors))]
    public void ListWebhooks_WhenTheCursorIsNotValidForTheCaller_ThenReportsItTogetherWithTheLimit(string cursor)
    {
        var exception = Assert.Throws<ValidationFailedException>(() => Reader.ListWebhooks("0", cursor));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["limit"] = ListWebhooksQuery.InvalidLimitMessage,
            ["cursor"] = ListWebhooksQuery.InvalidCursorMessage,
        }));
    }

    // ---- PATCH /clients/webhook-url ------------------------------------------------------------

    private static IEnumerable<TestCaseData> RefusedClientUpdates()
    {
        yield return Refused("{}", ("webhook_url", Client.WebhookUrlRequiredMessage)).SetName("Client_WhenWebhookUrlIsAbsent_ThenSaysHowToClear");
        yield return Refused("""{"webhook_url":null}""", ("webhook_url", Client.WebhookUrlRequiredMessage)).SetName("Client_WhenWebhookUrlIsNull_ThenSaysHowToClear");
        yield return Refused("""{"webhook_urll":"https://hooks.example.com/x"}""", ("webhook_urll", JsonObjectReader.UnknownFieldMessage), ("webhook_url", Client.WebhookUrlRequiredMessage))
            .SetName("Client_WhenTheFieldIsMisspelled_ThenReportsBoth");
        yield return Refused("""{"webhook_url":1,"client_id":"x"}""", ("webhook_url", "must be a string"), ("client_id", JsonObjectReader.ReadOnlyMessage))
            .SetName("Client_WhenShapeIsWrong_ThenReportsTheShapeNotTheRule");
        yield return Refused("""{"webhook_url":"http://hooks.example.com/x","customer_id":"x"}""", ("customer_id", JsonObjectReader.ReadOnlyMessage), ("webhook_url", "must use https"))
            .SetName("Client_WhenShapeErrorsAndTheHttpsRuleMeet_ThenReportsThemTogether");
        yield return Refused("""{"webhook_url":"https://[::1]/hook"}""", ("webhook_url", UrlPolicy.NonPublicAddressMessage)).SetName("Client_WhenUrlIsLoopback_ThenRefusesIt");
        yield return Refused("{", ("body", "is not valid JSON")).SetName("Client_WhenTheBodyIsNotJson_ThenReportsOnlyTheBody");
    }

    [TestCaseSource(nameof(RefusedClientUpdates))]
    public async Task UpdateClientWebhookUrl_WhenRefused_ThenThrowsEveryProblemInOneFailure(string body, Dictionary<string, string> expected)
    {
        var json = await BodyAsync(body);

        var exception = Assert.Throws<ValidationFailedException>(() => Reader.UpdateClientWebhookUrl(json));

        Assert.That(exception!.Errors, Is.EquivalentTo(expected));
    }

    [TestCase(" HTTPS://Hooks.Example.com/device ", "https://hooks.example.com/device")]
    [TestCase("", null)]
    [TestCase(" \t ", null)]
    public async Task UpdateClientWebhookUrl_WhenValid_ThenCarriesTheUrlOrNullToClear(string sent, string? expected)
    {
        var command = Reader.UpdateClientWebhookUrl(await BodyAsync($$"""{"webhook_url":"{{sent.Replace("\t", "\\t", StringComparison.Ordinal)}}"}"""));

        Assert.That(command.WebhookUrl?.Value, Is.EqualTo(expected));
    }

    [Test]
    public async Task UpdateClientWebhookUrl_WhenTheCatalogAllowsTheNetwork_ThenAcceptsThePrivateUrl()
    {
        var catalog = new WebhookCatalog(Catalog.EventTypes, Catalog.ApiVersions, new UrlPolicy(["10.0.0.0/8"]));
        var reader = new RequestReader(catalog, Cursors, new ProcessCaller());

        var command = reader.UpdateClientWebhookUrl(await BodyAsync("""{"webhook_url":"https://10.0.0.1/hook"}"""));

        Assert.That(command.WebhookUrl?.Value, Is.EqualTo("https://10.0.0.1/hook"));
    }

    // ---- helpers -------------------------------------------------------------------------------

    /// <summary>A refused body and every error it must produce; <c>{{x500}}</c> and <c>{{x201}}</c> stand for that many <c>x</c>.</summary>
    private static TestCaseData Refused(string body, params (string Field, string Message)[] errors) =>
        new(
            body.Replace("{{x500}}", new string('x', 500), StringComparison.Ordinal).Replace("{{x201}}", new string('x', 201), StringComparison.Ordinal),
            errors.ToDictionary(error => error.Field, error => error.Message, StringComparer.Ordinal));

    /// <summary>The body as <see cref="JsonBody"/> reads it from a request sent as <c>application/json</c>.</summary>
    private static async Task<JsonBody> BodyAsync(string text)
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(text);
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        return await JsonBody.ReadAsync(context.Request, CancellationToken.None);
    }
}
