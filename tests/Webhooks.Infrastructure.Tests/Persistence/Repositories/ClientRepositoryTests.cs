using Webhooks.Application.Clients;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Infrastructure.Tests.Persistence.Repositories;

/// <summary>
/// The client repository on a real SQLite file.
/// </summary>
[TestFixture]
public sealed class ClientRepositoryTests : SqliteAppTests
{
    [Test]
    public async Task Client_RoundTripsAndItsCredentialsShowSuspension()
    {
        var client = Client.Register(Guid.CreateVersion7(), "customer-42", TestData.Hash('f'), "protected-webhook-secret", TestData.At(2026, 2, 3, 4, 5, 6));
        client.SetWebhookUrl(HttpsUrl.Create("https://device.example.com/hook").Value, TestData.At(2026, 2, 3, 4, 5, 7));
        await App.SaveAsync(sp => sp.GetRequiredService<IClientRepository>().Add(client));

        await using (var scope = App.Scope())
        {
            var repository = scope.ServiceProvider.GetRequiredService<IClientRepository>();
            var loaded = await repository.GetAsync(client.Id, CancellationToken.None);
            var credentials = await repository.FindCredentialsAsync(client.Id, CancellationToken.None);
            await Assert.MultipleAsync(async () =>
            {
                Assert.That(loaded!.CustomerId, Is.EqualTo("customer-42"));
                Assert.That(loaded.WebhookUrl?.Value, Is.EqualTo("https://device.example.com/hook"));
                Assert.That(loaded.CreatedAt, Is.EqualTo(TestData.At(2026, 2, 3, 4, 5, 6)));
                Assert.That(loaded.UpdatedAt, Is.EqualTo(TestData.At(2026, 2, 3, 4, 5, 7)));
                Assert.That(loaded.SuspendedAt, Is.Null);
                Assert.That(credentials, Is.EqualTo(new ClientCredentials(client.Id, TestData.Hash('f'), IsSuspended: false)));
                Assert.That(await repository.FindCredentialsAsync(Guid.CreateVersion7(), CancellationToken.None), Is.Null);
            });
        }

        await App.SaveAsync(async sp =>
        {
            var tracked = await sp.GetRequiredService<IClientRepository>().GetAsync(client.Id, CancellationToken.None);
            tracked!.SetWebhookUrl(null, TestData.At(2026, 2, 3, 4, 5, 8));
            tracked.Suspend(TestData.At(2026, 2, 3, 4, 5, 8));
        });

        await using (var scope = App.Scope())
        {
            var repository = scope.ServiceProvider.GetRequiredService<IClientRepository>();
            var loaded = await repository.GetAsync(client.Id, CancellationToken.None);
            var credentials = await repository.FindCredentialsAsync(client.Id, CancellationToken.None);
            Assert.Multiple(() =>
            {
                Assert.That(loaded!.WebhookUrl, Is.Null);
                Assert.That(loaded.SuspendedAt, Is.EqualTo(TestData.At(2026, 2, 3, 4, 5, 8)));
                Assert.That(credentials!.IsSuspended, Is.True);
            });
        }
    }
}
