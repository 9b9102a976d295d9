using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Webhooks.Api.Errors;
using Webhooks.Api.Tests.Clients;
using Webhooks.Api.Tests.Http;

namespace Webhooks.Api.Tests.Startup;

/// <summary>
/// Database faults: a locked SQLite file and an unreachable one. Requests fail fast with
/// <c>503 SERVICE_UNAVAILABLE</c> and <c>Retry-After</c> in the surface's format, nothing is
/// half-written, <c>/healthz/ready</c> reports a database that cannot take a write, and the service recovers by
/// itself, without a restart, when the database is back.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category(TestPostgres.SqliteOnly)]
public sealed class DatabaseFaultTests
{
    /// <summary>Not a performance bound: a request that waited on the lock without limit would exceed it.</summary>
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(15);

    private const string PatchBody = """{"description":"after the outage","active":false}""";
    private const string ClientUrl = "https://hooks.example.com/fault-client";
    private const string ClientUrlDuringOutage = "https://hooks.example.com/during-outage";

    [Test]
    public async Task Locked_database_fails_writes_fast_with_503_and_recovers_without_restart()
    {
        await using var factory = new ApiFactory();
        var org = await factory.CreateOrganizationAsync();
        using var v1 = factory.CreateClient(org.Key);
        using var http = ClientsApi.CreateHttpClient(factory);
        var id = await ApiHelpers.CreateEndpointAsync(v1);
        var before = await ApiHelpers.GetEndpointAsync(v1, id);
        var issued = await ClientsApi.CreateClientAsync(factory, "cust-lock");
        using (var set = await ClientsApi.PatchAsync(http, issued, ClientsApi.UrlBody(ClientUrl)))
        {
            await ClientsAssert.ClientAsync(set, issued, ClientUrl);
        }

        var endpointsBefore = await StoredData.EndpointsAsync(factory.Services);

        await using (var holder = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False"))
        {
            await holder.OpenAsync();
            Assert.That(await ScalarAsync(holder, "PRAGMA journal_mode;"), Is.EqualTo("wal"), "the service runs SQLite in WAL mode");
            await ExecuteAsync(holder, "BEGIN EXCLUSIVE;");

            // The lock holder's own change, never committed: it must not show up afterwards.
            await ExecuteAsync(holder, "UPDATE webhook_endpoints SET description = 'from the lock holder';");

            var (patch, patchTime) = await TimedAsync(() => v1.PatchAsync($"/v1/webhooks/{id}", PatchBody));
            using (patch)
            {
                await ApiAssert.Envelope(patch, HttpStatusCode.ServiceUnavailable, ApiError.ServiceUnavailable.Code, ApiError.ServiceUnavailable.Message);
                ApiHelpers.RetryAfterSeconds(patch);
                Assert.That(patchTime, Is.LessThan(FailFast), "PATCH failed fast");
            }

            var (post, postTime) = await TimedAsync(() => v1.PostJsonAsync("/v1/webhooks", ApiHelpers.CreateBody));
            using (post)
            {
                await ApiAssert.Envelope(post, HttpStatusCode.ServiceUnavailable, ApiError.ServiceUnavailable.Code, ApiError.ServiceUnavailable.Message);
                ApiHelpers.RetryAfterSeconds(post);
                Assert.That(postTime, Is.LessThan(FailFast), "POST failed fast");
            }

            var (clientPatch, clientTime) = await TimedAsync(() => ClientsApi.PatchAsync(http, issued, ClientsApi.UrlBody(ClientUrlDuringOutage)));
            using (clientPatch)
            {
                await ClientsAssert.ProblemAsync(clientPatch, ApiHelpers.UnavailableProblem);
                ApiHelpers.RetryAfterSeconds(clientPatch);
                Assert.That(clientTime, Is.LessThan(FailFast), "PATCH /clients/webhook-url failed fast");
            }

            // In WAL mode an exclusive transaction blocks writers only: readers still see the last
            // committed state (without the holder's uncommitted change), and the database answers.
            using (var read = await v1.GetAsync($"/v1/webhooks/{id}"))
            {
                Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), "reads go on while a writer holds the lock");
                Assert.That(JsonElement.DeepEquals(await Json.ReadAsync(read), before), Is.True, "the read shows the committed state");
            }

            using (var clientRead = await ClientsApi.GetAsync(http, issued))
            {
                await ClientsAssert.ClientAsync(clientRead, issued, ClientUrl);
            }

            var (ready, readyTime) = await TimedAsync(() => v1.GetAsync("/healthz/ready"));
            using (ready)
            {
                Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the readiness check finds that the database cannot take a write");
                Assert.That(await ready.Content.ReadAsStringAsync(), Is.EqualTo("Unhealthy"));
                Assert.That(readyTime, Is.LessThan(FailFast));
            }

            await ExecuteAsync(holder, "ROLLBACK;");
        }

