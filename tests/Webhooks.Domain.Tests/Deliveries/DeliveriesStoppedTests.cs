using Webhooks.Domain.Clients;
using Webhooks.Domain.Deliveries;
using static Webhooks.Domain.Tests.TestData;

namespace Webhooks.Domain.Tests.Deliveries;

/// <summary>
/// When a receiver stops taking deliveries, its aggregate says so once (<see cref="DeliveriesStopped"/>),
/// so that its pending deliveries are canceled in the same transaction (contract, "The request a
/// receiver gets"): an endpoint deactivated or deleted, a client's URL cleared or the client suspended.
/// Nothing else an endpoint or client does stops its deliveries. (An endpoint also raises
/// <see cref="WebhookEndpointChanged"/> for its history: WebhookEndpointHistoryTests.)
/// </summary>
public sealed class DeliveriesStoppedTests
{
    private static readonly DeliveriesStopped EndpointStopped = new(DeliveryTarget.Endpoint(EndpointId));

    private static readonly Guid ClientId = DeliveryTestData.ClientId;

    private static readonly DeliveriesStopped ClientStopped = new(DeliveryTarget.Client(ClientId));

    private static readonly HttpsUrl DeviceUrl = HttpsUrl.Create("https://device.example.com/hook").Value!;

    private static WebhookEndpoint Inactive()
    {
        var endpoint = NewEndpoint();
        endpoint.Patch(new WebhookEndpointChanges(Active: false), CreatedAt);
        endpoint.ClearDomainEvents();
        return endpoint;
    }

    /// <summary>What is done to an endpoint, and whether it stops its deliveries.</summary>
    private static readonly TestCaseData[] EndpointChanges =
    [
        EndpointCase(NewEndpoint, e => e.Patch(new WebhookEndpointChanges(Active: false), Later), stops: true).SetName("Patch active false: stops"),
        EndpointCase(NewEndpoint, e => e.Patch(Patch(description: "Paused", active: false), Catalog, Later), stops: true).SetName("Patch active false with another field: stops"),
        EndpointCase(NewEndpoint, e => e.Delete(Later), stops: true).SetName("Delete: stops"),
        EndpointCase(Inactive, e => e.Delete(Later), stops: true).SetName("Delete when inactive: stops (a pending delivery may remain from a race)"),
        EndpointCase(NewEndpoint, e => e.Deactivate(Later), stops: true).SetName("Deactivate (410 Gone): stops"),
        EndpointCase(NewEndpoint, e => e.Patch(new WebhookEndpointChanges(Active: true), Later), stops: false).SetName("Patch active true when active: nothing"),
        EndpointCase(Inactive, e => e.Patch(new WebhookEndpointChanges(Active: true), Later), stops: false).SetName("Patch active true when inactive (re-activation): nothing"),
        EndpointCase(Inactive, e => e.Patch(new WebhookEndpointChanges(Active: false), Later), stops: false).SetName("Patch active false when inactive: nothing"),
        EndpointCase(Inactive, e => e.Deactivate(Later), stops: false).SetName("Deactivate when inactive: nothing"),
        EndpointCase(Inactive, e => e.Patch(Patch(url: "https://hooks.example.com/moved"), Catalog, Later), stops: false).SetName("Patch url when inactive: nothing"),
        EndpointCase(NewEndpoint, e => e.Patch(Patch(url: "https://hooks.example.com/moved"), Catalog, Later), stops: false)
            .SetName("Patch url: nothing (pending deliveries go to the new URL)"),
        EndpointCase(NewEndpoint, e => e.Patch(Patch(description: "Renamed"), Catalog, Later), stops: false).SetName("Patch description: nothing"),
        EndpointCase(NewEndpoint, e => e.Patch(Patch(events: Optional<IReadOnlyList<string?>?>.Of([PastDue])), Catalog, Later), stops: false).SetName("Patch events: nothing"),
        EndpointCase(NewEndpoint, e => e.RotateSecret("protected:whsec_second", SecretGrace.Default, Later), stops: false).SetName("RotateSecret: nothing"),
    ];

