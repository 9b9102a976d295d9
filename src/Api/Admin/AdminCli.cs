using System.CommandLine;
using System.Text.Json;
using MediatR;
using Webhooks.Api.Admin.Listen;
using Webhooks.Api.Startup;
using Webhooks.Application.Clients.CreateClient;
using Webhooks.Application.Clients.SuspendClient;
using Webhooks.Application.Common.Errors;
using Webhooks.Application.Common.Security;
using Webhooks.Application.Organizations.CreateApiKey;
using Webhooks.Application.Organizations.CreateOrganization;
using Webhooks.Application.Organizations.RevokeApiKey;
using Webhooks.Domain.Common;
using Webhooks.Infrastructure.Deliveries;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Api.Admin;

/// <summary>
/// The admin commands of the service's executable. Each does its job through the same use cases
/// as the API (as the operator), prints one JSON object on standard output and exits; on failure it
/// prints a message on standard error and exits non-zero.
/// </summary>
public static class AdminCli
{
    private static readonly string[] CommandNames = ["orgs", "keys", "clients", "worker", "listen", "migrate", "--help", "-h", "-?", "help"];

    public static bool IsAdminInvocation(string[] args) =>
        args.Length > 0 && CommandNames.Contains(args[0], StringComparer.Ordinal);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = BuildCommands(output, error);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Invalid input: the messages on standard error, nothing on standard output.
            foreach (var parseError in parse.Errors)
            {
                await error.WriteLineAsync(parseError.Message);
            }

