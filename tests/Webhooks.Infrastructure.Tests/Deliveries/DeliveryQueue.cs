using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Webhooks.Application.Clients;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Deliveries;
using Webhooks.Domain.Clients;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure.Deliveries;

namespace Webhooks.Infrastructure.Tests.Deliveries;

/// <summary>A delivery row as stored, with its lease.</summary>
public sealed record DeliveryRow(Guid Id, DeliveryStatus Status, int AttemptCount, DateTimeOffset? NextAttemptAt, string? LeaseOwner, DateTimeOffset? LeaseExpiresAt);

/// <summary>Receivers, events and deliveries on a <see cref="SqliteApp"/>, and the rows as they are stored.</summary>
internal static class DeliveryQueue
{
    // The shadow properties of the lease (Persistence.Configurations.DeliveryConfiguration, internal).
    private const string LeaseOwner = "LeaseOwner";
    private const string LeaseExpiresAt = "LeaseExpiresAt";

    /// <summary>An instant the claim tests count from.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>An active endpoint of <paramref name="orgId"/> at <c>https://{host}/hook</c>, with a real signing secret protected by the application's keys.</summary>
    public static async Task<Guid> AddEndpointAsync(this SqliteApp app, Guid orgId, string host)
    {
        var id = Guid.CreateVersion7();
        await app.SaveAsync(sp => sp.Endpoints().Add(WebhookEndpoint.Create(
            id,
            orgId,
            HttpsUrl.Create($"https://{host}/hook").Value!,
            null,
            EventTypeSet.Create(["wallet.balance_low"], TestData.Catalog).Value!,
            active: true,
            WebhookCatalogOptions.DefaultApiVersion,
            NewProtectedSecret(sp),
            TestData.At(2026, 1, 1, 0, 0, 0))));
        return id;
    }

