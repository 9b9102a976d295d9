using Microsoft.Extensions.DependencyInjection.Extensions;
using Webhooks.Api.Admin;
using Webhooks.Api.OpenApi;
using Webhooks.Api.Startup;

if (AdminCli.IsAdminInvocation(args))
{
    return await AdminCli.RunAsync(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddWebhooksCore(builder.Configuration);
builder.Services.AddWebhooksApi(builder.Configuration);
if (BuildTimeDocument.IsGenerating)
{
    // The build-time OpenAPI step starts the host (with a server that never listens): no start-up
    // work with side effects there (migrations, the demo seed, a new data-protection key).
    builder.Services.RemoveAll<IHostedService>();
}

var app = builder.Build();
app.UseWebhooksApi();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to <c>WebApplicationFactory</c> in the API tests.</summary>
public partial class Program;
