using Webhooks.Application.Clients;
using Webhooks.Application.Clients.UpdateClientWebhookUrl;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Common;
using static Webhooks.Application.Tests.Clients.ClientTestData;

namespace Webhooks.Application.Tests.Clients;

public sealed class UpdateClientWebhookUrlCommandHandlerTests
{
    private Client _client = null!;

    private Ports _ports = null!;

    [SetUp]
    public void SetUp()
    {
        _ports = new Ports();
        Holds(StoredClient());
        _ports.ActAs(ActiveCaller());
    }

    [Test]
    public async Task Handle_WhenCalled_ThenLoadsTheClientByTheCallersIdWithTheToken()
    {
        await Handle(WebhookUrl);

        _ports.Clients.Verify(c => c.GetAsync(ClientId, _ports.Token), Times.Once());
        _ports.Clients.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Handle_WhenUrlIsNew_ThenSetsItSavesOnceAndReturnsTheClient()
    {
        var response = await Handle(WebhookUrl);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response, Is.EqualTo(new ClientResponse(ClientId.ToString(), CustomerId, WebhookUrl)));
            Assert.That(_client.WebhookUrl?.Value, Is.EqualTo(WebhookUrl));
            Assert.That(_client.UpdatedAt, Is.EqualTo(TestData.Now));
        }