        // Recovery without restart: the same PATCH now succeeds.
        using (var retry = await v1.PatchAsync($"/v1/webhooks/{id}", PatchBody))
        {
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK), await retry.Content.ReadAsStringAsync());
        }

        var after = await ApiHelpers.GetEndpointAsync(v1, id);
        Assert.Multiple(() =>
        {
            Assert.That(after.GetProperty("description").GetString(), Is.EqualTo("after the outage"), "the successful PATCH is stored");
            Assert.That(after.GetProperty("active").GetBoolean(), Is.False);
            foreach (var field in new[] { "id", "org_id", "url", "events", "api_version", "created_at", "deleted_at" })
            {
                Assert.That(JsonElement.DeepEquals(after.GetProperty(field), before.GetProperty(field)), Is.True, $"{field} unchanged");
            }
        });
        Assert.That(await StoredData.EndpointsAsync(factory.Services), Is.EqualTo(endpointsBefore), "the refused POST created nothing");
        await ClientsAssert.WebhookUrlAsync(http, issued, ClientUrl);
        Assert.That(await ClientsApi.StoredWebhookUrlAsync(factory, issued.ClientId), Is.EqualTo(ClientUrl), "the refused client PATCH wrote nothing");

        using var healthy = await v1.GetAsync("/healthz/ready");
        Assert.That(healthy.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await healthy.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"));
    }

    [Test]
    public async Task Ready_is_unhealthy_while_another_connection_holds_the_write_lock_and_healthy_once_it_is_released()
    {
        await using var factory = new ApiFactory(new Dictionary<string, string?> { ["Database:ReadyWriteTimeoutSeconds"] = "1" });
        using var anonymous = factory.CreateClient((string?)null);
        await AssertReadyAsync(anonymous, healthy: true, "before");

        await using var holder = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False");
        await holder.OpenAsync();
        await ExecuteAsync(holder, "BEGIN IMMEDIATE;");
        await AssertReadyAsync(anonymous, healthy: false, "the database cannot take a write");

        await ExecuteAsync(holder, "ROLLBACK;");
        await AssertReadyAsync(anonymous, healthy: true, "the write lock is released");
    }

    [Test]
    public async Task Unreachable_database_is_503_everywhere_and_the_service_recovers_when_it_returns()
    {
        var folder = Path.Combine(Path.GetTempPath(), "webhooks-api-tests", "unreachable-" + Guid.NewGuid().ToString("N"));
        var moved = folder + ".moved";
        Directory.CreateDirectory(folder);
        var database = Path.Combine(folder, "webhooks.db");
        try
        {
            await using var factory = new ApiFactory(new Dictionary<string, string?> { ["ConnectionStrings:Webhooks"] = $"Data Source={database}" });
            var org = await factory.CreateOrganizationAsync();
            using var v1 = factory.CreateClient(org.Key);
            using var http = ClientsApi.CreateHttpClient(factory);
            var id = await ApiHelpers.CreateEndpointAsync(v1);
            var before = await ApiHelpers.GetEndpointAsync(v1, id);
            var issued = await ClientsApi.CreateClientAsync(factory, "cust-gone");
            Assert.That(File.Exists(database), Is.True, "the service created and migrated its database in the folder");

            // Take the database away: close pooled connections (they would keep the old file open),
            // move the folder aside and put a regular file where it was, so SQLite cannot open it.
            SqliteConnection.ClearAllPools();
            Directory.Move(folder, moved);
            await File.WriteAllTextAsync(folder, "not a directory");

            await AssertUnavailableAsync(() => v1.GetAsync($"/v1/webhooks/{id}"), surface: "v1");
            await AssertUnavailableAsync(() => v1.PatchAsync($"/v1/webhooks/{id}", PatchBody), surface: "v1");
            await AssertUnavailableAsync(() => v1.PostJsonAsync("/v1/webhooks", ApiHelpers.CreateBody), surface: "v1");
            await AssertUnavailableAsync(() => v1.GetAsync("/v1/event-types"), surface: "v1");
            await AssertUnavailableAsync(() => ClientsApi.GetAsync(http, issued), surface: "clients");
            await AssertUnavailableAsync(() => ClientsApi.PatchAsync(http, issued, ClientsApi.UrlBody(ClientUrlDuringOutage)), surface: "clients");

            await AssertReadyAsync(v1, healthy: false, "readiness reports the unreachable database");

            // Bring it back: no restart, no configuration change.
            File.Delete(folder);
            Directory.Move(moved, folder);

            await AssertReadyAsync(v1, healthy: true, "ready again");

            var after = await ApiHelpers.GetEndpointAsync(v1, id);
            Assert.That(JsonElement.DeepEquals(after, before), Is.True, "nothing of the refused requests was written: " + after.GetRawText());
            await ClientsAssert.WebhookUrlAsync(http, issued, string.Empty);

            using (var patch = await v1.PatchAsync($"/v1/webhooks/{id}", PatchBody))
            {
                Assert.That(patch.StatusCode, Is.EqualTo(HttpStatusCode.OK), await patch.Content.ReadAsStringAsync());
            }

            Assert.That((await ApiHelpers.GetEndpointAsync(v1, id)).GetProperty("description").GetString(), Is.EqualTo("after the outage"));
            using (var clientPatch = await ClientsApi.PatchAsync(http, issued, ClientsApi.UrlBody(ClientUrl)))
            {
                await ClientsAssert.ClientAsync(clientPatch, issued, ClientUrl);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (File.Exists(folder))
            {
                File.Delete(folder);
            }

            foreach (var path in new[] { folder, moved })
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
            }
        }
    }

    /// <summary><c>/healthz/ready</c> answers 200 Healthy or 503 Unhealthy; while unready, <c>/healthz/live</c> still answers 200.</summary>
    private static async Task AssertReadyAsync(HttpClient client, bool healthy, string because)
    {
        using (var ready = await client.GetAsync("/healthz/ready"))
        {
            Assert.That(ready.StatusCode, Is.EqualTo(healthy ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable), because);
            Assert.That(await ready.Content.ReadAsStringAsync(), Is.EqualTo(healthy ? "Healthy" : "Unhealthy"), because);
            ApiAssert.RequestId(ready);
        }

        if (!healthy)
        {
            using var live = await client.GetAsync("/healthz/live");
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the process itself is alive");
        }
    }

    private static async Task AssertUnavailableAsync(Func<Task<HttpResponseMessage>> send, string surface)
    {
        var (response, elapsed) = await TimedAsync(send);
        using (response)
        {
            if (surface == "clients")
            {
                await ClientsAssert.ProblemAsync(response, ApiHelpers.UnavailableProblem);
            }
            else
            {
                await ApiAssert.Envelope(response, HttpStatusCode.ServiceUnavailable, ApiError.ServiceUnavailable.Code, ApiError.ServiceUnavailable.Message);
            }

            ApiHelpers.RetryAfterSeconds(response);
            Assert.That(elapsed, Is.LessThan(FailFast), $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} failed fast");
        }
    }

    private static async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> TimedAsync(Func<Task<HttpResponseMessage>> send)
    {
        var watch = Stopwatch.StartNew();
        var response = await send();
        await response.Content.LoadIntoBufferAsync();
        TestContext.Out.WriteLine($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: {(int)response.StatusCode} in {watch.Elapsed.TotalMilliseconds:F0} ms");
        return (response, watch.Elapsed);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())?.ToString();
    }
}
