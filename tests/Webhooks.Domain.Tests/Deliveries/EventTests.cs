using System.Text.Json;
using Webhooks.Domain.Deliveries;
using static Webhooks.Domain.Tests.Deliveries.DeliveryTestData;
using static Webhooks.Domain.Tests.TestData;

namespace Webhooks.Domain.Tests.Deliveries;

/// <summary>Events (contract, "Publishing events"): the client type rule, the data object, and the fan-out's rules.</summary>
public sealed class EventTests
{
    /// <summary>A dotted name of exactly <paramref name="length"/> characters.</summary>
    private static string TypeOfLength(int length) => "device." + Repeat("x", length - "device.".Length);

    private static readonly TestCaseData[] ClientTypes =
    [
        new TestCaseData("device.online", true).SetName("two labels"),
        new TestCaseData("device.status.changed", true).SetName("three labels"),
        new TestCaseData("a.b", true).SetName("one letter each"),
        new TestCaseData("device_2.battery_low_3", true).SetName("digits and underscores after the first letter"),
        new TestCaseData("device.x_", true).SetName("a trailing underscore"),
        new TestCaseData(TypeOfLength(Event.MaxClientTypeLength), true).SetName("100 characters"),
        new TestCaseData(TypeOfLength(Event.MaxClientTypeLength + 1), false).SetName("101 characters"),
        new TestCaseData("device", false).SetName("no dot"),
        new TestCaseData(string.Empty, false).SetName("empty"),
        new TestCaseData("Device.online", false).SetName("upper case first label"),
        new TestCaseData("device.Online", false).SetName("upper case second label"),
        new TestCaseData("1device.online", false).SetName("a leading digit"),
        new TestCaseData("device.2online", false).SetName("a label starting with a digit"),
        new TestCaseData("device._online", false).SetName("a label starting with an underscore"),
        new TestCaseData("device..online", false).SetName("an empty label"),
        new TestCaseData(".device.online", false).SetName("a leading dot"),
        new TestCaseData("device.online.", false).SetName("a trailing dot"),
        new TestCaseData("device-x.online", false).SetName("a hyphen"),
        new TestCaseData("device.on line", false).SetName("a space inside"),
        new TestCaseData(" device.online", false).SetName("a leading space"),
        new TestCaseData("device.online\n", false).SetName("a trailing line feed"),
        new TestCaseData("dévice.online", false).SetName("a non-ASCII letter"),
    ];

