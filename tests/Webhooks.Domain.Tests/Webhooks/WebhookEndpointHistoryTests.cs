using static Webhooks.Domain.Tests.TestData;

namespace Webhooks.Domain.Tests.Webhooks;

/// <summary>
/// Every change to an endpoint raises one <see cref="WebhookEndpointChanged"/> for its history: the
/// action, the instant, the fields whose values changed (JSON names; values as the resource shows
/// them) and, for the service's own changes, the reason. A change that changes nothing raises none;
/// a secret never appears.
/// </summary>
public sealed class WebhookEndpointHistoryTests
{
    private static WebhookEndpoint Saved()
    {
        var endpoint = NewEndpoint();
        endpoint.ClearDomainEvents();
        return endpoint;
    }

    private static WebhookEndpointChanged Recorded(WebhookEndpoint endpoint) => endpoint.DomainEvents.OfType<WebhookEndpointChanged>().Single();

    private static Dictionary<string, (object? From, object? To)> Fields(WebhookEndpointChanged changed) =>
        changed.Changes.ToDictionary(field => field.Key, field => (field.Value.From, field.Value.To));

    [Test]
    public void Create_RecordsEveryFieldFromNull()
    {
        var changed = Recorded(NewEndpoint());

        using (Assert.EnterMultipleScope())
        {
            Assert.That((changed.EndpointId, changed.Action, changed.At, changed.SystemReason), Is.EqualTo((EndpointId, EndpointChangeAction.Created, CreatedAt, (string?)null)));
            Assert.That(changed.Changes.Keys, Is.EqualTo(new[] { "url", "description", "events", "active", "api_version" }));
            Assert.That(changed.Changes.Values.Select(v => v.From), Is.All.Null);
            Assert.That(changed.Changes["url"].To, Is.EqualTo("https://hooks.example.com/y3labs/ops"));
            Assert.That(changed.Changes["description"].To, Is.EqualTo("Ops alerts"));
            Assert.That(changed.Changes["events"].To, Is.EqualTo(new[] { BalanceLow, BalanceZero }));
            Assert.That(changed.Changes["active"].To, Is.EqualTo(true));
            Assert.That(changed.Changes["api_version"].To, Is.EqualTo(LatestVersion));
        }
    }

    /// <summary>One field patched at a time: exactly that field, from its old value to its new one.</summary>
    private static readonly TestCaseData[] SingleFieldPatches =
    [
        new TestCaseData(Patch(url: "https://hooks.example.com/moved"), "url", "https://hooks.example.com/y3labs/ops", "https://hooks.example.com/moved").SetName("Patch url"),
        new TestCaseData(Patch(description: "  Billing  "), "description", "Ops alerts", "Billing").SetName("Patch description (trimmed)"),
        new TestCaseData(Patch(description: Optional<string?>.Of(null)), "description", "Ops alerts", null).SetName("Patch description null (cleared)"),
        new TestCaseData(Patch(description: ""), "description", "Ops alerts", null).SetName("Patch description empty (cleared)"),
        new TestCaseData(Patch(events: Optional<IReadOnlyList<string?>?>.Of([PastDue, PastDue, BalanceLow])), "events", new[] { BalanceLow, BalanceZero }, new[] { PastDue, BalanceLow })
            .SetName("Patch events (duplicates collapsed)"),
        new TestCaseData(Patch(active: false), "active", true, false).SetName("Patch active false"),
    ];

