using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Webhooks.Application.Common.Ports;
using Webhooks.Application.Deliveries;
using Webhooks.Application.Organizations;
using Webhooks.Application.Webhooks;
using Webhooks.Domain.Deliveries;
using Webhooks.Domain.Organizations;
using Webhooks.Domain.Webhooks;
using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Deliveries;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Persistence.WritePath;

// retention [ROWS (100000)] [BATCH_SIZE (the default, 1000)]
// Prints one line: rows, batch size, seconds to delete, transactions, and the concurrent writer's
// writes and wait p50/p99/max (ms).
var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var settings = new Dictionary<string, string?>();
if (args.Length > 1)
{
    settings["Delivery:Retention:BatchSize"] = args[1];
}

var root = Directory.CreateTempSubdirectory("retention-bench-").FullName;
try
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = root, Args = [] });
    builder.Configuration.AddInMemoryCollection(settings);
    builder.Logging.ClearProviders();
    builder.Services.AddInfrastructure();
    using var host = builder.Build();
    var services = host.Services;
    await using (var scope = services.CreateAsyncScope())
    {
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
    }

    var createdAt = DateTimeOffset.UtcNow.AddDays(-40);
    var orgId = Guid.CreateVersion7();
    var endpointId = Guid.CreateVersion7();
    await SaveAsync(services, sp =>
    {
        sp.GetRequiredService<IOrganizationRepository>().Add(Organization.Create(orgId, "Bench", createdAt));
        var catalog = sp.GetRequiredService<WebhookCatalog>();
        sp.GetRequiredService<IWebhookEndpointRepository>().Add(WebhookEndpoint.Create(
            endpointId, orgId, HttpsUrl.Create("https://bench.example.com/hook").Value!, null,
            EventTypeSet.Create(["wallet.balance_low"], catalog).Value!, active: true, WebhookCatalogOptions.DefaultApiVersion,
            sp.GetRequiredService<ISecretProtector>().Protect("whsec_" + Convert.ToBase64String(new byte[24])), createdAt));
    });

    var seeding = Stopwatch.StartNew();
    using var data = JsonDocument.Parse("{\"balance\":3}");
    for (var seeded = 0; seeded < rows;)
    {
        var count = Math.Min(2000, rows - seeded);
        await SaveAsync(services, sp =>
        {
            var events = sp.GetRequiredService<IEventRepository>();
            for (var i = 0; i < count; i++)
            {
                var at = createdAt.AddMilliseconds(seeded + i);
                var evt = Event.ForOrganization(Guid.CreateVersion7(), orgId, "wallet.balance_low", EventData.From(data.RootElement.Clone()).Value!, at);
                var delivery = evt.DeliverTo(Guid.CreateVersion7(), DeliveryTarget.Endpoint(endpointId));
                delivery.RecordAttempt(new AttemptResult(200, TimeSpan.FromMilliseconds(20), "ok", null), at.AddSeconds(1), RetrySchedule.Default, 0.5);
                events.Add(evt, [delivery]);
            }
        });
        seeded += count;
    }

    seeding.Stop();
    var job = services.GetRequiredService<RetentionJob>();
    var options = services.GetRequiredService<DeliveryOptions>();

    // A writer beside the job: one small transaction after another through the same write path.
    using var stop = new CancellationTokenSource();
    var waits = new List<double>();
    var writer = Task.Run(async () =>
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        var writePath = services.GetRequiredService<IDatabaseWritePath>();
        while (!stop.IsCancellationRequested)
        {
            var watch = Stopwatch.StartNew();
            await writePath.WriteAsync(db, (context, token) => context.Set<Organization>().Where(o => o.Id == orgId).ExecuteUpdateAsync(set => set.SetProperty(o => o.Name, "Bench"), token), CancellationToken.None);
            waits.Add(watch.Elapsed.TotalMilliseconds);
            await Task.Delay(1);
        }
    });

    var timing = Stopwatch.StartNew();
    var run = await job.RunAsync(CancellationToken.None);
    timing.Stop();
    await stop.CancelAsync();
    await writer;

    waits.Sort();
    double Percentile(double p) => waits.Count == 0 ? double.NaN : waits[Math.Min(waits.Count - 1, (int)Math.Ceiling(p * waits.Count) - 1)];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"rows={rows} batch_size={options.RetentionBatchSize} seeded_in={seeding.Elapsed.TotalSeconds:F1}s deleted_deliveries={run.Deliveries} deleted_events={run.Events} deleted_idempotency_keys={run.IdempotencyKeys} transactions={run.Transactions} delete_seconds={timing.Elapsed.TotalSeconds:F2} rows_per_second={run.Deliveries / timing.Elapsed.TotalSeconds:F0} writer_writes={waits.Count} writer_p50={Percentile(0.5):F2}ms writer_p99={Percentile(0.99):F2}ms writer_max={waits.LastOrDefault():F1}ms"));
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(root, recursive: true);
}

static async Task SaveAsync(IServiceProvider services, Action<IServiceProvider> change)
{
    await using var scope = services.CreateAsyncScope();
    change(scope.ServiceProvider);
    await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
}