    [TestCaseSource(nameof(EndpointChanges))]
    public void Endpoint_StopsDeliveries_OnlyWhenItStopsReceivingThem(Func<WebhookEndpoint> make, Action<WebhookEndpoint> change, bool stops)
    {
        var endpoint = make();

        change(endpoint);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(endpoint.DomainEvents.OfType<DeliveriesStopped>(), Is.EqualTo(stops ? new[] { EndpointStopped } : Array.Empty<DeliveriesStopped>()));
            Assert.That(endpoint.ReceivesDeliveries, stops ? Is.False : Is.EqualTo(endpoint.Active));
        }
    }

    [Test]
    public void Endpoint_DeactivatedThenDeleted_StopsOnce()
    {
        var endpoint = NewEndpoint();

        endpoint.Patch(new WebhookEndpointChanges(Active: false), Later);
        endpoint.Delete(EvenLater);

        Assert.That(endpoint.DomainEvents.OfType<DeliveriesStopped>(), Is.EqualTo(new[] { EndpointStopped }));
    }

    [Test]
    public void Endpoint_ReactivatedAndDeactivatedAgainAfterASave_StopsAgain()
    {
        var endpoint = NewEndpoint();
        endpoint.Patch(new WebhookEndpointChanges(Active: false), Later);
        endpoint.ClearDomainEvents();
        endpoint.Patch(new WebhookEndpointChanges(Active: true), Later);
        Assert.That(endpoint.DomainEvents.OfType<DeliveriesStopped>(), Is.Empty, "precondition: re-activation stops nothing");

        endpoint.Patch(new WebhookEndpointChanges(Active: false), EvenLater);

        Assert.That(endpoint.DomainEvents.OfType<DeliveriesStopped>(), Is.EqualTo(new[] { EndpointStopped }));
    }

    [Test]
    public void Deactivate_WhenActive_TurnsDeliveryOffAsItsOwnerWould()
    {
        var endpoint = NewEndpoint();
        var revision = endpoint.Revision;

        var deactivated = endpoint.Deactivate(Later);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(deactivated, Is.True);
            Assert.That(endpoint.Active, Is.False);
            Assert.That(endpoint.Revision, Is.EqualTo(revision + 1));
            Assert.That(endpoint.UpdatedAt, Is.EqualTo(Later));
        }
    }

    [Test]
    public void Deactivate_WhenInactiveOrDeleted_ChangesNothing()
    {
        var inactive = Inactive();
        var deleted = NewEndpoint();
        deleted.Delete(Later);
        deleted.ClearDomainEvents();
        var before = (EndpointSnapshot.Of(inactive), EndpointSnapshot.Of(deleted));

        var results = (inactive.Deactivate(EvenLater), deleted.Deactivate(EvenLater));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(results, Is.EqualTo((false, false)));
            Assert.That((EndpointSnapshot.Of(inactive), EndpointSnapshot.Of(deleted)), Is.EqualTo(before));
            Assert.That(inactive.DomainEvents.Concat(deleted.DomainEvents), Is.Empty);
        }
    }

    private static Client NewClient() => Client.Register(ClientId, "cus_123", Repeat("a", 64), "protected-webhook-secret", CreatedAt);

    private static Client WithUrl()
    {
        var client = NewClient();
        client.SetWebhookUrl(DeviceUrl, CreatedAt);
        return client;
    }

    private static Client Suspended()
    {
        var client = WithUrl();
        client.Suspend(CreatedAt);
        client.ClearDomainEvents();
        return client;
    }

    /// <summary>What is done to a client, and whether it stops its deliveries.</summary>
    private static readonly TestCaseData[] ClientChanges =
    [
        ClientCase(WithUrl, c => c.SetWebhookUrl(null, Later), stops: true).SetName("clearing the URL: stops"),
        ClientCase(WithUrl, c => c.Suspend(Later), stops: true).SetName("suspending: stops"),
        ClientCase(NewClient, c => c.Suspend(Later), stops: true).SetName("suspending a client without a URL: stops (a pending delivery may remain from a race)"),
        ClientCase(Suspended, c => c.SetWebhookUrl(null, Later), stops: true).SetName("clearing a suspended client's URL: stops"),
        ClientCase(Suspended, c => c.Suspend(Later), stops: false).SetName("suspending again: nothing"),
        ClientCase(NewClient, c => c.SetWebhookUrl(null, Later), stops: false).SetName("clearing a URL that is not set: nothing"),
        ClientCase(NewClient, c => c.SetWebhookUrl(DeviceUrl, Later), stops: false).SetName("setting a first URL: nothing"),
        ClientCase(WithUrl, c => c.SetWebhookUrl(HttpsUrl.Create("https://device.example.com/moved").Value, Later), stops: false)
            .SetName("changing the URL: nothing (pending deliveries go to the new URL)"),
        ClientCase(WithUrl, c => c.RotateWebhookSecret("protected-second", Later), stops: false).SetName("rotating the webhook secret: nothing"),
    ];

    [TestCaseSource(nameof(ClientChanges))]
    public void Client_StopsDeliveries_OnlyWhenItStopsReceivingThem(Func<Client> make, Action<Client> change, bool stops)
    {
        var client = make();

        change(client);

        Assert.That(client.DomainEvents, Is.EqualTo(stops ? new[] { ClientStopped } : Array.Empty<DeliveriesStopped>()));
    }

    [Test]
    public void Client_ClearedThenSuspended_StopsOnce()
    {
        var client = WithUrl();

        client.SetWebhookUrl(null, Later);
        client.Suspend(EvenLater);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(client.DomainEvents, Is.EqualTo(new[] { ClientStopped }));
            Assert.That(client.ReceivesDeliveries, Is.False);
        }
    }

    [Test]
    public void Client_ReceivesDeliveries_OnlyWithAUrlAndNotSuspended()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(NewClient().ReceivesDeliveries, Is.False);
            Assert.That(WithUrl().ReceivesDeliveries, Is.True);
            Assert.That(Suspended().ReceivesDeliveries, Is.False);
        }
    }

    [Test]
    public void ClearDomainEvents_ForgetsThem()
    {
        var endpoint = NewEndpoint();
        var client = WithUrl();
        endpoint.Delete(Later);
        client.Suspend(Later);

        endpoint.ClearDomainEvents();
        client.ClearDomainEvents();

        Assert.That(endpoint.DomainEvents.Concat(client.DomainEvents), Is.Empty);
    }

    [Test]
    public void DomainEventList_KeepsOneOfEqualEvents_InTheOrderRaised()
    {
        var list = new DomainEventList();
        var other = new DeliveriesStopped(DeliveryTarget.Client(ClientId));

        list.Raise(EndpointStopped);
        list.Raise(other);
        list.Raise(new DeliveriesStopped(DeliveryTarget.Endpoint(EndpointId)));

        Assert.That(list.Items, Is.EqualTo(new IDomainEvent[] { EndpointStopped, other }));
    }

    private static TestCaseData EndpointCase(Func<WebhookEndpoint> make, Action<WebhookEndpoint> change, bool stops) => new(make, change, stops);

    private static TestCaseData ClientCase(Func<Client> make, Action<Client> change, bool stops) => new(make, change, stops);
}
