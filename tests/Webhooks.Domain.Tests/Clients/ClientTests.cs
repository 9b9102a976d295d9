using Webhooks.Domain.Clients;
using static Webhooks.Domain.Tests.TestData;

namespace Webhooks.Domain.Tests.Clients;

public sealed class ClientTests
{
    private const string Hash = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
    private const string CustomerIdMessage = "must be at most 200 characters without control characters";

    private static readonly Guid ClientId = Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3d0");

    [TestCase("cus_123", "cus_123")]
    [TestCase("  cus_123 ", "cus_123")]
    public void Register_WhenCustomerIdIsValid_StartsWithoutWebhookUrl(string customerId, string expected)
    {
        var client = Client.Register(ClientId, customerId, Hash, "protected-webhook-secret", CreatedAt);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(client.Id, Is.EqualTo(ClientId));
            Assert.That(client.CustomerId, Is.EqualTo(expected));
            Assert.That(client.SecretHash, Is.EqualTo(Hash));
            Assert.That(client.WebhookUrl, Is.Null);
            Assert.That(client.CreatedAt, Is.EqualTo(CreatedAt));
            Assert.That(client.UpdatedAt, Is.EqualTo(CreatedAt));
            Assert.That(client.IsSuspended, Is.False);
        }
    }

    [TestCase(null, "must not be empty")]
    [TestCase("", "must not be empty")]
    [TestCase("  ", "must not be empty")]
    [TestCase("cus\n123", CustomerIdMessage)]
    public void Register_WhenCustomerIdBreaksARule_ThrowsForCustomerId(string? customerId, string expectedMessage)
    {
        var exception = Assert.Throws<ValidationFailedException>(() => Client.Register(ClientId, customerId, Hash, "protected-webhook-secret", CreatedAt));

        Assert.That(exception.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["customer_id"] = expectedMessage }));
    }

    [Test]
    public void Register_WhenCustomerIdHas201Characters_ThrowsForCustomerId()
    {
        var exception = Assert.Throws<ValidationFailedException>(() => Client.Register(ClientId, new string('c', 201), Hash, "protected-webhook-secret", CreatedAt));

        Assert.That(exception.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["customer_id"] = CustomerIdMessage }));
    }

    [TestCase("https://hooks.example.com/device", "https://hooks.example.com/device")]
    [TestCase("  HTTPS://Bücher.example:443/Device?K=V ", "https://xn--bcher-kva.example/Device?K=V")]
    public void SetWebhookUrl_WhenUrlFollowsTheHttpsRule_StoresTheNormalizedForm(string raw, string expected)
    {
        var client = Client.Register(ClientId, "cus_123", Hash, "protected-webhook-secret", CreatedAt);

        var changed = client.SetWebhookUrl(raw, Later);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.True);
            Assert.That(client.WebhookUrl?.Value, Is.EqualTo(expected));
            Assert.That(client.UpdatedAt, Is.EqualTo(Later));
        }
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("\t\n")]
    public void SetWebhookUrl_WhenEmptyAfterTrimming_ClearsIt(string raw)
    {
        var client = Client.Register(ClientId, "cus_123", Hash, "protected-webhook-secret", CreatedAt);
        client.SetWebhookUrl("https://hooks.example.com/device", Later);

        var changed = client.SetWebhookUrl(raw, EvenLater);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.True);
            Assert.That(client.WebhookUrl, Is.Null);
            Assert.That(client.UpdatedAt, Is.EqualTo(EvenLater));
        }
    }

    [TestCase("", null)]
    [TestCase("https://hooks.example.com/device", "https://hooks.example.com/device")]
    [TestCase(" HTTPS://HOOKS.example.com/device ", "https://hooks.example.com/device")]
    public void SetWebhookUrl_WhenValueIsUnchanged_ReturnsFalseAndKeepsUpdatedAt(string raw, string? current)
    {
        var client = Client.Register(ClientId, "cus_123", Hash, "protected-webhook-secret", CreatedAt);
        if (current is not null)
        {
            client.SetWebhookUrl(current, Later);
        }

        var updatedAt = client.UpdatedAt;
        var changed = client.SetWebhookUrl(raw, EvenLater);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.False);
            Assert.That(client.WebhookUrl?.Value, Is.EqualTo(current));
            Assert.That(client.UpdatedAt, Is.EqualTo(updatedAt));
        }
    }

    [TestCase(null, Client.WebhookUrlRequiredMessage)]
    [TestCase("http://hooks.example.com/device", HttpsUrl.NotHttpsMessage)]
    [TestCase("https://user:pw@hooks.example.com/device", HttpsUrl.UserInfoMessage)]
    [TestCase("https://hooks.example.com/device#x", HttpsUrl.FragmentMessage)]
    [TestCase("https://hooks.example.com/a b", HttpsUrl.WhiteSpaceMessage)]
    [TestCase("https://localhost/hook", UrlPolicy.LocalhostMessage)]
    [TestCase(" https://LOCALHOST./hook ", UrlPolicy.LocalhostMessage)]
    [TestCase("https://127.0.0.1/hook", UrlPolicy.NonPublicAddressMessage)]
    [TestCase("https://169.254.169.254/latest/meta-data", UrlPolicy.NonPublicAddressMessage)]
    [TestCase("https://[::ffff:10.0.0.1]/hook", UrlPolicy.NonPublicAddressMessage)]
    public void SetWebhookUrl_WhenValueIsRefused_ThrowsForWebhookUrlAndKeepsTheOldUrl(string? raw, string expectedMessage)
    {
        var client = Client.Register(ClientId, "cus_123", Hash, "protected-webhook-secret", CreatedAt);
        client.SetWebhookUrl("https://hooks.example.com/device", Later);

        var exception = Assert.Throws<ValidationFailedException>(() => client.SetWebhookUrl(raw, EvenLater));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["webhook_url"] = expectedMessage }));
            Assert.That(client.WebhookUrl?.Value, Is.EqualTo("https://hooks.example.com/device"));
            Assert.That(client.UpdatedAt, Is.EqualTo(Later));
        }
    }

    [Test]
    public void SetWebhookUrl_WhenPolicyAllowsTheNetwork_StoresThePrivateUrl()
    {
        var client = Client.Register(ClientId, "cus_123", Hash, "protected-webhook-secret", CreatedAt);

        var changed = client.SetWebhookUrl("https://10.20.0.1/hook", new UrlPolicy(["10.20.0.0/16"]), Later);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.True);
            Assert.That(client.WebhookUrl?.Value, Is.EqualTo("https://10.20.0.1/hook"));
            Assert.That(client.UpdatedAt, Is.EqualTo(Later));
        }
    }

    [Test]
    public void SetWebhookUrl_WhenPolicyAllowsAnotherNetwork_StillRefusesThePrivateUrl()
    {
        var client = Client.Register(ClientId, "cus_123", Hash, "protected-webhook-secret", CreatedAt);

        var exception = Assert.Throws<ValidationFailedException>(
            () => client.SetWebhookUrl("https://10.21.0.1/hook", new UrlPolicy(["10.20.0.0/16"]), Later));

        Assert.That(exception.Errors, Is.EquivalentTo(new Dictionary<string, string> { ["webhook_url"] = UrlPolicy.NonPublicAddressMessage }));
    }

    [Test]
    public void Suspend_WhenCalledTwice_KeepsTheFirstTime()
    {
        var client = Client.Register(ClientId, "cus_123", Hash, "protected-webhook-secret", CreatedAt);

        client.Suspend(Later);
        client.Suspend(EvenLater);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(client.IsSuspended, Is.True);
            Assert.That(client.SuspendedAt, Is.EqualTo(Later));
            Assert.That(client.UpdatedAt, Is.EqualTo(Later));
        }
    }

    [Test]
    public void Register_KeepsTheProtectedWebhookSecret()
    {
        var client = Client.Register(ClientId, "cus_123", Hash, "protected-webhook-secret", CreatedAt);

        Assert.That(client.ProtectedWebhookSecret, Is.EqualTo("protected-webhook-secret"));
    }

    [TestCase(null)]
    [TestCase("")]
    public void Register_WithoutAWebhookSecret_IsAProgrammingError(string? protectedWebhookSecret) =>
        Assert.That(() => Client.Register(ClientId, "cus_123", Hash, protectedWebhookSecret!, CreatedAt), Throws.InstanceOf<ArgumentException>());

    [Test]
    public void RotateWebhookSecret_ReplacesItAndMovesUpdatedAt()
    {
        var client = Client.Register(ClientId, "cus_123", Hash, "protected-webhook-secret", CreatedAt);

        client.RotateWebhookSecret("protected-second", Later);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(client.ProtectedWebhookSecret, Is.EqualTo("protected-second"));
            Assert.That(client.UpdatedAt, Is.EqualTo(Later));
            Assert.That(() => client.RotateWebhookSecret(string.Empty, EvenLater), Throws.ArgumentException);
            Assert.That(client.ProtectedWebhookSecret, Is.EqualTo("protected-second"));
        }
    }

    [Test]
    public void GiveFirstWebhookSecret_WhenTheClientHasOne_KeepsIt()
    {
        var client = Client.Register(ClientId, "cus_123", Hash, "protected-webhook-secret", CreatedAt);

        var given = client.GiveFirstWebhookSecret("protected-backfilled");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(given, Is.False);
            Assert.That(client.ProtectedWebhookSecret, Is.EqualTo("protected-webhook-secret"));
            Assert.That(client.UpdatedAt, Is.EqualTo(CreatedAt));
            Assert.That(() => client.GiveFirstWebhookSecret(string.Empty), Throws.ArgumentException);
        }
    }
}
