using MediatR;
using Microsoft.Extensions.Options;
using Webhooks.Api.Admin.Listen;
using Webhooks.Application.Clients.CreateClient;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Organizations;
using Webhooks.Application.Organizations.CreateApiKey;
using Webhooks.Application.Organizations.CreateOrganization;
using Webhooks.Application.Webhooks.CreateWebhook;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Deliveries.Sending;

namespace Webhooks.Api.Startup;

/// <summary>The demo data of a new Development database. Never used in other environments.</summary>
public static class DevelopmentSeed
{
    public sealed record Demo(Guid OrgId, string ApiKey, Guid EndpointId, Guid ClientId, string ClientSecret);

    /// <summary>The demo endpoint's URL: the <c>listen</c> command on its default port.</summary>
    public static readonly string DemoEndpointUrl = $"https://127.0.0.1:{WebhookListener.DefaultPort}/demo";

    /// <returns>The demo data, or <c>null</c> when the database already has an organization.</returns>
    public static async Task<Demo?> SeedIfEmptyAsync(IServiceProvider scopedServices, CancellationToken cancellationToken)
    {
        if (await scopedServices.GetRequiredService<IOrganizationRepository>().AnyAsync(cancellationToken))
        {
            return null;
        }

        var caller = scopedServices.GetRequiredService<ProcessCaller>();
        var mediator = scopedServices.GetRequiredService<IMediator>();
        caller.ActAs(Caller.Operator);
        var organization = await mediator.Send(new CreateOrganizationCommand("Demo organization"), cancellationToken);
        var key = await mediator.Send(new CreateApiKeyCommand(organization.Id, [.. Scopes.ApiKeyScopes], "Demo key"), cancellationToken);
        var client = await mediator.Send(new CreateClientCommand("demo-customer"), cancellationToken);

        caller.ActAs(new Caller(CallerKind.ApiKey, key.Id, organization.Id, Scopes.ApiKeyScopes));
        var demoEndpoint = new NewWebhookEndpoint(
            DemoEndpointUrl,
            [WebhookCatalogOptions.DefaultEventTypes[0].Name, WebhookCatalogOptions.DefaultEventTypes[1].Name],
            "Demo endpoint");
        var endpoint = await mediator.Send(CreateWebhookCommand.For(demoEndpoint, scopedServices.GetRequiredService<WebhookCatalog>()), cancellationToken);
        WriteDemoSecretForListen(scopedServices, endpoint.Secret!);
        return new Demo(organization.Id, key.Key, endpoint.Id, client.ClientId, client.ClientSecret);
    }

    /// <summary>
    /// The demo endpoint's signing secret, beside the <c>listen</c> command's CA (owner-only), so that
    /// <c>listen</c> can tell a signed webhook from a forged one without being given it. Only the
    /// throw-away demo endpoint's secret, only in Development; see docs/contract-notes.md.
    /// </summary>
    private static void WriteDemoSecretForListen(IServiceProvider services, string secret)
    {
        var options = services.GetRequiredService<IOptions<SenderOptions>>().Value;
        if (options.ListenCaFile(services.GetRequiredService<IHostEnvironment>().ContentRootPath) is { } caFile)
        {
            OwnerOnlyFile.Write(Path.Combine(Path.GetDirectoryName(caFile)!, WebhookListener.DemoSecretFile), secret);
        }
    }

    /// <summary>The body of the printed publishing line: an event of the demo endpoint's first type.</summary>
    private const string DemoEventBody = """{"type":"wallet.balance_low","data":{"wallet_id":"w_123","balance":"4.20"}}""";

    public static void Print(Demo demo, string baseUrl, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(demo);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($$"""

            Development database seeded (shown once; the key and the secret are stored only as hashes):
              organization  {{demo.OrgId}}
              API key       {{demo.ApiKey}}   ({{string.Join(", ", Scopes.ApiKeyScopes)}})
              endpoint      {{demo.EndpointId}}
              client        {{demo.ClientId}}
              client secret {{demo.ClientSecret}}   (customer demo-customer)

            Webhooks to the demo endpoint go to {{DemoEndpointUrl}}: see them arrive, signed, with
              dotnet run --project src/Api -- listen

            Try it:
              curl -i {{baseUrl}}/v1/webhooks/{{demo.EndpointId}} -H "Authorization: Bearer {{demo.ApiKey}}"
              curl -i -X PATCH {{baseUrl}}/v1/webhooks/{{demo.EndpointId}} -H "Authorization: Bearer {{demo.ApiKey}}" -H "Content-Type: application/json" -d '{"description":"Ops alerts","events":["wallet.balance_low","subscription.past_due"]}'
              curl -i -X POST {{baseUrl}}/v1/events -H "Authorization: Bearer {{demo.ApiKey}}" -H "Content-Type: application/json" -d '{{DemoEventBody}}'
              curl -i -X PATCH {{baseUrl}}/clients/webhook-url -u "{{demo.ClientId}}:{{demo.ClientSecret}}" -H "Content-Type: application/json" -d '{"webhook_url":"https://hooks.example.com/device"}'
              curl -i -X POST {{baseUrl}}/clients/webhook-secret/rotate -u "{{demo.ClientId}}:{{demo.ClientSecret}}"

            """);
    }
}
