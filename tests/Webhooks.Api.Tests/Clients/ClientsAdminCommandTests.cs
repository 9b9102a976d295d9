using System.Globalization;
using System.Text.RegularExpressions;
using Webhooks.Api.Tests.Admin;

namespace Webhooks.Api.Tests.Clients;

/// <summary>
/// <c>clients create</c> and <c>clients suspend</c>, run as a child process of the real executable
/// (in Production, on a SQLite file of their own), and the credentials they issue used over HTTP.
/// </summary>
[NonParallelizable]
[Category(TestPostgres.SqliteOnly)]
public sealed partial class ClientsAdminCommandTests
{
    private AdminProcess _admin = null!;

    [SetUp]
    public void CreateWorkingDirectory() => _admin = new AdminProcess();

    [TearDown]
    public void RemoveWorkingDirectory() => _admin.Dispose();

    [Test]
    public async Task ClientsCreate_PrintsTheCredentialsOnce_AndTheyWorkOverHttp()
    {
        var result = await _admin.RunAsync("clients", "create", "--customer-id", "acme");

        var json = result.SingleJsonObject();
        Assert.That(json.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "client_id", "client_secret", "webhook_secret" }), result.StdOut);
        var clientId = json.GetProperty("client_id").GetString()!;
        var secret = json.GetProperty("client_secret").GetString()!;
        Assert.That(clientId, Does.Match("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"), "a version-7 UUID");
        Assert.That(secret, Does.Match(SecretPattern()));
        var webhookSecret = json.GetProperty("webhook_secret").GetString()!;
        Assert.That(webhookSecret, Does.Match("^whsec_[A-Za-z0-9+/]{43}=$"), "whsec_ and the base64 of 32 bytes");
        Assert.That(result.StdErr, Does.Not.Contain(secret).And.Not.Contain(secret["cs_live_".Length..]), "the secret is never logged");
        Assert.That(result.StdErr, Does.Not.Contain(webhookSecret["whsec_".Length..]), "the webhook secret is never logged");

        await using var factory = ServiceOn(_admin);
        using var http = ClientsApi.CreateHttpClient(factory);
        var client = new IssuedClient(Guid.ParseExact(clientId, "D"), "acme", secret);
        using var read = await ClientsApi.GetAsync(http, client);
        await ClientsAssert.ClientAsync(read, client, string.Empty);
        using var patched = await ClientsApi.PatchAsync(http, client, ClientsApi.UrlBody("https://acme.example.com/hooks"));
        await ClientsAssert.ClientAsync(patched, client, "https://acme.example.com/hooks");

        using var wrong = await ClientsApi.SendAsync(http, HttpMethod.Get, ClientsApi.Basic(clientId, secret + "x"));
        await ClientsAssert.ProblemAsync(wrong, ProblemKind.Unauthorized);
    }

    [Test]
    public async Task ClientsCreate_TwiceForOneCustomer_IssuesDifferentCredentials()
    {
        var first = (await _admin.RunAsync("clients", "create", "--customer-id", "acme")).SingleJsonObject();
        var second = (await _admin.RunAsync("clients", "create", "--customer-id", "acme")).SingleJsonObject();

        Assert.That(second.GetProperty("client_id").GetString(), Is.Not.EqualTo(first.GetProperty("client_id").GetString()));
        Assert.That(second.GetProperty("client_secret").GetString(), Is.Not.EqualTo(first.GetProperty("client_secret").GetString()));
    }

    [Test]
    public async Task ClientsSuspend_PrintsTheSuspension_AndTheClientThenGets403()
    {
        var created = (await _admin.RunAsync("clients", "create", "--customer-id", "acme")).SingleJsonObject();
        var client = new IssuedClient(
            Guid.ParseExact(created.GetProperty("client_id").GetString()!, "D"), "acme", created.GetProperty("client_secret").GetString()!);

        await using var factory = ServiceOn(_admin);
        using var http = ClientsApi.CreateHttpClient(factory);
        using var patched = await ClientsApi.PatchAsync(http, client, ClientsApi.UrlBody("https://acme.example.com/hooks"));
        await ClientsAssert.ClientAsync(patched, client, "https://acme.example.com/hooks");

        var before = DateTimeOffset.UtcNow;
        var result = await _admin.RunAsync("clients", "suspend", "--id", client.Id);
        var after = DateTimeOffset.UtcNow;

        var json = result.SingleJsonObject();
        Assert.That(json.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "client_id", "suspended_at" }), result.StdOut);
        Assert.That(json.GetProperty("client_id").GetString(), Is.EqualTo(client.Id));
        var suspendedAt = json.GetProperty("suspended_at").GetString();
        Assert.That(suspendedAt, Does.Match(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"), "RFC 3339 UTC with Z");
        var instant = DateTimeOffset.ParseExact(suspendedAt!, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.That(instant, Is.GreaterThanOrEqualTo(before.AddSeconds(-1)).And.LessThanOrEqualTo(after.AddSeconds(1)));

        using var read = await ClientsApi.GetAsync(http, client);
        await ClientsAssert.ProblemAsync(read, ProblemKind.Forbidden);
        using var patch = await ClientsApi.PatchAsync(http, client, ClientsApi.UrlBody(string.Empty));
        await ClientsAssert.ProblemAsync(patch, ProblemKind.Forbidden);
        Assert.That(await ClientsApi.StoredWebhookUrlAsync(factory, client.ClientId), Is.EqualTo("https://acme.example.com/hooks"));

        var again = (await _admin.RunAsync("clients", "suspend", "--id", client.Id)).SingleJsonObject();
        Assert.That(again.GetProperty("suspended_at").GetString(), Is.EqualTo(suspendedAt), "suspending twice keeps the first time");
    }

    [Test]
    public async Task ClientsSuspend_UnknownId_FailsWithNotFound()
    {
        var result = await _admin.RunAsync("clients", "suspend", "--id", Guid.CreateVersion7().ToString());

        Assert.That(result.ExitCode, Is.EqualTo(3), result.ToString());
        Assert.That(result.StdErr, Does.Contain("not found"), result.ToString());
        Assert.That(result.StdOut, Is.Empty);
    }

    [Test]
    public async Task ClientsSuspend_IdThatIsNotAUuid_Fails()
    {
        var result = await _admin.RunAsync("clients", "suspend", "--id", "acme");

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.StdErr.Trim(), Is.Not.Empty, result.ToString());
        AssertNoJsonObject(result);
    }

    [Test]
    public async Task ClientsCreate_WithoutCustomerId_FailsAndCreatesNothing()
    {
        var result = await _admin.RunAsync("clients", "create");

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.StdErr, Does.Contain("--customer-id"), result.ToString());
        AssertNoJsonObject(result);
        Assert.That(result.StdOut, Does.Not.Match(SecretSearch()));
        Assert.That(File.Exists(_admin.DatabasePath), Is.False, "nothing was done");
    }

    /// <summary>
    /// docs/contract-notes.md, "Admin commands": exit code 2 for invalid input, the message on
    /// standard error, and standard output empty. A missing or unparsable option is invalid input.
    /// </summary>
    [TestCase("clients create")]
    [TestCase("clients suspend --id acme")]
    public async Task InvalidArguments_ExitWithInvalidInputAndAnEmptyStandardOutput(string arguments)
    {
        var result = await _admin.RunAsync(arguments.Split(' '));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.StdErr.Trim(), Is.Not.Empty, result.ToString());
            Assert.That(result.StdOut, Is.Empty, "standard output stays empty on failure");
            Assert.That(result.ExitCode, Is.EqualTo(2), "exit code 2: invalid input");
        }
    }

    [TestCase("")]
    [TestCase("   ")]
    public async Task ClientsCreate_WithABlankCustomerId_FailsAsInvalidInput(string customerId)
    {
        var result = await _admin.RunAsync("clients", "create", "--customer-id", customerId);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.StdErr, Does.Contain("customer_id"), result.ToString());
        Assert.That(result.StdOut, Is.Empty);
        Assert.That(result.StdErr, Does.Not.Match(SecretSearch()), "no secret issued, none shown");
    }

    private static ApiFactory ServiceOn(AdminProcess admin) =>
        new(new Dictionary<string, string?> { ["ConnectionStrings:Webhooks"] = admin.ConnectionString });

    private static void AssertNoJsonObject(AdminResult result)
    {
        foreach (var line in result.StdOut.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.That(line, Does.Not.StartWith("{"), $"no JSON result on standard output: {result}");
        }
    }

    [GeneratedRegex("^cs_live_[A-Za-z0-9_-]{43}$")]
    private static partial Regex SecretPattern();

    [GeneratedRegex("cs_live_[A-Za-z0-9_-]{20,}")]
    private static partial Regex SecretSearch();
}
