using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Webhooks;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// Concurrent PATCHes without <c>If-Match</c> that touch different fields of the same endpoint must
/// both take effect: many pairs fired at the same moment, then every endpoint checked. Whether two
/// requests really overlap is up to the scheduler, so the last tests force the race: both requests
/// read the endpoint before either writes.
/// </summary>
[TestFixture]
public sealed class ConcurrentPatchTests : WebhooksFixture
{
    private readonly CapturedLogs _logs = new();
    private readonly ReadRendezvous _rendezvous = new();

    protected override ApiFactory CreateFactory() => new()
    {
        TestServices = services =>
        {
            _logs.AddTo(services);
            _rendezvous.AddTo(services);
        },
    };

    [TestCase(25)]
    [TestCase(50)]
    public async Task Pairs_of_concurrent_patches_of_url_and_description_both_take_effect(int endpoints)
    {
        var (_, client) = await NewOrganizationAsync();
        var created = new List<CreatedEndpoint>();
        for (var i = 0; i < endpoints; i++)
        {
            created.Add(await CreateAsync(client, $"https://hooks.example.com/before/{i}", $"before {i}"));
        }

        var requests = created.SelectMany((endpoint, i) => new[]
        {
            (endpoint.Id, Field: "url", Json: JsonSerializer.Serialize(new { url = ExpectedUrl(i) })),
            (endpoint.Id, Field: "description", Json: JsonSerializer.Serialize(new { description = ExpectedDescription(i) })),
        }).ToList();
        Assert.That(requests, Has.Count.GreaterThanOrEqualTo(50));

        var logsBefore = _logs.Entries.Count;
        var responses = await FireTogetherAsync(client, requests.Select(r => (r.Id, r.Json)).ToList());
        await TestContext.Out.WriteLineAsync($"{ConflictsSince(logsBefore)} write conflicts (retried) among {requests.Count} PATCHes");

        for (var r = 0; r < responses.Count; r++)
        {
            var (status, text) = responses[r];
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), $"{requests[r].Field} of {requests[r].Id}: {text}");
            using var document = JsonDocument.Parse(text);
            var body = document.RootElement;
            var i = r / 2;
            var own = requests[r].Field == "url" ? ExpectedUrl(i) : ExpectedDescription(i);
            Assert.That(body.GetProperty(requests[r].Field).GetString(), Is.EqualTo(own), "each response shows its own change");
        }

        for (var i = 0; i < created.Count; i++)
        {
            var (stored, etag) = await GetWithETagAsync(created[i].Id, client);
            Assert.Multiple(() =>
            {
                Assert.That(stored.GetProperty("url").GetString(), Is.EqualTo(ExpectedUrl(i)), $"endpoint {i} carries the url of its pair");
                Assert.That(stored.GetProperty("description").GetString(), Is.EqualTo(ExpectedDescription(i)), $"endpoint {i} carries the description of its pair");
                Assert.That(WebhookResource.Events(stored), Is.EqualTo(WebhookResource.Events(created[i].Resource)), "untouched fields stay");
                Assert.That(RevisionOf(etag, created[i].Id), Is.EqualTo(RevisionOf(created[i].ETag, created[i].Id) + 2), $"endpoint {i}: two changes, two revisions");
            });
        }
    }

    [Test]
    public async Task Four_concurrent_patches_of_four_fields_of_each_endpoint_all_take_effect()
    {
        var (_, client) = await NewOrganizationAsync();
        var created = new List<CreatedEndpoint>();
        for (var i = 0; i < 15; i++)
        {
            created.Add(await CreateAsync(client, $"https://hooks.example.com/four/{i}", $"four {i}"));
        }

        var requests = created.SelectMany((endpoint, i) => new[]
        {
            (endpoint.Id, JsonSerializer.Serialize(new { url = ExpectedUrl(i) })),
            (endpoint.Id, JsonSerializer.Serialize(new { description = ExpectedDescription(i) })),
            (endpoint.Id, """{"events":["subscription.canceled","subscription.past_due"]}"""),
            (endpoint.Id, """{"active":false}"""),
        }).ToList();

        var responses = await FireTogetherAsync(client, requests);

        Assert.That(responses.Select(r => r.Status), Has.All.EqualTo(HttpStatusCode.OK), string.Join("\n", responses.Where(r => r.Status != HttpStatusCode.OK).Select(r => r.Text)));
        foreach (var (_, text) in responses)
        {
            using var document = JsonDocument.Parse(text);
            WebhookResource.AssertShape(document.RootElement);
        }

        for (var i = 0; i < created.Count; i++)
        {
            var (stored, etag) = await GetWithETagAsync(created[i].Id, client);
            Assert.Multiple(() =>
            {
                foreach (var key in new[] { "id", "org_id", "api_version", "created_at" })
                {
                    Assert.That(stored.GetProperty(key).GetString(), Is.EqualTo(created[i].Resource.GetProperty(key).GetString()), key);
                }

                Assert.That(stored.GetProperty("url").GetString(), Is.EqualTo(ExpectedUrl(i)));
                Assert.That(stored.GetProperty("description").GetString(), Is.EqualTo(ExpectedDescription(i)));
                Assert.That(WebhookResource.Events(stored), Is.EqualTo(new[] { "subscription.canceled", "subscription.past_due" }));
                Assert.That(stored.GetProperty("active").GetBoolean(), Is.False);
                Assert.That(RevisionOf(etag, created[i].Id), Is.EqualTo(5), "four changes after creation");
            });
        }
    }

    [Test]
    public async Task A_patch_that_loses_a_forced_race_is_retried_and_both_changes_take_effect()
    {
        var created = await CreateAsync();
        var logsBefore = _logs.Entries.Count;
        _rendezvous.Arm(2);

        var responses = await Task.WhenAll(
            PatchAsync(created.Id, """{"url":"https://hooks.example.com/raced"}"""),
            PatchAsync(created.Id, """{"description":"raced"}"""));

        Assert.That(_rendezvous.Met, Is.True, "both requests read the endpoint before either wrote");
        foreach (var response in responses)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            response.Dispose();
        }

        Assert.That(ConflictsSince(logsBefore), Is.GreaterThanOrEqualTo(1), "the loser's write conflicted");
        var (stored, etag) = await GetWithETagAsync(created.Id);
        Assert.That(stored.GetProperty("url").GetString(), Is.EqualTo("https://hooks.example.com/raced"));
        Assert.That(stored.GetProperty("description").GetString(), Is.EqualTo("raced"));
        Assert.That(RevisionOf(etag, created.Id), Is.EqualTo(3));
    }

    [Test]
    public async Task A_patch_with_if_match_that_loses_a_forced_race_is_412()
    {
        var created = await CreateAsync();
        _rendezvous.Arm(2);

        var responses = await Task.WhenAll(
            PatchAsync(created.Id, """{"url":"https://hooks.example.com/raced"}""", created.ETag),
            PatchAsync(created.Id, """{"description":"raced"}""", created.ETag));

        Assert.That(_rendezvous.Met, Is.True, "both requests read the endpoint, and passed If-Match, before either wrote");
        Assert.That(responses.Select(r => r.StatusCode), Is.EquivalentTo(new[] { HttpStatusCode.OK, HttpStatusCode.PreconditionFailed }));
        var loser = responses.Single(r => r.StatusCode == HttpStatusCode.PreconditionFailed);
        await ApiAssert.Envelope(loser, HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED", "precondition failed");
        var (_, etag) = await GetWithETagAsync(created.Id);
        Assert.That(RevisionOf(etag, created.Id), Is.EqualTo(2), "only the winner wrote");
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Test]
    public async Task A_rotation_and_a_patch_in_a_forced_race_both_take_effect()
    {
        var created = await CreateAsync();
        _rendezvous.Arm(2);

        var responses = await Task.WhenAll(
            RotateAsync(created.Id),
            PatchAsync(created.Id, """{"active":false}"""));

        Assert.That(_rendezvous.Met, Is.True);
        Assert.That(responses.Select(r => r.StatusCode), Has.All.EqualTo(HttpStatusCode.OK));
        var secret = WebhookResource.SplitSecret(await Json.ReadAsync(responses[0])).Secret;
        Assert.That(secret, Is.Not.EqualTo(created.Secret));
        var (stored, etag) = await GetWithETagAsync(created.Id);
        Assert.That(stored.GetProperty("active").GetBoolean(), Is.False);
        Assert.That(RevisionOf(etag, created.Id), Is.EqualTo(3), "the rotation and the PATCH");
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Test]
    public async Task A_patch_and_a_delete_in_a_forced_race_leave_the_endpoint_deleted()
    {
        var created = await CreateAsync();
        _rendezvous.Arm(2);

        var delete = DeleteAsync(created.Id);
        var patch = PatchAsync(created.Id, """{"description":"too late?"}""");
        var responses = await Task.WhenAll(delete, patch);

        Assert.That(_rendezvous.Met, Is.True);
        Assert.That(responses[0].StatusCode, Is.EqualTo(HttpStatusCode.OK), "the delete, retried if the PATCH wrote first");
        Assert.That(responses[1].StatusCode, Is.AnyOf(HttpStatusCode.OK, HttpStatusCode.NotFound), "the PATCH: first, or retried and then not found");
        using var get = await Client.GetAsync($"/v1/webhooks/{created.Id}");
        await ApiAssert.NotFound(get);
        var row = await ReadRowAsync(Factory, created.Id);
        Assert.That(row!.DeletedAt, Is.Not.Null, "the endpoint stays deleted");
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Test]
    public async Task A_command_that_keeps_conflicting_gives_up_after_10_attempts_with_503_and_retry_after()
    {
        var created = await CreateAsync();
        var attempts = 0;

        // Another writer changes the endpoint between every read and write of the PATCH.
        _rendezvous.AfterEachRead = async id =>
        {
            Interlocked.Increment(ref attempts);
            await BumpRevisionAsync(id);
        };
        HttpResponseMessage response;
        try
        {
            response = await PatchAsync(created.Id, """{"description":"never written"}""");
        }
        finally
        {
            _rendezvous.AfterEachRead = null;
        }

        using (response)
        {
            await ApiAssert.Envelope(response, HttpStatusCode.ServiceUnavailable, "SERVICE_UNAVAILABLE", "service unavailable");
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)), "Retry-After: 1");
        }

        Assert.That(attempts, Is.EqualTo(10), "up to 10 attempts");
        var (stored, etag) = await GetWithETagAsync(created.Id);
        Assert.That(stored.GetProperty("description").ValueKind, Is.EqualTo(JsonValueKind.Null), "the PATCH wrote nothing");
        Assert.That(RevisionOf(etag, created.Id), Is.EqualTo(11), "only the other writer's 10 changes");
    }

    private async Task BumpRevisionAsync(Guid id)
    {
        var changed = await Factory.InDatabaseAsync(db => db.Set<Domain.Webhooks.WebhookEndpoint>().Where(e => e.Id == id)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.Revision, e => e.Revision + 1)));
        Assert.That(changed, Is.EqualTo(1));
    }

    private int ConflictsSince(int logsBefore) =>
        _logs.Entries.Skip(logsBefore).Count(e => e.Category == "Microsoft.EntityFrameworkCore.Update" && e.AllText.Contains("DbUpdateConcurrencyException", StringComparison.Ordinal));

    private static string ExpectedUrl(int i) => $"https://hooks.example.com/after/{i}?pair={i}";

    private static string ExpectedDescription(int i) => $"after {i}";

    /// <summary>Prepares every request, then releases them all at the same moment; the statuses and bodies in request order.</summary>
    private static async Task<List<(HttpStatusCode Status, string Text)>> FireTogetherAsync(HttpClient client, IReadOnlyList<(string Id, string Json)> requests)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = requests.Select(async request =>
        {
            var message = new HttpRequestMessage(HttpMethod.Patch, $"/v1/webhooks/{request.Id}") { Content = Json.Body(request.Json) };
            await gate.Task;
            using var response = await client.SendAsync(message);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }).ToList();

        gate.SetResult();
        return [.. await Task.WhenAll(tasks)];
    }

    /// <summary>
    /// When armed for <c>n</c>, holds the next <c>n</c> endpoint reads until all <c>n</c> have
    /// happened, so that <c>n</c> commands read the same revision before any of them writes. The
    /// reads after those (the retries) pass freely.
    /// </summary>
    private sealed class ReadRendezvous
    {
        private readonly Lock _gate = new();
        private int _waiting;
        private TaskCompletionSource? _all;

        public bool Met { get; private set; }

        /// <summary>Runs after every endpoint read, with the endpoint's id (while set).</summary>
        public Func<Guid, Task>? AfterEachRead { get; set; }

        public void Arm(int count)
        {
            lock (_gate)
            {
                _waiting = count;
                _all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Met = false;
            }
        }

        public void AddTo(IServiceCollection services)
        {
            var original = services.Last(d => d.ServiceType == typeof(IWebhookEndpointRepository));
            services.Remove(original);
            services.Add(ServiceDescriptor.Describe(
                typeof(IWebhookEndpointRepository),
                provider => new Repository((IWebhookEndpointRepository)ActivatorUtilities.CreateInstance(provider, original.ImplementationType!), this),
                original.Lifetime));
        }

        private async Task ReadAsync()
        {
            Task? wait = null;
            lock (_gate)
            {
                if (_waiting > 0 && _all is not null)
                {
                    _waiting--;
                    if (_waiting == 0)
                    {
                        Met = true;
                        _all.SetResult();
                    }

                    wait = _all.Task;
                }
            }

            if (wait is not null)
            {
                // A bounded wait: a test whose requests never meet fails on Met, instead of hanging.
                await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10)));
            }
        }

        private sealed class Repository(IWebhookEndpointRepository inner, ReadRendezvous rendezvous) : IWebhookEndpointRepository
        {
            public async Task<WebhookEndpoint?> GetAsync(Guid id, Guid orgId, CancellationToken cancellationToken)
            {
                var endpoint = await inner.GetAsync(id, orgId, cancellationToken);
                await rendezvous.ReadAsync();
                if (rendezvous.AfterEachRead is { } after)
                {
                    await after(id);
                }

                return endpoint;
            }

            public Task<WebhookEndpoint?> ReadAsync(Guid id, Guid orgId, CancellationToken cancellationToken) =>
                inner.ReadAsync(id, orgId, cancellationToken);

            public void Add(WebhookEndpoint endpoint) => inner.Add(endpoint);

            public Task<IReadOnlyList<WebhookEndpoint>> ListAsync(Guid orgId, Guid? afterId, int take, CancellationToken cancellationToken) =>
                inner.ListAsync(orgId, afterId, take, cancellationToken);

            public Task<IReadOnlyList<Guid>> ListReceivingAsync(Guid orgId, string eventType, CancellationToken cancellationToken) =>
                inner.ListReceivingAsync(orgId, eventType, cancellationToken);
        }
    }
}
