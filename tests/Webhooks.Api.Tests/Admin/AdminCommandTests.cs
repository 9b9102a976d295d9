using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Webhooks.Api.Tests.Helpers;
using Webhooks.Api.Tests.Support;
using Webhooks.Domain.Organizations;

namespace Webhooks.Api.Tests.Admin;

/// <summary>
/// The admin commands of the real executable, run as a child process in Production on a SQLite file
/// of its own; the keys they issue are then used against the service on the same database.
/// </summary>
[NonParallelizable]
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

    [TestCase(",")]
    [TestCase(" ")]
    public async Task KeysCreate_WithNoScope_Fails(string scopes)
    {
        var org = (await _admin.RunAsync("orgs", "create", "--name", "Acme")).SingleJsonObject().GetProperty("id").GetString()!;

        var result = await _admin.RunAsync("keys", "create", "--org", org, "--scopes", scopes);

        AssertFailure(result);
        Assert.That(result.StdOut, Is.Empty);
        Assert.That(result.StdErr, Does.Contain("scopes"));
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

    [TestCase("")]
    [TestCase("   ")]
    public async Task OrgsCreate_WithABlankName_Fails(string name)
    {
        var result = await _admin.RunAsync("orgs", "create", "--name", name);

        AssertFailure(result);
        Assert.That(result.StdOut, Is.Empty);
        Assert.That(result.StdErr, Does.Contain("name"));
    }

    [Test]
    public async Task KeysCreate_WithAnOrgThatIsNotAUuid_Fails()
    {
        var result = await _admin.RunAsync("keys", "create", "--org", "acme", "--scopes", "webhooks:read");

        AssertFailure(result);
        AssertNoJsonObject(result.StdOut);
        Assert.That(result.StdErr, Does.Contain("acme").Or.Contain("--org"));
    }

    [Test]
    public async Task KeysRevoke_UnknownKey_FailsWithNotFound()
    {
        var result = await _admin.RunAsync("keys", "revoke", "--id", Guid.CreateVersion7().ToString());

        AssertFailure(result);
        Assert.That(result.StdOut, Is.Empty);
        Assert.That(result.StdErr, Does.Contain("not found"));
    }

    [Test]
    public async Task UnknownSubcommand_Fails()
    {
        var result = await _admin.RunAsync("orgs", "delete", "--name", "Acme");

        AssertFailure(result);
        AssertNoJsonObject(result.StdOut);
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
