using System.Collections.Concurrent;
using Webhooks.Api.Tests.Admin;
using Webhooks.Api.Tests.Http;
using Webhooks.Domain.Organizations;

namespace Webhooks.Api.Tests.Startup;

/// <summary>
/// The write path across processes (docs/decisions/0010-one-write-path.md): the service takes POST
/// and PATCH writes while the real executable's admin commands, in other OS processes, write the same
/// SQLite file. No request meets a busy database (no 503, no other error), no admin command fails,
/// and every acknowledged write is in the database afterwards.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category(TestPostgres.SqliteOnly)]
public sealed class CrossProcessWriteTests
{
    /// <summary>Admin commands per loop; two loops run side by side, each command a process of its own.</summary>
    private const int CommandsPerLoop = 3;

    private const int ApiWriters = 4;

    /// <summary>Each API writer writes at least this often, and on until the admin commands are done.</summary>
    private const int MinimumWritesPerWriter = 5;

    [Test]
    public async Task Api_writes_beside_admin_commands_in_other_processes_all_succeed_and_all_are_stored()
    {
        using var adminProcess = new AdminProcess();
        await using var factory = new ApiFactory(new Dictionary<string, string?> { ["ConnectionStrings:Webhooks"] = adminProcess.ConnectionString });
        var org = await factory.CreateOrganizationAsync();
        using var v1 = factory.CreateClient(org.Key);
        var endpoints = new string[ApiWriters];
        for (var writer = 0; writer < ApiWriters; writer++)
        {
            endpoints[writer] = await ApiHelpers.CreateEndpointAsync(v1);
        }

        var adminDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var adminResults = new ConcurrentBag<AdminResult>();
        var admin = Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            for (var i = 0; i < CommandsPerLoop; i++)
            {
                adminResults.Add(await adminProcess.RunAsync("keys", "create", "--org", org.OrgId.ToString(), "--scopes", "webhooks:read"));
            }
        })).ContinueWith(done => adminDone.SetResult(), TaskScheduler.Default);

        var failures = new ConcurrentBag<string>();
        var created = new ConcurrentBag<string>();
        var lastDescriptions = new string[ApiWriters];
        var writers = Enumerable.Range(0, ApiWriters).Select(writer => Task.Run(async () =>
        {
            for (var n = 0; n < MinimumWritesPerWriter || !adminDone.Task.IsCompleted; n++)
            {
                var description = $"writer {writer} write {n}";
                using var patch = await v1.PatchAsync($"/v1/webhooks/{endpoints[writer]}", JsonSerializer.Serialize(new { description }));
                if (patch.StatusCode == HttpStatusCode.OK)
                {
                    lastDescriptions[writer] = description;
                }
                else
                {
                    failures.Add($"PATCH {(int)patch.StatusCode}: {await patch.Content.ReadAsStringAsync()}");
                }

                using var post = await v1.PostJsonAsync("/v1/webhooks", ApiHelpers.CreateBody);
                if (post.StatusCode == HttpStatusCode.Created)
                {
                    created.Add((await Json.ReadAsync(post)).GetProperty("id").GetString()!);
                }
                else
                {
                    failures.Add($"POST {(int)post.StatusCode}: {await post.Content.ReadAsStringAsync()}");
                }
            }
        })).ToList();

        await Task.WhenAll(writers.Append(admin));

        Assert.That(failures, Is.Empty, "every API write succeeded");
        Assert.That(adminResults, Has.Count.EqualTo(2 * CommandsPerLoop));
        var issuedKeys = adminResults.Select(result => result.SingleJsonObject()).ToList();
        TestContext.Out.WriteLine($"{created.Count} POSTs and as many PATCHes beside {issuedKeys.Count} admin commands");

        for (var writer = 0; writer < ApiWriters; writer++)
        {
            var stored = await ApiHelpers.GetEndpointAsync(v1, endpoints[writer]);
            Assert.That(stored.GetProperty("description").GetString(), Is.EqualTo(lastDescriptions[writer]), $"writer {writer}'s last acknowledged PATCH is stored");
        }

        foreach (var id in created)
        {
            await ApiHelpers.GetEndpointAsync(v1, id);
        }

        var storedKeys = (await StoredData.AllAsync<ApiKey>(factory.Services)).Select(key => key.Id.ToString()).ToList();
        Assert.That(storedKeys, Is.SupersetOf(issuedKeys.Select(key => key.GetProperty("id").GetString())), "every key an admin command printed is stored");
        foreach (var key in issuedKeys)
        {
            using var withAdminKey = factory.CreateClient(key.GetProperty("key").GetString()!);
            using var read = await withAdminKey.GetAsync($"/v1/webhooks/{endpoints[0]}");
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the admin command's key works against the service");
        }
    }
}
