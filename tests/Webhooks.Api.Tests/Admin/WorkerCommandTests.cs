using System.Text.RegularExpressions;

namespace Webhooks.Api.Tests.Admin;

/// <summary>The <c>worker</c> command of the real executable: it runs until <c>SIGTERM</c>, then says what it did.</summary>
[NonParallelizable]
public sealed partial class WorkerCommandTests
{
    private AdminProcess _admin = null!;

    [SetUp]
    public void NewWorkingDirectory() => _admin = new AdminProcess();

    [TearDown]
    public void RemoveWorkingDirectory() => _admin.Dispose();

    [Test]
    public async Task Worker_StoppedWithSigterm_ExitsZeroAndPrintsItsNameAndWhatItRecorded()
    {
        var result = await _admin.RunUntilTerminatedAsync("started: at most", "worker");

        var printed = result.SingleJsonObject();
        Assert.Multiple(() =>
        {
            Assert.That(printed.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "worker", "attempts_recorded" }), result.ToString());
            Assert.That(printed.GetProperty("worker").GetString(), Does.Match(OwnerPattern()), result.ToString());
            Assert.That(printed.GetProperty("attempts_recorded").GetInt64(), Is.Zero, result.ToString());
            Assert.That(result.StdErr, Does.Contain($"Delivery worker {printed.GetProperty("worker").GetString()} stopped after recording 0 attempts"));
            Assert.That(File.Exists(_admin.DatabasePath), Is.True, "the worker migrates the database it works on");
        });
    }

    /// <summary>machine:pid:random, as on the leases.</summary>
    [GeneratedRegex("^[^:]+:[0-9]+:[0-9a-f]{32}$")]
    private static partial Regex OwnerPattern();
}
