using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Webhooks.Api.Tests.Webhooks;

/// <summary>
/// Signing secrets: <c>whsec_</c> + base64 of 32 random bytes, shown once by POST and by
/// <c>POST /v1/webhooks/{id}/secret/rotate</c>; encrypted at rest with Data Protection (keys kept by
/// the service, outside the source tree), never logged, never in GET or list responses.
/// </summary>
[TestFixture]
public sealed partial class SecretTests : WebhooksFixture
{
    private readonly CapturedLogs _logs = new();
    private readonly ControllableTimeProvider _time = new();

    protected override ApiFactory CreateFactory() => new()
    {
        TestServices = services =>
        {
            _logs.AddTo(services);
            services.AddSingleton<TimeProvider>(_time);
        },
    };

    [Test]
    public async Task Post_returns_a_fresh_secret_of_32_random_bytes_once()
    {
        var secrets = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await Client.PostJsonAsync("/v1/webhooks", WebhookResource.MinimalBody);
            var text = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
            var body = await Json.ReadAsync(response);
            WebhookResource.AssertCreatedShape(body);
            secrets.Add(WebhookResource.AssertSecret(body.GetProperty("secret").GetString()));
        }

        Assert.That(secrets, Is.Unique, "every endpoint has its own secret");
        var bytes = secrets.SelectMany(s => Convert.FromBase64String(s["whsec_".Length..])).ToArray();
        Assert.That(bytes.Distinct().Count(), Is.GreaterThan(200), "640 random bytes use most byte values");
    }

    [Test]
    public async Task Get_patch_list_and_delete_never_show_the_secret()
    {
        var created = await CreateAsync();
        var texts = new List<string>();
        using (var get = await Client.GetAsync($"/v1/webhooks/{created.Id}"))
        {
            await AssertResourceWithETagAsync(get);
            texts.Add(await get.Content.ReadAsStringAsync());
        }

        using (var patch = await PatchAsync(created.Id, """{"description":"Still secret"}"""))
        {
            await AssertResourceWithETagAsync(patch);
            texts.Add(await patch.Content.ReadAsStringAsync());
        }

        using (var list = await Client.GetAsync("/v1/webhooks?limit=100"))
        {
            var page = await AssertPageAsync(list);
            Assert.That(page.Ids, Does.Contain(created.Id));
            texts.Add(await list.Content.ReadAsStringAsync());
        }

        using (var delete = await DeleteAsync(created.Id))
        {
            await AssertResourceWithETagAsync(delete);
            texts.Add(await delete.Content.ReadAsStringAsync());
        }

        foreach (var text in texts)
        {
            Assert.That(text, Does.Not.Contain("\"secret\"").And.Not.Contain("whsec_").And.Not.Contain(created.Secret["whsec_".Length..]), text);
        }
    }

    [Test]
    public async Task The_stored_secret_is_encrypted_and_contains_no_form_of_the_plain_secret()
    {
        var created = await CreateAsync();
        var first = await ReadRowAsync(Factory, created.Id);
        using var response = await RotateAsync(created.Id);
        var rotated = WebhookResource.SplitSecret(await Json.ReadAsync(response)).Secret;
        var second = await ReadRowAsync(Factory, created.Id);

        foreach (var (stored, secret) in new[] { (first!.SigningSecret, created.Secret), (second!.SigningSecret, rotated) })
        {
            Assert.That(stored, Is.Not.Empty);
            Assert.That(stored, Is.Not.EqualTo(secret));
            foreach (var form in FormsOf(secret))
            {
                Assert.That(stored, Does.Not.Contain(form).IgnoreCase, $"the stored value holds '{form}'");
            }
        }

        Assert.That(second.SigningSecret, Is.Not.EqualTo(first.SigningSecret), "rotation replaces the stored secret");
    }

    [Test]
    [Category(TestPostgres.SqliteOnly)]
    public async Task No_file_of_the_database_holds_a_plain_secret_not_even_an_idempotent_response()
    {
        var created = await CreateAsync();
        using var retried = await SendWithKeyAsync("secret-at-rest-" + Guid.NewGuid());
        var idempotent = WebhookResource.SplitSecret(await Json.ReadAsync(retried)).Secret;
        using var rotateResponse = await RotateAsync(created.Id);
        var rotated = WebhookResource.SplitSecret(await Json.ReadAsync(rotateResponse)).Secret;

        var files = new[] { string.Empty, "-wal", "-shm", "-journal" }
            .Select(suffix => Factory.DatabasePath + suffix)
            .Where(File.Exists)
            .ToList();
        Assert.That(files, Is.Not.Empty);
        var bytes = files.Select(ReadShared).ToList();
        foreach (var secret in new[] { created.Secret, idempotent, rotated })
        {
            foreach (var form in FormsOf(secret))
            {
                var needle = Encoding.UTF8.GetBytes(form);
                Assert.That(bytes.Any(b => b.AsSpan().IndexOf(needle) >= 0), Is.False, $"a database file holds '{form}'");
            }
        }
    }

    [Test]
    public async Task Secrets_are_never_logged()
    {
        var before = _logs.Entries.Count;
        var created = await CreateAsync();
        var secrets = new List<string> { created.Secret };
        var key = "logged-" + Guid.NewGuid();
        using (var first = await SendWithKeyAsync(key))
        using (var replay = await SendWithKeyAsync(key))
        {
            secrets.Add(WebhookResource.SplitSecret(await Json.ReadAsync(first)).Secret);
            Assert.That(WebhookResource.SplitSecret(await Json.ReadAsync(replay)).Secret, Is.EqualTo(secrets[^1]));
        }

        using (var rotate = await RotateAsync(created.Id))
        {
            secrets.Add(WebhookResource.SplitSecret(await Json.ReadAsync(rotate)).Secret);
        }

        using (var refused = await RotateAsync(created.Id, created.ETag))
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        }

        var entries = _logs.Entries.Skip(before).ToList();
        Assert.That(entries, Is.Not.Empty, "the capture works (EF Core logs its commands at Information)");
        foreach (var secret in secrets)
        {
            foreach (var form in FormsOf(secret))
            {
                var leaks = entries.Where(entry => entry.AllText.Contains(form, StringComparison.OrdinalIgnoreCase)).ToList();
                Assert.That(leaks, Is.Empty, $"'{form}' was logged:\n{string.Join("\n", leaks)}");
            }
        }
    }

    [Test]
    public async Task The_key_ring_is_where_the_service_is_told_to_keep_it()
    {
        Assert.That(Path.GetFullPath(Factory.KeysPath), Does.StartWith(Path.GetFullPath(Path.GetTempPath())), "this fixture's keys are in a temporary directory");
        await CreateAsync();

        var keys = Directory.Exists(Factory.KeysPath) ? Directory.GetFiles(Factory.KeysPath, "key-*.xml") : [];

        Assert.That(keys, Is.Not.Empty, "Data Protection keeps its key ring in DataProtection:KeysPath");
        Assert.That(await File.ReadAllTextAsync(keys[0]), Does.Contain("<key "));
    }

    [Test]
    public async Task By_default_the_key_ring_is_under_the_content_root_and_outside_version_control()
    {
        await using var factory = new ApiFactory(new Dictionary<string, string?> { ["DataProtection:KeysPath"] = null });
        var org = await factory.CreateOrganizationAsync();
        using var client = factory.CreateClient(org.Key);
        await WebhookResource.CreateWithSecretAsync(client);
        var contentRoot = factory.Services.GetRequiredService<IHostEnvironment>().ContentRootPath;
        var keys = Path.Combine(contentRoot, "data", "keys");

        Assert.That(Directory.GetFiles(keys, "key-*.xml"), Is.Not.Empty, $"the default key ring is {keys}");
        var repository = FindRepositoryRoot(contentRoot);
        if (repository is null)
        {
            Assert.Inconclusive($"{contentRoot} is not inside a git work tree");
            return;
        }

        var ignored = await GitAsync(repository, "check-ignore", "-q", keys + "/key-check.xml");
        Assert.That(ignored.ExitCode, Is.Zero, $"{keys} must be ignored by git, so that keys never enter the source tree");
        // Test data may carry the throwaway key ring of an old release's database (Fixtures/UpgradeFromEfCore6).
        var tracked = await GitAsync(repository, "ls-files", "--", "*key-*.xml", "*.keys", "**/keys/**", ":(exclude,glob)tests/*/Fixtures/**");
        Assert.That(tracked.Output.Trim(), Is.Empty, "no key file is in version control");
    }

    [Test]
    [Category(TestPostgres.SqliteOnly)]
    public async Task The_key_ring_persists_so_replays_and_cursors_survive_a_restart()
    {
        var folder = Path.Combine(Path.GetTempPath(), "webhooks-api-tests", "restart-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Webhooks"] = $"Data Source={Path.Combine(folder, "webhooks.db")}",
            ["DataProtection:KeysPath"] = Path.Combine(folder, "keys"),
        };
        try
        {
            var key = "restart-" + Guid.NewGuid();
            string firstText;
            string cursor;
            TestOrganization org;
            await using (var before = new ApiFactory(settings))
            {
                org = await before.CreateOrganizationAsync();
                using var client = before.CreateClient(org.Key);
                await WebhookResource.CreateAsync(client);
                using var first = await PostWithKeyAsync(client, key);
                Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
                firstText = await first.Content.ReadAsStringAsync();
                using var page = await client.GetAsync("/v1/webhooks?limit=1");
                cursor = (await AssertPageAsync(page)).NextCursor!;
            }

            await using var after = new ApiFactory(settings);
            using var restarted = after.CreateClient(org.Key);
            using var replay = await PostWithKeyAsync(restarted, key);
            Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Created), await replay.Content.ReadAsStringAsync());
            Assert.That(await replay.Content.ReadAsStringAsync(), Is.EqualTo(firstText), "the stored response (with its secret) can still be decrypted");
            using var next = await restarted.GetAsync("/v1/webhooks?limit=1&cursor=" + Uri.EscapeDataString(cursor));
            Assert.That((await AssertPageAsync(next)).Data, Has.Count.EqualTo(1), "a cursor issued before the restart still works");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The secret and the forms its 32 bytes could be written in.</summary>
    private static IEnumerable<string> FormsOf(string secret)
    {
        var base64 = secret["whsec_".Length..];
        var bytes = Convert.FromBase64String(base64);
        yield return secret;
        yield return base64.TrimEnd('=');
        yield return base64.TrimEnd('=').Replace('+', '-').Replace('/', '_');
        yield return Convert.ToHexString(bytes);
    }

    private Task<HttpResponseMessage> SendWithKeyAsync(string idempotencyKey) => PostWithKeyAsync(Client, idempotencyKey);

    private static Task<HttpResponseMessage> PostWithKeyAsync(HttpClient client, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks") { Content = Json.Body(WebhookResource.MinimalBody) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return client.SendAsync(request);
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string? FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, ".git")) || File.Exists(Path.Combine(directory.FullName, ".git")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    private static async Task<(int ExitCode, string Output)> GitAsync(string repository, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(repository);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Inconclusive("git is not available");
            throw;
        }
    }
}
