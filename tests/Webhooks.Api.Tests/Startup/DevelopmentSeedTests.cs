using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api.Admin.Listen;
using Webhooks.Api.Startup;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;

namespace Webhooks.Api.Tests.Startup;

/// <summary>
/// In Development, a new empty database gets a demo organization, API key and endpoint, printed once
/// with ready-to-paste <c>curl</c> lines; never in another environment, never on a used database.
/// </summary>
[NonParallelizable]
public sealed partial class DevelopmentSeedTests
{
    private const string BaseUrl = "http://localhost:5080";

    /// <summary>What appsettings.Development.json allows, for the tests that seed outside Development.</summary>
    private static readonly Dictionary<string, string?> LoopbackAllowed = new() { ["Webhooks:AllowedPrivateNetworks:0"] = "127.0.0.1/32" };

    [Test]
    public async Task Development_OnAnEmptyDatabase_SeedsTheDemoAtStart_AndOnlyOnce()
    {
        using var factory = new ApiFactory { EnvironmentName = "Development" };

        var services = factory.Services;

        var organizations = await StoredData.AllAsync<Organization>(services);
        Assert.That(organizations, Has.Count.EqualTo(1));
        var keys = await StoredData.AllAsync<ApiKey>(services);
        Assert.That(keys, Has.Count.EqualTo(1));
        Assert.That(keys[0].OrgId, Is.EqualTo(organizations[0].Id));
        Assert.That(keys[0].Scopes, Is.EquivalentTo(Scopes.ApiKeyScopes), "every scope, so that every printed line works");
        Assert.That(keys[0].RevokedAt, Is.Null);
        var endpoints = await StoredData.AllAsync<WebhookEndpoint>(services);
        Assert.That(endpoints, Has.Count.EqualTo(1));
        Assert.That(endpoints[0].OrgId, Is.EqualTo(organizations[0].Id));
        Assert.That(endpoints[0].Url.Value, Is.EqualTo(DevelopmentSeed.DemoEndpointUrl));
        Assert.That(endpoints[0].Description?.Value, Is.EqualTo("Demo endpoint"));
        Assert.That(endpoints[0].Events, Is.EqualTo(new[] { "wallet.balance_low", "wallet.balance_zero" }));
        Assert.That(endpoints[0].Active, Is.True);
        AssertDemoSecretWrittenForListen(factory);

        await using (var scope = services.CreateAsyncScope())
        {
            var again = await DevelopmentSeed.SeedIfEmptyAsync(scope.ServiceProvider, CancellationToken.None);
            Assert.That(again, Is.Null, "only an empty database is seeded");
        }

        Assert.That(await StoredData.OrganizationsAsync(services), Is.EqualTo(1));
        Assert.That(await StoredData.ApiKeysAsync(services), Is.EqualTo(1));
        Assert.That(await StoredData.EndpointsAsync(services), Is.EqualTo(1));
    }

    [TestCase("Production")]
    [TestCase("Testing")]
    [TestCase("Staging")]
    public async Task OtherEnvironments_OnAnEmptyDatabase_SeedNothing(string environment)
    {
        using var factory = new ApiFactory { EnvironmentName = environment };

        var services = factory.Services;

        Assert.That(await StoredData.OrganizationsAsync(services), Is.Zero);
        Assert.That(await StoredData.ApiKeysAsync(services), Is.Zero);
        Assert.That(await StoredData.EndpointsAsync(services), Is.Zero);
        var health = await factory.CreateClient((string?)null).GetAsync("/healthz/ready");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the service did start and migrate");
    }

    [Test]
    [Category(TestPostgres.SqliteOnly)]
    public async Task Development_OnADatabaseThatHasAnOrganization_SeedsNothing()
    {
        using var database = new SharedDatabaseFile();
        var settings = database.Settings;
        Guid orgId;
        using (var testing = new ApiFactory(settings))
        {
            orgId = (await testing.CreateOrganizationAsync()).OrgId;
        }

        using var development = new ApiFactory(settings) { EnvironmentName = "Development" };

        var organizations = await StoredData.AllAsync<Organization>(development.Services);
        Assert.That(organizations.Select(o => o.Id), Is.EqualTo(new[] { orgId }));
        Assert.That(await StoredData.EndpointsAsync(development.Services), Is.Zero);
        Assert.That(await StoredData.ApiKeysAsync(development.Services), Is.EqualTo(1));
    }

    /// <summary>The running Development service prints the demo once, and the key it prints works.</summary>
    [Test]
    [Category(TestPostgres.SqliteOnly)]
    public async Task Development_PrintsTheDemoOnceWhenStarted_WithAKeyThatWorks()
    {
        using var database = new SharedDatabaseFile();
        var settings = database.Settings;
        string printed;
        using (var first = new ApiFactory(settings) { EnvironmentName = "Development" })
        {
            printed = await CaptureConsoleAsync(() => first.Services, text => text.Contains("curl", StringComparison.Ordinal));
            var organization = (await StoredData.AllAsync<Organization>(first.Services)).Single();
            var endpoint = (await StoredData.AllAsync<WebhookEndpoint>(first.Services)).Single();
            Assert.That(printed, Does.Contain(organization.Id.ToString()));
            Assert.That(printed, Does.Contain(endpoint.Id.ToString()));

            var get = CurlCommand.Parse(printed).First(c => c.Method == "GET" && c.Path.StartsWith("/v1/", StringComparison.Ordinal));
            var response = await get.SendAsync(first.CreateClient((string?)null));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }

        using var second = new ApiFactory(settings) { EnvironmentName = "Development" };
        var again = await CaptureConsoleAsync(() => second.Services, _ => false, TimeSpan.FromSeconds(1));
        Assert.That(again, Does.Not.Contain("curl"), "printed only once, for a new database");
        Assert.That(await StoredData.OrganizationsAsync(second.Services), Is.EqualTo(1));
    }

