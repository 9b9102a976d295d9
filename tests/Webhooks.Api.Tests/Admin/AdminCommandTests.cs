using System.Text.RegularExpressions;
using Webhooks.Domain.Organizations;

namespace Webhooks.Api.Tests.Admin;

/// <summary>
/// The admin commands of the real executable, run as a child process in Production on a SQLite file
/// of its own; the keys they issue are then used against the service on the same database.
/// </summary>
[NonParallelizable]
[Category(TestPostgres.SqliteOnly)]
public sealed partial class AdminCommandTests
{
    private AdminProcess _admin = null!;

    [SetUp]
    public void NewWorkingDirectory() => _admin = new AdminProcess();

    [TearDown]
    public void RemoveWorkingDirectory() => _admin.Dispose();

    [Test]
    public async Task Migrate_OnAFreshDirectory_PrintsMigratedAndCreatesAnEmptyDatabase()
    {
        var result = await _admin.RunAsync("migrate");

        var json = result.SingleJsonObject();
        Assert.That(result.StdOut.Trim(), Is.EqualTo("""{"migrated":true,"provider":"Sqlite"}"""), result.ToString());
        Assert.That(json.GetProperty("migrated").GetBoolean(), Is.True);
        Assert.That(File.Exists(_admin.DatabasePath), Is.True, "the database file is created where ConnectionStrings__Webhooks says");

        using var factory = ServiceOn(_admin);
        Assert.That(await StoredData.OrganizationsAsync(factory.Services), Is.Zero, "no demo data in Production");
        Assert.That(await StoredData.ApiKeysAsync(factory.Services), Is.Zero);
    }

    [Test]
    public async Task Migrate_Twice_SucceedsBothTimes()
    {
        Assert.That((await _admin.RunAsync("migrate")).ExitCode, Is.Zero);

        var again = await _admin.RunAsync("migrate");

        Assert.That(again.StdOut.Trim(), Is.EqualTo("""{"migrated":true,"provider":"Sqlite"}"""), again.ToString());
        Assert.That(again.ExitCode, Is.Zero);
    }

