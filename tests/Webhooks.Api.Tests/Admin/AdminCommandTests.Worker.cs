using System.Text.RegularExpressions;

namespace Webhooks.Api.Tests.Admin;

/// <summary>The <c>worker</c> command: it runs until <c>SIGTERM</c>, then exits 0 and prints what it did.</summary>
public sealed partial class AdminCommandTests
{
    private static readonly TimeSpan WorkerStartBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan WorkerStopBound = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Worker_WithNothingDue_RunsUntilSigterm_ThenExitsZeroPrintingWhatItDid()
    {
        using var worker = _admin.Start("worker");
        await worker.UntilStdErrAsync(" started: at most 32 attempts at once, 4 per receiver", WorkerStartBound);

        await worker.TerminateAsync();
        var result = await worker.WaitForExitAsync(WorkerStopBound);

        var json = result.SingleJsonObject();
        Assert.Multiple(() =>
        {
            Assert.That(json.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "worker", "attempts_recorded" }), result.ToString());
            Assert.That(
                json.GetProperty("worker").GetString(),
                Does.Match("^" + Regex.Escape(Environment.MachineName) + ":" + worker.Process.Id + ":[0-9a-f]{32}$"),
                "machine:pid:random, as on its leases");
            Assert.That(json.GetProperty("attempts_recorded").GetInt64(), Is.Zero);
            Assert.That(result.StdErr, Does.Contain(" stopped after recording 0 attempts"));
            Assert.That(File.Exists(_admin.DatabasePath), Is.True, "it migrated the database it works on");
        });
    }
}