            await error.WriteLineAsync("Run with --help for the commands and their options.");
            return 2;
        }

        // Termination signals are left to the hosts (the worker's finishes its attempts in flight first).
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null });
    }

    private static RootCommand BuildCommands(TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "Webhook-configuration service. Without a command it serves the API (http://localhost:5080); " +
            "with one, it does the job, prints one JSON object and exits.");

        var name = new Option<string>("--name") { Description = "The organization's name", Required = true };
        var orgsCreate = new Command("create", "Create an organization. Prints {\"id\": ...}") { name };
        orgsCreate.SetAction((parse, ct) => Run(output, error, async (mediator, token) =>
        {
            var created = await mediator.Send(new CreateOrganizationCommand(parse.GetValue(name)!), token);
            return new { id = created.Id };
        }, migrateOnly: false, ct));
        root.Subcommands.Add(new Command("orgs", "Organizations") { orgsCreate });

        var org = new Option<Guid>("--org") { Description = "The organization's id", Required = true };
        var scopes = new Option<string>("--scopes") { Description = "Comma-separated: webhooks:read,webhooks:write", Required = true };
        var keyName = new Option<string?>("--name") { Description = "A label for the key" };
        var keysCreate = new Command("create", "Issue an API key. Prints {\"id\": ..., \"key\": \"am_live_...\"}; the key is shown only this once") { org, scopes, keyName };
        keysCreate.SetAction((parse, ct) => Run(output, error, async (mediator, token) =>
        {
            var scopeList = parse.GetValue(scopes)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var issued = await mediator.Send(new CreateApiKeyCommand(parse.GetValue(org), scopeList, parse.GetValue(keyName)), token);
            return new { id = issued.Id, key = issued.Key };
        }, migrateOnly: false, ct));
        var keyId = new Option<Guid>("--id") { Description = "The key's id", Required = true };
        var keysRevoke = new Command("revoke", "Revoke an API key. Prints {\"id\": ..., \"revoked_at\": ...}") { keyId };
        keysRevoke.SetAction((parse, ct) => Run(output, error, async (mediator, token) =>
        {
            var revoked = await mediator.Send(new RevokeApiKeyCommand(parse.GetValue(keyId)), token);
            return new { id = revoked.Id, revoked_at = Timestamp(revoked.RevokedAt) };
        }, migrateOnly: false, ct));
        root.Subcommands.Add(new Command("keys", "API keys") { keysCreate, keysRevoke });

        var customerId = new Option<string>("--customer-id") { Description = "The customer the client belongs to", Required = true };
        var clientsCreate = new Command("create", "Register a device-API client. Prints {\"client_id\": ..., \"client_secret\": ..., \"webhook_secret\": \"whsec_...\"}; both secrets are shown only this once") { customerId };
        clientsCreate.SetAction((parse, ct) => Run(output, error, async (mediator, token) =>
        {
            var issued = await mediator.Send(new CreateClientCommand(parse.GetValue(customerId)!), token);
            return new { client_id = issued.ClientId, client_secret = issued.ClientSecret, webhook_secret = issued.WebhookSecret };
        }, migrateOnly: false, ct));
        var clientId = new Option<Guid>("--id") { Description = "The client's id", Required = true };
        var clientsSuspend = new Command("suspend", "Suspend a client: it then gets 403 on every request. Prints {\"client_id\": ..., \"suspended_at\": ...}") { clientId };
        clientsSuspend.SetAction((parse, ct) => Run(output, error, async (mediator, token) =>
        {
            var suspended = await mediator.Send(new SuspendClientCommand(parse.GetValue(clientId)), token);
            return new { client_id = suspended.ClientId, suspended_at = Timestamp(suspended.SuspendedAt) };
        }, migrateOnly: false, ct));
        root.Subcommands.Add(new Command("clients", "Device-API clients") { clientsCreate, clientsSuspend });

        var worker = new Command(
            "worker",
            "Deliver webhooks without serving HTTP, until stopped; SIGTERM or Ctrl+C finishes the attempts in flight and releases the rest. " +
            "Prints {\"worker\": ..., \"attempts_recorded\": ...} when it stops");
        worker.SetAction((parse, ct) => RunWorkerAsync(output, error));
        root.Subcommands.Add(worker);

        root.Subcommands.Add(ListenCommand(output, error));

        var migrate = new Command("migrate", "Apply the database migrations and exit. Prints {\"migrated\": true, \"provider\": ...}");
        migrate.SetAction((parse, ct) => Run(output, error, (_, _) => Task.FromResult<object>(new { }), migrateOnly: true, ct));
        root.Subcommands.Add(migrate);
        return root;
    }

    private static Command ListenCommand(TextWriter output, TextWriter error)
    {
        var port = new Option<int>("--port") { Description = $"The port on 127.0.0.1 (0: any free one)", DefaultValueFactory = _ => WebhookListener.DefaultPort };
        port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                result.AddError("--port must be 0 to 65535.");
            }
        });
        var secret = new Option<string?>("--secret") { Description = "The endpoint's signing secret (whsec_...) to check signatures with; default: the Development demo endpoint's" };
        secret.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !WebhookListener.IsSecret(value))
            {
                result.AddError($"--secret must be {Domain.Deliveries.WebhookSignature.SecretPrefix} followed by base64.");
            }
        });
        var listen = new Command(
            "listen",
            $"A local HTTPS receiver for development: listens on https://127.0.0.1:{WebhookListener.DefaultPort} with a certificate from a CA it makes " +
            $"in {WebhookListener.DefaultDirectory} (trusted by the service in Development), answers 200 to every POST and prints each webhook " +
            "(id, type, signature verified or not, body), until SIGTERM or Ctrl+C")
        {
            port, secret,
        };
        listen.SetAction(async (parse, ct) =>
        {
            try
            {
                return await new WebhookListener(WebhookListener.DefaultDirectory, parse.GetValue(secret), output).RunAsync(parse.GetValue(port));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                await error.WriteLineAsync("failed: " + exception.Message);
                return 1;
            }
        });
        return listen;
    }

    private static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<int> Run(
        TextWriter output,
        TextWriter error,
        Func<IMediator, CancellationToken, Task<object>> work,
        bool migrateOnly,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var host = BuildHost();
            await using var scope = host.Services.CreateAsyncScope();
            var services = scope.ServiceProvider;
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            object result;
            if (migrateOnly)
            {
                result = new { migrated = true, provider = services.GetRequiredService<DatabaseSettings>().Provider.ToString() };
            }
            else
            {
                services.GetRequiredService<ProcessCaller>().ActAs(Caller.Operator);
                result = await work(services.GetRequiredService<IMediator>(), cancellationToken);
            }

            await output.WriteLineAsync(JsonSerializer.Serialize(result));
            return 0;
        }
        catch (ValidationFailedException validation)
        {
            await error.WriteLineAsync("validation failed: " + string.Join("; ", validation.Errors.Select(e => $"{e.Key} {e.Value}")));
            return 2;
        }
        catch (NotFoundException)
        {
            await error.WriteLineAsync("not found");
            return 3;
        }
        catch (Exception exception)
        {
            await error.WriteLineAsync("failed: " + exception.Message);
            return 1;
        }
    }

    /// <summary>
    /// The <c>worker</c> command: the same services as the web host and a delivery worker, no HTTP.
    /// It runs until the host is told to stop (SIGTERM, SIGINT), then prints what it did.
    /// </summary>
    private static async Task<int> RunWorkerAsync(TextWriter output, TextWriter error)
    {
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Delivery:Worker:Enabled"] = "true" });
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Services.AddWebhooksCore(builder.Configuration);
            builder.Services.AddDeliveryWorker();
            using var host = builder.Build();
            await using (var scope = host.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
            }

            // Resolved before running: RunAsync disposes the host (and its services) when it stops.
            var worker = host.Services.GetRequiredService<Infrastructure.Deliveries.DeliveryWorker>();
            var recorder = host.Services.GetRequiredService<Infrastructure.Deliveries.AttemptRecorder>();
            await host.RunAsync();
            await output.WriteLineAsync(JsonSerializer.Serialize(new { worker = worker.Owner, attempts_recorded = recorder.Recorded }));
            return 0;
        }
        catch (Exception exception)
        {
            await error.WriteLineAsync("failed: " + exception.Message);
            return 1;
        }
    }

    /// <summary>The same configuration and services as the web host, without the web server; logs go to standard error.</summary>
    private static WebApplication BuildHost()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddWebhooksCore(builder.Configuration);
        return builder.Build();
    }
}