    [TestCaseSource(nameof(SingleFieldPatches))]
    public void Patch_RecordsTheChangedFieldFromItsOldValueToItsNewOne(WebhookEndpointPatch patch, string field, object? from, object? to)
    {
        var endpoint = Saved();

        endpoint.Patch(patch, Catalog, Later);

        var changed = Recorded(endpoint);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((changed.EndpointId, changed.Action, changed.At, changed.SystemReason), Is.EqualTo((EndpointId, EndpointChangeAction.Updated, Later, (string?)null)));
            Assert.That(Fields(changed), Is.EqualTo(new Dictionary<string, (object?, object?)> { [field] = (from, to) }));
        }
    }

    [Test]
    public void Patch_OfSeveralFields_RecordsOnlyThoseThatChanged_InOneEntry()
    {
        var endpoint = Saved();

        endpoint.Patch(Patch(url: "https://hooks.example.com/y3labs/ops", description: "Ops alerts", events: Optional<IReadOnlyList<string?>?>.Of([PastDue]), active: false), Catalog, Later);

        Assert.That(Fields(Recorded(endpoint)), Is.EqualTo(new Dictionary<string, (object?, object?)>
        {
            ["events"] = (new[] { BalanceLow, BalanceZero }, new[] { PastDue }),
            ["active"] = (true, false),
        }));
    }

    /// <summary>Patches that change no value.</summary>
    private static readonly TestCaseData[] NoOpPatches =
    [
        new TestCaseData(Patch()).SetName("Patch {}"),
        new TestCaseData(Patch(url: "https://hooks.example.com/y3labs/ops")).SetName("Patch the same url"),
        new TestCaseData(Patch(description: "Ops alerts")).SetName("Patch the same description"),
        new TestCaseData(Patch(events: Optional<IReadOnlyList<string?>?>.Of([BalanceLow, BalanceZero]))).SetName("Patch the same events"),
        new TestCaseData(Patch(active: true)).SetName("Patch the same active"),
        new TestCaseData(Patch(apiVersion: LatestVersion)).SetName("Patch the same api_version"),
    ];

    [TestCaseSource(nameof(NoOpPatches))]
    public void Patch_ThatChangesNothing_RecordsNothing(WebhookEndpointPatch patch)
    {
        var endpoint = Saved();

        endpoint.Patch(patch, Catalog, Later);

        Assert.That(endpoint.DomainEvents, Is.Empty);
    }

    /// <summary>Changes with no field to show: the action alone (a secret never appears).</summary>
    private static readonly TestCaseData[] FieldlessChanges =
    [
        new TestCaseData(new Action<WebhookEndpoint>(e => e.RotateSecret("protected:whsec_second", SecretGrace.Default, Later)), EndpointChangeAction.SecretRotated).SetName("RotateSecret"),
        new TestCaseData(new Action<WebhookEndpoint>(e => e.Delete(Later)), EndpointChangeAction.Deleted).SetName("Delete"),
    ];

    [TestCaseSource(nameof(FieldlessChanges))]
    public void FieldlessChange_RecordsTheActionWithNoFields(Action<WebhookEndpoint> change, EndpointChangeAction action)
    {
        var endpoint = Saved();

        change(endpoint);

        var changed = Recorded(endpoint);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((changed.EndpointId, changed.Action, changed.At, changed.SystemReason), Is.EqualTo((EndpointId, action, Later, (string?)null)));
            Assert.That(changed.Changes, Is.Empty);
        }
    }

    [TestCase(null, WebhookEndpoint.ReceiverGoneReason, TestName = "Deactivate without a reason: 410 Gone")]
    [TestCase("every attempt has failed for 120 hours", "every attempt has failed for 120 hours", TestName = "Deactivate with a reason")]
    public void Deactivate_RecordsActiveTrueToFalse_WithTheServicesReason(string? reason, string recorded)
    {
        var endpoint = Saved();

        if (reason is null)
        {
            endpoint.Deactivate(Later);
        }
        else
        {
            endpoint.Deactivate(Later, reason);
        }

        var changed = Recorded(endpoint);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((changed.EndpointId, changed.Action, changed.At, changed.SystemReason), Is.EqualTo((EndpointId, EndpointChangeAction.Deactivated, Later, recorded)));
            Assert.That(Fields(changed), Is.EqualTo(new Dictionary<string, (object?, object?)> { ["active"] = (true, false) }));
        }
    }

    [TestCase("")]
    [TestCase("  ")]
    public void Deactivate_WithoutAReason_Throws(string reason)
    {
        Assert.That(() => Saved().Deactivate(Later, reason), Throws.InstanceOf<ArgumentException>());
    }

    [Test]
    public void Deactivate_WhenAlreadyInactive_RecordsNothing()
    {
        var endpoint = Saved();
        endpoint.Patch(Patch(active: false), Catalog, Later);
        endpoint.ClearDomainEvents();

        endpoint.Deactivate(EvenLater);

        Assert.That(endpoint.DomainEvents, Is.Empty);
    }
}