    [Test]
    public async Task Help_ExitsZeroAndListsTheCommands()
    {
        var result = await _admin.RunAsync("--help");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.StdOut, Does.Match(@"(?m)^\s+orgs\s"));
        Assert.That(result.StdOut, Does.Match(@"(?m)^\s+keys\s"));
        Assert.That(result.StdOut, Does.Match(@"(?m)^\s+migrate\s"));
        Assert.That(File.Exists(_admin.DatabasePath), Is.False, "help touches no database");
    }

    [TestCase("orgs", "create")]
    [TestCase("keys", "create", "revoke")]
    public async Task SubcommandHelp_ListsItsCommands(string command, params string[] subcommands)
    {
        var result = await _admin.RunAsync(command, "--help");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        foreach (var subcommand in subcommands)
        {
            Assert.That(result.StdOut, Does.Match($@"(?m)^\s+{subcommand}\s"));
        }
    }

    [Test]
    public async Task OrgsCreate_PrintsOneJsonObjectWithTheNewId()
    {
        var result = await _admin.RunAsync("orgs", "create", "--name", "Acme");

        var json = result.SingleJsonObject();
        Assert.That(json.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "id" }), result.StdOut);
        var id = WebhookResource.AssertUuidV7(json.GetProperty("id").GetString());

        using var factory = ServiceOn(_admin);
        var organizations = await StoredData.AllAsync<Organization>(factory.Services);
        Assert.That(organizations.Select(o => (o.Id, o.Name)), Is.EqualTo(new[] { (id, "Acme") }));
    }

    /// <summary>The publishing scopes are issued like the others; each allows only its own operations.</summary>
    [Test]
    public async Task KeysCreate_WithThePublishingScopes_GivesAKeyThatPublishesButManagesNoEndpoint()
    {
        var org = (await _admin.RunAsync("orgs", "create", "--name", "Acme")).SingleJsonObject().GetProperty("id").GetString()!;

        var created = await _admin.RunAsync("keys", "create", "--org", org, "--scopes", "events:write,clients:events:write");

        var key = created.SingleJsonObject().GetProperty("key").GetString()!;
        using var factory = ServiceOn(_admin);
        Assert.That((await StoredData.AllAsync<ApiKey>(factory.Services)).Single().Scopes, Is.EquivalentTo(new[] { "events:write", "clients:events:write" }));
        using var client = factory.CreateClient(key);
        using var published = await client.PostJsonAsync("/v1/events", """{"type":"wallet.balance_low","data":{"wallet_id":"w_1"}}""");
        using var list = await client.GetAsync("/v1/webhooks");
        using var create = await client.PostJsonAsync("/v1/webhooks", WebhookResource.MinimalBody);
        Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await published.Content.ReadAsStringAsync());
        await ApiAssert.Forbidden(list);
        await ApiAssert.Forbidden(create);
    }

    /// <summary>The whole operator journey: an organization, a key that works against the service, and its revocation.</summary>
    [Test]
    public async Task KeysCreateThenRevoke_TheKeyWorksAgainstTheServiceUntilRevoked()
    {
        var org = (await _admin.RunAsync("orgs", "create", "--name", "Acme")).SingleJsonObject().GetProperty("id").GetString()!;

        var created = await _admin.RunAsync("keys", "create", "--org", org, "--scopes", "webhooks:read,webhooks:write", "--name", "ci");

        var keyJson = created.SingleJsonObject();
        Assert.That(keyJson.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "id", "key" }), created.StdOut);
        var keyId = WebhookResource.AssertUuidV7(keyJson.GetProperty("id").GetString());
        var key = keyJson.GetProperty("key").GetString()!;
        Assert.That(key, Does.Match(KeyPattern()));
        Assert.That(created.StdErr, Does.Not.Contain(key), "the key is never logged");
        Assert.That(created.StdErr, Does.Not.Contain(key["am_live_".Length..]), "not even its random part");

        using var factory = ServiceOn(_admin);
        var stored = (await StoredData.AllAsync<ApiKey>(factory.Services)).Single();
        Assert.That(stored.Id, Is.EqualTo(keyId));
        Assert.That(stored.OrgId.ToString("D"), Is.EqualTo(org));
        Assert.That(stored.Name, Is.EqualTo("ci"));
        Assert.That(stored.Scopes, Is.EquivalentTo(new[] { "webhooks:read", "webhooks:write" }));
        Assert.That(stored.KeyHash, Does.Not.Contain(key).And.Length.EqualTo(64), "only a hash is stored");
        Assert.That(stored.RevokedAt, Is.Null);

        var client = factory.CreateClient(key);
        var endpoint = await WebhookResource.CreateAsync(client);
        Assert.That(endpoint.GetProperty("org_id").GetString(), Is.EqualTo(org));
        var path = $"/v1/webhooks/{endpoint.GetProperty("id").GetString()}";
        Assert.That((await client.GetAsync(path)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var before = DateTimeOffset.UtcNow;
        var revoked = await _admin.RunAsync("keys", "revoke", "--id", keyId.ToString());
        var after = DateTimeOffset.UtcNow;

        var revokedJson = revoked.SingleJsonObject();
        Assert.That(revokedJson.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "id", "revoked_at" }), revoked.StdOut);
        Assert.That(revokedJson.GetProperty("id").GetString(), Is.EqualTo(keyId.ToString("D")));
        var revokedAt = WebhookResource.AssertTimestamp(revokedJson.GetProperty("revoked_at").GetString());
        WebhookResource.AssertBetween(revokedAt, before, after);
        Assert.That(revoked.StdErr, Does.Not.Contain(key));

        await ApiAssert.Unauthorized(await client.GetAsync(path));
        await ApiAssert.Unauthorized(await client.PostJsonAsync("/v1/webhooks", WebhookResource.MinimalBody));
        await ApiAssert.Unauthorized(await client.PatchAsync(path, """{"active":false}"""));
    }

    [Test]
    public async Task KeysCreate_ReadOnlyWithoutAName_IssuesAKeyThatCanOnlyRead()
    {
        var org = (await _admin.RunAsync("orgs", "create", "--name", "Acme")).SingleJsonObject().GetProperty("id").GetString()!;
        var writer = (await _admin.RunAsync("keys", "create", "--org", org, "--scopes", "webhooks:write")).SingleJsonObject().GetProperty("key").GetString()!;

        var created = await _admin.RunAsync("keys", "create", "--org", org, "--scopes", "webhooks:read");

        var reader = created.SingleJsonObject().GetProperty("key").GetString()!;
        Assert.That(reader, Does.Match(KeyPattern()).And.Not.EqualTo(writer));
        using var factory = ServiceOn(_admin);
        var endpoint = await WebhookResource.CreateAsync(factory.CreateClient(writer));
        var path = $"/v1/webhooks/{endpoint.GetProperty("id").GetString()}";
        var read = await factory.CreateClient(reader).GetAsync(path);
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(JsonElement.DeepEquals(await Json.ReadAsync(read), endpoint), Is.True);
        await ApiAssert.Forbidden(await factory.CreateClient(reader).PostJsonAsync("/v1/webhooks", WebhookResource.MinimalBody));
    }

    [Test]
    public async Task KeysCreate_ForAnUnknownOrganization_FailsWithAMessageOnStandardErrorOnly()
    {
        var result = await _admin.RunAsync("keys", "create", "--org", Guid.CreateVersion7().ToString(), "--scopes", "webhooks:read", "--name", "ci");

        AssertFailure(result);
        Assert.That(result.StdErr, Does.Contain("no organization has this id"));
        Assert.That(result.StdOut, Is.Empty);
        Assert.That(result.StdErr, Does.Not.Match("am_live_[A-Za-z0-9_-]{32,}"), "no key issued, none shown");
    }

    [TestCase("webhooks:admin")]
    [TestCase("webhooks:read,operator")]
    [TestCase("WEBHOOKS:READ")]
    public async Task KeysCreate_WithAnUnknownScope_Fails(string scopes)
    {
        var org = (await _admin.RunAsync("orgs", "create", "--name", "Acme")).SingleJsonObject().GetProperty("id").GetString()!;

        var result = await _admin.RunAsync("keys", "create", "--org", org, "--scopes", scopes, "--name", "ci");

        AssertFailure(result);
        Assert.That(result.StdOut, Is.Empty);
        Assert.That(result.StdErr, Does.Contain("unknown scope"));
        using var factory = ServiceOn(_admin);
        Assert.That(await StoredData.ApiKeysAsync(factory.Services), Is.Zero, "no key stored");
    }

    [Test]
    public async Task OrgsCreate_WithoutName_FailsAndCreatesNothing()
    {
        var result = await _admin.RunAsync("orgs", "create");

        AssertFailure(result);
        Assert.That(result.StdErr, Does.Contain("--name"));
        AssertNoJsonObject(result.StdOut);
        Assert.That(File.Exists(_admin.DatabasePath), Is.False, "nothing was done");
    }

    /// <summary>
    /// Arguments the commands refuse: each fails with a message on standard error (naming one of
    /// <c>mentions</c>, when given) and prints no result (nothing at all, where the case says so). <c>{org}</c> stands for a new organization's id,
    /// <c>{new-id}</c> for an id nothing has.
    /// </summary>
    [TestCase(new[] { "keys", "create", "--org", "{org}", "--scopes", "," }, new[] { "scopes" }, true, TestName = "KeysCreate_WithNoScope_Fails(\",\")")]
    [TestCase(new[] { "keys", "create", "--org", "{org}", "--scopes", " " }, new[] { "scopes" }, true, TestName = "KeysCreate_WithNoScope_Fails(\" \")")]
    [TestCase(new[] { "orgs", "create", "--name", "" }, new[] { "name" }, true, TestName = "OrgsCreate_WithABlankName_Fails(\"\")")]
    [TestCase(new[] { "orgs", "create", "--name", "   " }, new[] { "name" }, true, TestName = "OrgsCreate_WithABlankName_Fails(\"   \")")]
    [TestCase(new[] { "keys", "create", "--org", "acme", "--scopes", "webhooks:read" }, new[] { "acme", "--org" }, false, TestName = "KeysCreate_WithAnOrgThatIsNotAUuid_Fails")]
    [TestCase(new[] { "keys", "revoke", "--id", "{new-id}" }, new[] { "not found" }, true, TestName = "KeysRevoke_UnknownKey_FailsWithNotFound")]
    [TestCase(new[] { "orgs", "delete", "--name", "Acme" }, new string[0], false, TestName = "UnknownSubcommand_Fails")]
    public async Task Command_WithArgumentsItRefuses_FailsWithAMessageAndNoResult(string[] args, string[] mentions, bool nothingOnStandardOutput)
    {
        var org = args.Contains("{org}") ? (await _admin.RunAsync("orgs", "create", "--name", "Acme")).SingleJsonObject().GetProperty("id").GetString()! : null;
        var sent = args.Select(a => a switch { "{org}" => org!, "{new-id}" => Guid.CreateVersion7().ToString(), _ => a }).ToArray();

        var result = await _admin.RunAsync(sent);

        AssertFailure(result);
        AssertNoJsonObject(result.StdOut);
        if (nothingOnStandardOutput)
        {
            Assert.That(result.StdOut, Is.Empty);
        }

        if (mentions.Length > 0)
        {
            Assert.That(mentions.Any(m => result.StdErr.Contains(m, StringComparison.Ordinal)), Is.True, $"standard error names one of {string.Join(", ", mentions)}: {result.StdErr}");
        }
    }

    private static ApiFactory ServiceOn(AdminProcess admin) =>
        new(new Dictionary<string, string?> { ["ConnectionStrings:Webhooks"] = admin.ConnectionString });

    private static void AssertFailure(AdminResult result)
    {
        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.StdErr.Trim(), Is.Not.Empty, "a message on standard error");
    }

    private static void AssertNoJsonObject(string stdout)
    {
        foreach (var line in stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.That(line, Does.Not.StartWith("{"), $"no JSON result on standard output: {stdout}");
        }
    }

    [GeneratedRegex("^am_live_[A-Za-z0-9_-]{43}$")]
    private static partial Regex KeyPattern();
}