    [TestCaseSource(nameof(ClientTypes))]
    public void CheckClientType_AcceptsOnlyDottedLowerCaseNamesOfAtMost100Characters(string type, bool valid)
    {
        var outcome = Event.CheckClientType(type);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.IsValid, Is.EqualTo(valid));
            Assert.That(outcome.Value, Is.EqualTo(valid ? type : null));
            Assert.That(outcome.Errors, Is.EqualTo(valid ? new Dictionary<string, string>() : new Dictionary<string, string> { [string.Empty] = Event.ClientTypeMessage }));
        }
    }

    [Test]
    public void CheckClientType_OfNull_IsAProgrammingError() =>
        Assert.That(() => Event.CheckClientType(null!), Throws.ArgumentNullException);

    [TestCase("""{}""")]
    [TestCase("""{"a":1}""")]
    [TestCase("""{ "note" : "café \u00e9 😀",  "n": 1.50e2, "nested": {"x": [1, 2]} }""")]
    public void EventData_FromAnObject_KeepsItsTextExactly(string json) =>
        Assert.That(Data(json).Json, Is.EqualTo(json));

    [TestCase("[]")]
    [TestCase("""[{"a":1}]""")]
    [TestCase("\"text\"")]
    [TestCase("42")]
    [TestCase("true")]
    [TestCase("null")]
    public void EventData_FromAnythingButAnObject_SaysItMustBeAnObject(string json)
    {
        using var document = JsonDocument.Parse(json);

        var outcome = EventData.From(document.RootElement);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.IsValid, Is.False);
            Assert.That(outcome.Errors, Is.EqualTo(new Dictionary<string, string> { [string.Empty] = Event.DataNotObjectMessage }));
        }
    }

    [Test]
    public void ForOrganization_KeepsEveryValue_AndHasNoDeliveriesYet()
    {
        var evt = Event.ForOrganization(EventId, OrgId, BalanceLow, Data("""{"wallet_id": "w_1"}"""), CreatedAt);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(evt.Id, Is.EqualTo(EventId));
            Assert.That(evt.OrgId, Is.EqualTo(OrgId));
            Assert.That(evt.ClientId, Is.Null);
            Assert.That(evt.Type, Is.EqualTo(BalanceLow));
            Assert.That(evt.Data, Is.EqualTo("""{"wallet_id": "w_1"}"""));
            Assert.That(evt.CreatedAt, Is.EqualTo(CreatedAt));
            Assert.That(evt.DeliveryCount, Is.Zero);
        }
    }

    [Test]
    public void ForClient_KeepsEveryValue_AndBelongsToNoOrganization()
    {
        var evt = ClientEvent();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(evt.Id, Is.EqualTo(EventId));
            Assert.That(evt.OrgId, Is.Null);
            Assert.That(evt.ClientId, Is.EqualTo(ClientId));
            Assert.That(evt.Type, Is.EqualTo("device.online"));
            Assert.That(evt.Data, Is.EqualTo("""{"device":"d_1"}"""));
            Assert.That(evt.CreatedAt, Is.EqualTo(CreatedAt));
            Assert.That(evt.DeliveryCount, Is.Zero);
        }
    }

    [Test]
    public void ForOrganization_WithoutATypeOrData_IsAProgrammingError()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => Event.ForOrganization(EventId, OrgId, string.Empty, Data("{}"), CreatedAt), Throws.ArgumentException);
            Assert.That(() => Event.ForClient(EventId, ClientId, "device.online", null!, CreatedAt), Throws.ArgumentNullException);
        }
    }

    [Test]
    public void DeliverTo_EachEndpoint_CountsTheDeliveries()
    {
        var evt = OrganizationEvent();
        var endpoints = new[] { Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a301"), Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a302"), EndpointId };

        var deliveries = endpoints.Select((endpoint, i) => evt.DeliverTo(Guid.Parse($"0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a4{i:D2}"), DeliveryTarget.Endpoint(endpoint))).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(evt.DeliveryCount, Is.EqualTo(3));
            Assert.That(deliveries.Select(d => d.EndpointId), Is.EqualTo(endpoints));
            Assert.That(deliveries.Select(d => d.EventId), Is.All.EqualTo(EventId));
            Assert.That(deliveries.Select(d => d.Id).Distinct().Count(), Is.EqualTo(3));
        }
    }

    [Test]
    public void DeliverTo_TheEventsClient_IsOneDelivery()
    {
        var evt = ClientEvent();

        var delivery = evt.DeliverTo(DeliveryId, DeliveryTarget.Client(ClientId));

        Assert.That((evt.DeliveryCount, delivery.ClientId), Is.EqualTo((1, (Guid?)ClientId)));
    }

    private static readonly TestCaseData[] WrongTargets =
    [
        new TestCaseData(OrganizationEvent(), DeliveryTarget.Client(ClientId)).SetName("an organization's event to a client"),
        new TestCaseData(ClientEvent(), DeliveryTarget.Endpoint(EndpointId)).SetName("a client's event to an endpoint"),
        new TestCaseData(ClientEvent(), DeliveryTarget.Client(Guid.Parse("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3ff"))).SetName("a client's event to another client"),
    ];

    [TestCaseSource(nameof(WrongTargets))]
    public void DeliverTo_AReceiverTheEventIsNotFor_IsRefusedAndNotCounted(Event evt, DeliveryTarget target)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => evt.DeliverTo(DeliveryId, target), Throws.InvalidOperationException);
            Assert.That(evt.DeliveryCount, Is.Zero);
        }
    }

    [Test]
    public void DeliverTo_NoTarget_IsAProgrammingError() =>
        Assert.That(() => OrganizationEvent().DeliverTo(DeliveryId, null!), Throws.ArgumentNullException);

    [Test]
    public void DeliveryTarget_IsAValue()
    {
        using (Assert.EnterMultipleScope())
        {
            var endpoint = DeliveryTarget.Endpoint(EndpointId);
            Assert.That(DeliveryTarget.Endpoint(EndpointId), Is.EqualTo(endpoint));
            Assert.That(DeliveryTarget.Client(EndpointId), Is.Not.EqualTo(DeliveryTarget.Endpoint(EndpointId)));
            Assert.That((DeliveryTarget.Endpoint(EndpointId).EndpointId, DeliveryTarget.Endpoint(EndpointId).ClientId), Is.EqualTo(((Guid?)EndpointId, (Guid?)null)));
            Assert.That((DeliveryTarget.Client(ClientId).EndpointId, DeliveryTarget.Client(ClientId).ClientId), Is.EqualTo(((Guid?)null, (Guid?)ClientId)));
        }
    }
}