    /// <summary>A device-API client whose webhook URL is <c>https://{host}/hook</c>.</summary>
    public static async Task<Guid> AddClientAsync(this SqliteApp app, string host)
    {
        var id = Guid.CreateVersion7();
        await app.SaveAsync(sp =>
        {
            var client = Client.Register(id, "customer-" + host, Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(host))), NewProtectedSecret(sp), TestData.At(2026, 1, 1, 0, 0, 0));
            client.SetWebhookUrl(HttpsUrl.Create($"https://{host}/hook").Value!, TestData.At(2026, 1, 1, 0, 0, 0));
            sp.GetRequiredService<IClientRepository>().Add(client);
        });
        return id;
    }

    /// <summary>Publishes one event of <paramref name="orgId"/> at <paramref name="at"/> to each endpoint; its deliveries are due at <paramref name="at"/>.</summary>
    public static async Task<List<Guid>> PublishAsync(this SqliteApp app, Guid orgId, DateTimeOffset at, params Guid[] endpointIds)
    {
        var evt = Event.ForOrganization(Guid.CreateVersion7(), orgId, "wallet.balance_low", Data(), at);
        var deliveries = endpointIds.Select(id => evt.DeliverTo(Guid.CreateVersion7(), DeliveryTarget.Endpoint(id))).ToList();
        await app.SaveAsync(sp => sp.GetRequiredService<IEventRepository>().Add(evt, deliveries));
        return [.. deliveries.Select(d => d.Id)];
    }

    /// <summary>Publishes one event of the client at <paramref name="at"/>; returns its delivery.</summary>
    public static async Task<Guid> PublishToClientAsync(this SqliteApp app, Guid clientId, DateTimeOffset at)
    {
        var evt = Event.ForClient(Guid.CreateVersion7(), clientId, "device.online", Data(), at);
        var delivery = evt.DeliverTo(Guid.CreateVersion7(), DeliveryTarget.Client(clientId));
        await app.SaveAsync(sp => sp.GetRequiredService<IEventRepository>().Add(evt, [delivery]));
        return delivery.Id;
    }

    /// <summary>
    /// <paramref name="count"/> deliveries to <paramref name="endpointId"/>, one event each, due one
    /// second apart from <paramref name="from"/> on (so the first is the oldest due).
    /// </summary>
    public static async Task<List<Guid>> PublishManyAsync(this SqliteApp app, Guid orgId, Guid endpointId, DateTimeOffset from, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.AddRange(await app.PublishAsync(orgId, from.AddSeconds(i), endpointId));
        }

        return ids;
    }

    public static async Task<DeliveryRow> RowAsync(this SqliteApp app, Guid id) => (await app.RowsAsync()).Single(r => r.Id == id);

    public static async Task<List<DeliveryRow>> RowsAsync(this SqliteApp app)
    {
        await using var scope = app.Scope();
        var rows = await scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Set<Delivery>().AsNoTracking()
            .Select(d => new { d.Id, d.Status, d.AttemptCount, d.NextAttemptAt, Owner = EF.Property<string?>(d, LeaseOwner), Expires = EF.Property<DateTimeOffset?>(d, LeaseExpiresAt) })
            .ToListAsync();
        return [.. rows.Select(r => new DeliveryRow(r.Id, r.Status, r.AttemptCount, r.NextAttemptAt, r.Owner, r.Expires))];
    }

    /// <summary>The attempts recorded for <paramref name="deliveryId"/>, in order.</summary>
    public static async Task<List<DeliveryAttempt>> AttemptsAsync(this SqliteApp app, Guid deliveryId)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Set<DeliveryAttempt>().AsNoTracking()
            .Where(a => a.DeliveryId == deliveryId).OrderBy(a => a.Number).ToListAsync();
    }

    /// <summary>Claims through the application's <see cref="DeliveryClaims"/> of <paramref name="services"/>, as a worker would.</summary>
    public static async Task<List<Guid>> ClaimAsync(
        this IServiceProvider services, string owner, DateTimeOffset now, int limit, params Guid[] busyReceivers)
    {
        await using var scope = services.CreateAsyncScope();
        var claimed = await services.GetRequiredService<DeliveryClaims>().ClaimAsync(
            scope.ServiceProvider.GetRequiredService<WebhooksDbContext>(), owner, now, TimeSpan.FromSeconds(60), limit, busyReceivers, CancellationToken.None);
        return [.. claimed.Select(c => c.Id)];
    }

    /// <summary>Defers the receiver's due deliveries through the application's <see cref="DeliveryClaims"/>, as a worker does for a stalled receiver.</summary>
    public static async Task<int> DeferAsync(this IServiceProvider services, ClaimedDelivery receiver, DateTimeOffset now, DateTimeOffset until)
    {
        await using var scope = services.CreateAsyncScope();
        return await services.GetRequiredService<DeliveryClaims>().DeferAsync(
            scope.ServiceProvider.GetRequiredService<WebhooksDbContext>(), receiver, now, until, CancellationToken.None);
    }

    public static async Task<int> ReleaseAsync(this IServiceProvider services, string owner, params Guid[]? ids)
    {
        await using var scope = services.CreateAsyncScope();
        return await services.GetRequiredService<DeliveryClaims>().ReleaseAsync(
            scope.ServiceProvider.GetRequiredService<WebhooksDbContext>(), owner, ids, CancellationToken.None);
    }

    /// <summary>A recorder of its own (the application's registrations, these settings) writes the attempts and ends.</summary>
    public static async Task<long> RecordAttemptsAsync(this SqliteApp app, DeliveryOptions options, params FinishedAttempt[] attempts)
    {
        var recorder = ActivatorUtilities.CreateInstance<AttemptRecorder>(app.Services, options);
        var written = attempts.Select(recorder.Enqueue).ToList();
        Assert.That(written.Any(task => task.IsCompleted), Is.False, "nothing is written before the recorder runs");

        recorder.Complete();
        await recorder.RunAsync(CancellationToken.None);
        Assert.That(written.All(task => task.IsCompletedSuccessfully), Is.True, "each attempt's task completes once it is written");
        return recorder.Recorded;
    }

    private static EventData Data()
    {
        using var document = JsonDocument.Parse("{\"balance\":3}");
        return EventData.From(document.RootElement.Clone()).Value!;
    }

    private static string NewProtectedSecret(IServiceProvider services) =>
        services.GetRequiredService<ISecretProtector>().Protect("whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
}