    /// <summary>The printed <c>curl</c> lines, run exactly as printed (method, path, headers, body), succeed.</summary>
    [Test]
    public async Task PrintedCurlLines_RunAsPrinted_GetAndPatchTheDemoEndpoint()
    {
        using var factory = new ApiFactory(LoopbackAllowed);
        DevelopmentSeed.Demo demo;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            demo = (await DevelopmentSeed.SeedIfEmptyAsync(scope.ServiceProvider, CancellationToken.None))!;
        }

        Assert.That(demo, Is.Not.Null);
        using var writer = new StringWriter();
        DevelopmentSeed.Print(demo, BaseUrl, writer);
        var printed = writer.ToString();
        Assert.That(printed, Does.Contain(demo.OrgId.ToString()));
        Assert.That(printed, Does.Contain(demo.ApiKey));
        Assert.That(printed, Does.Contain(demo.EndpointId.ToString()));

        var commands = CurlCommand.Parse(printed).Where(c => c.Path.StartsWith("/v1/webhooks/", StringComparison.Ordinal)).ToList();
        Assert.That(commands.Select(c => c.Method), Is.EqualTo(new[] { "GET", "PATCH" }), printed);
        var endpointPath = $"/v1/webhooks/{demo.EndpointId}";
        Assert.That(commands.Select(c => c.Path), Is.All.EqualTo(endpointPath));
        Assert.That(commands.Select(c => c.BaseUrl), Is.All.EqualTo(BaseUrl));
        Assert.That(commands.Select(c => c.Header("Authorization")), Is.All.EqualTo($"Bearer {demo.ApiKey}"));
        var client = factory.CreateClient((string?)null);

        var get = await commands[0].SendAsync(client);

        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK), await get.Content.ReadAsStringAsync());
        var shown = await Json.ReadAsync(get);
        WebhookResource.AssertShape(shown);
        Assert.That(shown.GetProperty("id").GetString(), Is.EqualTo(demo.EndpointId.ToString("D")));
        Assert.That(shown.GetProperty("org_id").GetString(), Is.EqualTo(demo.OrgId.ToString("D")));
        Assert.That(shown.GetProperty("url").GetString(), Is.EqualTo(DevelopmentSeed.DemoEndpointUrl));
        Assert.That(shown.GetProperty("description").GetString(), Is.EqualTo("Demo endpoint"));
        Assert.That(WebhookResource.Events(shown), Is.EqualTo(new[] { "wallet.balance_low", "wallet.balance_zero" }));
        Assert.That(shown.GetProperty("active").GetBoolean(), Is.True);
        Assert.That(shown.GetProperty("api_version").GetString(), Is.EqualTo(WebhookResource.ApiVersion));

        var patch = commands[1];
        Assert.That(patch.Header("Content-Type"), Is.EqualTo("application/json"));
        Assert.That(patch.Body, Is.Not.Null);
        using var sent = JsonDocument.Parse(patch.Body!);

        var patched = await patch.SendAsync(client);

        Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.OK), await patched.Content.ReadAsStringAsync());
        var changed = await Json.ReadAsync(patched);
        WebhookResource.AssertShape(changed);
        Assert.That(changed.GetProperty("id").GetString(), Is.EqualTo(demo.EndpointId.ToString("D")));
        Assert.That(changed.GetProperty("description").GetString(), Is.EqualTo(sent.RootElement.GetProperty("description").GetString()));
        Assert.That(
            WebhookResource.Events(changed),
            Is.EqualTo(sent.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetString()).ToArray()));
        Assert.That(changed.GetProperty("url").GetString(), Is.EqualTo(DevelopmentSeed.DemoEndpointUrl), "unchanged");

        var reread = await commands[0].SendAsync(client);
        Assert.That(JsonElement.DeepEquals(await Json.ReadAsync(reread), changed), Is.True, "the change is stored");
    }

    /// <summary>Every printed <c>curl</c> line (whatever surface it is for) works as printed.</summary>
    [Test]
    public async Task PrintedCurlLines_EverySucceeds()
    {
        using var factory = new ApiFactory(LoopbackAllowed);
        DevelopmentSeed.Demo demo;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            demo = (await DevelopmentSeed.SeedIfEmptyAsync(scope.ServiceProvider, CancellationToken.None))!;
        }

        using var writer = new StringWriter();
        DevelopmentSeed.Print(demo, BaseUrl, writer);
        var commands = CurlCommand.Parse(writer.ToString());
        Assert.That(commands, Has.Count.GreaterThanOrEqualTo(2));

        foreach (var command in commands)
        {
            var response = await command.SendAsync(factory.CreateClient((string?)null));
            Assert.That((int)response.StatusCode, Is.InRange(200, 299), $"{command}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The demo endpoint's secret is beside listen's CA, readable by its owner only, for <c>listen</c> to check signatures with.</summary>
    private static void AssertDemoSecretWrittenForListen(ApiFactory factory)
    {
        var file = Path.Combine(factory.ListenPath, WebhookListener.DemoSecretFile);
        Assert.That(File.Exists(file), Is.True, file);
        Assert.That(WebhookListener.IsSecret(File.ReadAllText(file)), Is.True, "a whsec_ secret");
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }
}