        _ports.VerifySavedOnce();
        _ports.UnitOfWork.VerifyNoOtherCalls();
    }

    [TestCase("  https://hooks.example.com/clients/cus_123\t", WebhookUrl)]
    [TestCase("HTTPS://HOOKS.Example.COM/clients/cus_123", WebhookUrl)]
    [TestCase("https://hooks.example.com:443/clients/cus_123", WebhookUrl)]
    [TestCase("https://b\u00fccher.example/hook", "https://xn--bcher-kva.example/hook")]
    public async Task Handle_WhenUrlNeedsNormalizing_ThenStoresAndReturnsTheNormalizedUrl(string sent, string stored)
    {
        var response = await Handle(sent);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.WebhookUrl, Is.EqualTo(stored));
            Assert.That(_client.WebhookUrl?.Value, Is.EqualTo(stored));
        }

        _ports.VerifySavedOnce();
    }

    [TestCase("")]
    [TestCase("  \t ")]
    public async Task Handle_WhenUrlIsEmptyAndOneIsSet_ThenClearsItSavesOnceAndReturnsAnEmptyWebhookUrl(string sent)
    {
        Holds(StoredClient(WebhookUrl));

        var response = await Handle(sent);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.WebhookUrl, Is.EqualTo(string.Empty));
            Assert.That(_client.WebhookUrl, Is.Null);
            Assert.That(_client.UpdatedAt, Is.EqualTo(TestData.Now));
        }

        _ports.VerifySavedOnce();
    }

    [Test]
    public async Task Handle_WhenUrlIsEmptyAndNoneIsSet_ThenDoesNotSaveAndReturnsAnEmptyWebhookUrl()
    {
        var response = await Handle(string.Empty);

        Assert.That(response.WebhookUrl, Is.EqualTo(string.Empty));
        Assert.That(_client.UpdatedAt, Is.EqualTo(TestData.CreatedAt));
        _ports.VerifyNotSaved();
    }

    [TestCase(WebhookUrl)]
    [TestCase(" HTTPS://hooks.EXAMPLE.com/clients/cus_123 ")]
    public async Task Handle_WhenUrlEqualsTheStoredOne_ThenDoesNotSaveAndUpdatedAtDoesNotMove(string sent)
    {
        Holds(StoredClient(WebhookUrl));

        var response = await Handle(sent);

        Assert.That(response.WebhookUrl, Is.EqualTo(WebhookUrl));
        Assert.That(_client.UpdatedAt, Is.EqualTo(TestData.CreatedAt));
        _ports.VerifyNotSaved();
    }

    [Test]
    public async Task Handle_WhenAnotherUrlReplacesTheStoredOne_ThenTheOldUrlIsGone()
    {
        Holds(StoredClient(WebhookUrl));

        var response = await Handle("https://hooks.example.com/new");

        Assert.That(response.WebhookUrl, Is.EqualTo("https://hooks.example.com/new"));
        Assert.That(_client.WebhookUrl?.Value, Is.EqualTo("https://hooks.example.com/new"));
        _ports.VerifySavedOnce();
    }

    [TestCase("http://hooks.example.com/plain", HttpsUrl.NotHttpsMessage)]
    [TestCase("ftp://hooks.example.com/file", HttpsUrl.NotHttpsMessage)]
    [TestCase("hooks.example.com/no-scheme", "must be an absolute https URL")]
    [TestCase("https://user:pw@hooks.example.com/hook", HttpsUrl.UserInfoMessage)]
    [TestCase("https://hooks.example.com/hook#frag", HttpsUrl.FragmentMessage)]
    public void Handle_WhenUrlBreaksTheHttpsRule_ThenThrowsValidationFailedKeyedWebhookUrlAndDoesNotSave(string sent, string message)
    {
        Holds(StoredClient(WebhookUrl));

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(sent));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["webhook_url"] = message }));
        Assert.That(_client.WebhookUrl?.Value, Is.EqualTo(WebhookUrl), "a refused URL changes nothing");
        _ports.VerifyNotSaved();
    }

    [TestCase("https://localhost/hook", UrlPolicy.LocalhostMessage)]
    [TestCase("https://LOCALHOST./hook", UrlPolicy.LocalhostMessage)]
    [TestCase("https://10.0.0.1/hook", UrlPolicy.NonPublicAddressMessage)]
    [TestCase("https://169.254.169.254/latest/meta-data", UrlPolicy.NonPublicAddressMessage)]
    [TestCase("https://[::1]/hook", UrlPolicy.NonPublicAddressMessage)]
    [TestCase("https://2130706433/hook", UrlPolicy.NonPublicAddressMessage)]
    [TestCase("https://[::ffff:10.0.0.1]/hook", UrlPolicy.NonPublicAddressMessage)]
    public void Handle_WhenUrlPointsToLocalOrNonPublicHost_ThenThrowsValidationFailedKeyedWebhookUrlAndDoesNotSave(string sent, string message)
    {
        Holds(StoredClient(WebhookUrl));

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(sent));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["webhook_url"] = message }));
            Assert.That(_client.WebhookUrl?.Value, Is.EqualTo(WebhookUrl), "a refused URL changes nothing");
            Assert.That(_client.UpdatedAt, Is.EqualTo(TestData.CreatedAt));
        }

        _ports.VerifyNotSaved();
    }

    [Test]
    public async Task Handle_WhenCatalogAllowsThePrivateNetwork_ThenStoresAndSavesThePrivateUrl()
    {
        var catalog = CatalogAllowing("10.0.0.0/8");

        var response = await Handle("https://10.0.0.1/hook", catalog);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.WebhookUrl, Is.EqualTo("https://10.0.0.1/hook"));
            Assert.That(_client.WebhookUrl?.Value, Is.EqualTo("https://10.0.0.1/hook"));
        }

        _ports.VerifySavedOnce();
    }

    [TestCase("https://localhost/hook", UrlPolicy.LocalhostMessage)]
    [TestCase("https://192.168.0.1/hook", UrlPolicy.NonPublicAddressMessage)]
    [TestCase("https://[fd00::1]/hook", UrlPolicy.NonPublicAddressMessage)]
    public void Handle_WhenCatalogAllowsAPrivateNetwork_ThenOtherLocalHostsAreStillRefused(string sent, string message)
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(sent, CatalogAllowing("10.0.0.0/8")));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["webhook_url"] = message }));
        _ports.VerifyNotSaved();
    }

    [Test]
    public void Handle_WhenUrlIsLongerThan2048Characters_ThenThrowsValidationFailedKeyedWebhookUrl()
    {
        var sent = "https://hooks.example.com/" + new string('a', 2049 - "https://hooks.example.com/".Length);

        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(sent));

        Assert.That(exception!.Errors.Keys, Is.EqualTo(new[] { "webhook_url" }));
        _ports.VerifyNotSaved();
    }

    [Test]
    public void Handle_WhenUrlIsNull_ThenThrowsValidationFailedWithTheRequiredMessageAndDoesNotSave()
    {
        var exception = Assert.ThrowsAsync<ValidationFailedException>(() => Handle(Optional<string?>.Of(null)));

        Assert.That(exception!.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["webhook_url"] = Client.WebhookUrlRequiredMessage }));
        _ports.VerifyNotSaved();
    }

    [Test]
    public void Handle_WhenTheClientNoLongerExists_ThenThrowsNotFoundAndDoesNotSave()
    {
        _ports.Clients.Setup(c => c.GetAsync(ClientId, It.IsAny<CancellationToken>())).ReturnsAsync((Client?)null);

        var exception = Assert.ThrowsAsync<NotFoundException>(() => Handle(WebhookUrl));

        Assert.That(exception!.Message, Is.EqualTo("not found"));
        _ports.VerifyNotSaved();
    }

    [Test]
    public void Handle_WhenCallerIsAnotherClient_ThenLoadsThatClientAndNeverTheStoredOne()
    {
        var otherId = Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3d1");
        _ports.ActAs(ActiveCaller() with { Id = otherId });

        Assert.ThrowsAsync<NotFoundException>(() => Handle(WebhookUrl));

        _ports.Clients.Verify(c => c.GetAsync(otherId, It.IsAny<CancellationToken>()), Times.Once());
        Assert.That(_client.WebhookUrl, Is.Null);
    }

    private static WebhookCatalog CatalogAllowing(params string[] networks)
    {
        var seed = TestData.Catalog();
        return new WebhookCatalog(seed.EventTypes, seed.ApiVersions, new UrlPolicy(networks));
    }

    private void Holds(Client client)
    {
        _client = client;
        _ports.Holds(client);
    }

    /// <summary>
    /// The URL as a client sends it, checked by the factory the API calls (<see cref="Client.WebhookUrlFrom"/>,
    /// a refusal reported under <c>webhook_url</c>), then the command the API would send.
    /// </summary>
    private Task<ClientResponse> Handle(Optional<string?> webhookUrl, WebhookCatalog? catalog = null)
    {
        var errors = new ValidationErrors();
        var url = errors.Add("webhook_url", Client.WebhookUrlFrom(webhookUrl.Value, (catalog ?? TestData.Catalog()).UrlPolicy));
        errors.ThrowIfAny();
        return _ports.Handler<UpdateClientWebhookUrlCommandHandler>().Handle(new UpdateClientWebhookUrlCommand(url), _ports.Token);
    }
}