/// <summary>
/// A webhook sender for tests about the queue, not HTTP: records every request, answers by receiver
/// host (200 unless told otherwise), and counts the requests in flight, in all and per host. A held
/// host's requests wait until it is let go.
/// </summary>
internal sealed class ScriptedSender : IWebhookSender
{
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, Func<AttemptResult>> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _holds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _inFlightByHost = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _maxByHost = new(StringComparer.Ordinal);
    private readonly List<(string Host, string MessageId)> _finished = [];
    private readonly List<Waiter> _waiters = [];
    private int _inFlight;

    public int MaxInFlight { get; private set; }

    public void Answer(string host, Func<AttemptResult> answer) => _answers[host] = answer;

    /// <summary>Requests to <paramref name="host"/> wait from now until <see cref="LetGo"/>.</summary>
    public void Hold(string host) => _holds[host] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void LetGo(string host)
    {
        if (_holds.TryRemove(host, out var hold))
        {
            hold.TrySetResult();
        }
    }

    /// <summary>Lets every held host go, and holds none from now on.</summary>
    public void LetGoAll()
    {
        foreach (var host in _holds.Keys.ToList())
        {
            LetGo(host);
        }
    }

    public int InFlightTo(string host)
    {
        lock (_lock)
        {
            return _inFlightByHost.GetValueOrDefault(host);
        }
    }

    public int FinishedTo(string host) => Finished.Count(f => f.Host == host);

    public int MaxInFlightTo(string host)
    {
        lock (_lock)
        {
            return _maxByHost.GetValueOrDefault(host);
        }
    }

    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    public IReadOnlyList<(string Host, string MessageId)> Finished
    {
        get
        {
            lock (_lock)
            {
                return [.. _finished];
            }
        }
    }

    /// <summary>Completes when <paramref name="condition"/> holds (checked at every start and end of a request), or fails after <paramref name="bound"/>.</summary>
    public Task UntilAsync(Func<ScriptedSender, bool> condition, TimeSpan bound, string what)
    {
        var waiter = new Waiter(condition);
        lock (_lock)
        {
            _waiters.Add(waiter);
        }

        Check();
        return WaitAsync();

        async Task WaitAsync()
        {
            try
            {
                await waiter.Done.Task.WaitAsync(bound);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{what}: not within {bound.TotalSeconds} s (in flight {InFlight}, finished {Finished.Count})");
            }
        }
    }

    public async Task<AttemptResult> SendAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var host = request.Url.Host;
        lock (_lock)
        {
            _inFlight++;
            MaxInFlight = Math.Max(MaxInFlight, _inFlight);
            _inFlightByHost[host] = _inFlightByHost.GetValueOrDefault(host) + 1;
            _maxByHost[host] = Math.Max(_maxByHost.GetValueOrDefault(host), _inFlightByHost[host]);
        }

        Check();
        if (_holds.TryGetValue(host, out var hold))
        {
            await hold.Task.WaitAsync(cancellationToken);
        }

        await Task.Yield();
        var result = _answers.TryGetValue(host, out var answer) ? answer() : new AttemptResult(200, TimeSpan.FromMilliseconds(5), "ok", null);
        lock (_lock)
        {
            _inFlight--;
            _inFlightByHost[host]--;
            _finished.Add((host, request.MessageId));
        }

        Check();
        return result;
    }

    private void Check()
    {
        List<Waiter> met;
        lock (_lock)
        {
            met = [.. _waiters.Where(w => w.Condition(this))];
            _waiters.RemoveAll(met.Contains);
        }

        foreach (var waiter in met)
        {
            waiter.Done.TrySetResult();
        }
    }

    private sealed record Waiter(Func<ScriptedSender, bool> Condition)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
