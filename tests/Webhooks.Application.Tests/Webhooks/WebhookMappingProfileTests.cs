using AutoMapper;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Webhooks;

namespace Webhooks.Application.Tests.Webhooks;

public sealed class WebhookMappingProfileTests
{
    [Test]
    public void AddApplication_WhenMapperConfigurationIsBuilt_ThenItIsValid()
    {
        var configuration = TestData.ApplicationServices().BuildServiceProvider().GetRequiredService<IConfigurationProvider>();

        Assert.That(configuration.AssertConfigurationIsValid, Throws.Nothing);
    }

    [Test]
    public void AddApplication_WhenMapperIsResolved_ThenItUsesTheSameValidConfiguration()
    {
        var services = TestData.ApplicationServices().BuildServiceProvider();
        var mapper = services.GetRequiredService<IMapper>();

        Assert.That(mapper.ConfigurationProvider, Is.SameAs(services.GetRequiredService<IConfigurationProvider>()));
    }

    [Test]
    public void Map_WhenEndpointIsDeleted_ThenDeletedAtIsMapped()
    {
        var endpoint = TestData.Endpoint();
        endpoint.Delete(TestData.Now);

        var response = TestData.Mapper.Map<WebhookEndpointResponse>(endpoint);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.DeletedAt, Is.EqualTo(TestData.Now));
            Assert.That(response.UpdatedAt, Is.EqualTo(TestData.Now));
        }
    }

    [Test]
    public void Map_WhenEndpointIsMapped_ThenTheETagIsOfItsRevisionAndTheSecretIsNeverIncluded()
    {
        var endpoint = TestData.Endpoint();
        endpoint.Patch(new WebhookEndpointChanges(Active: false), TestData.Now);
        endpoint.RotateSecret(FakeSecretProtector.Of("whsec_rotated"), SecretGrace.Default, TestData.Now);

        var response = TestData.Mapper.Map<WebhookEndpointResponse>(endpoint);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.ETag, Is.EqualTo("\"0190a1b2c3d47e5fa7b8c9d0e1f2a3b4.3\""));
            Assert.That(response.Secret, Is.Null);
        }
    }

    [Test]
    public void Serialize_WhenTheResponseHasNoSecret_ThenHasNeitherSecretNorETagInTheBody()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(TestData.Mapper.Map<WebhookEndpointResponse>(TestData.Endpoint()));

        Assert.That(json, Does.Not.Contain("Secret").And.Not.Contain("ETag").And.Not.Contain(TestData.StoredProtectedSecret));
    }

    [Test]
    public void Map_WhenEndpointHasNoDescription_ThenDescriptionIsNull()
    {
        var response = TestData.Mapper.Map<WebhookEndpointResponse>(TestData.Endpoint(description: null));

        Assert.That(response.Description, Is.Null);
    }

    [Test]
    public void Map_WhenEndpointIsMapped_ThenEventsAreACopyInTheStoredOrder()
    {
        var endpoint = TestData.Endpoint(events: ["subscription.canceled", "wallet.balance_low"]);

        var response = TestData.Mapper.Map<WebhookEndpointResponse>(endpoint);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Events, Is.EqualTo(new[] { "subscription.canceled", "wallet.balance_low" }));
            Assert.That(response.Events, Is.Not.SameAs(endpoint.Events));
        }
    }
}
