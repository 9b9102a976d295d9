using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Webhooks.Api.Tests.Admin;

/// <summary>What an admin command did: its exit code and everything it wrote.</summary>
public sealed record AdminResult(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Asserts success and that standard output is exactly one JSON object (one line), and returns it.</summary>
    public JsonElement SingleJsonObject()
    {
        Assert.That(ExitCode, Is.Zero, $"stdout: {StdOut}\nstderr: {StdErr}");
        var lines = StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines, Has.Length.EqualTo(1), $"one line on stdout: {StdOut}");
        using var document = JsonDocument.Parse(lines[0]);
        Assert.That(document.RootElement.ValueKind, Is.EqualTo(JsonValueKind.Object), StdOut);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"exit {ExitCode}\nstdout: {StdOut}\nstderr: {StdErr}";
}

/// <summary>
/// Runs the service's real executable (<c>dotnet Webhooks.Api.dll ARGS</c>, from the test's output
/// directory) as a child process, in a fresh working directory of its own, in Production, on a SQLite
/// file in that directory.
/// </summary>
public sealed class AdminProcess : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public AdminProcess()
    {
        WorkingDirectory = Path.Combine(Path.GetTempPath(), "webhooks-admin-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(WorkingDirectory);
        DatabasePath = Path.Combine(WorkingDirectory, "admin.db");
    }

    public string WorkingDirectory { get; }

    public string DatabasePath { get; }

    public string ConnectionString => $"Data Source={DatabasePath}";

    public static string ApiDll
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Webhooks.Api.dll");
            Assert.That(File.Exists(path), Is.True, $"{path} not found");
            return path;
        }
    }

    public async Task<AdminResult> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await WaitForExitAsync(process, args);
        return new AdminResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Runs a long-running command (<c>worker</c>) until it has written <paramref name="readyText"/> to
    /// standard error, then sends it <c>SIGTERM</c> and waits for it to exit.
    /// </summary>
    public async Task<AdminResult> RunUntilTerminatedAsync(string readyText, params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = new StringBuilder();
        using var cancellation = new CancellationTokenSource(Timeout);
        string? line;
        while ((line = await process.StandardError.ReadLineAsync(cancellation.Token)) is not null)
        {
            stderr.AppendLine(line);
            if (line.Contains(readyText, StringComparison.Ordinal))
            {
                break;
            }
        }

        Assert.That(line, Is.Not.Null, $"'{string.Join(' ', args)}' ended before writing '{readyText}':\n{stderr}");
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(cancellation.Token);
        }

        var rest = process.StandardError.ReadToEndAsync(cancellation.Token);
        await WaitForExitAsync(process, args);
        stderr.Append(await rest);
        return new AdminResult(process.ExitCode, await stdout, stderr.ToString());
    }

    private Process Start(string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ApiDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Nothing inherited may point the command at another database or environment.
        foreach (var name in start.Environment.Keys.Where(IsServiceSetting).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["ConnectionStrings__Webhooks"] = ConnectionString;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        return process;
    }

    private static async Task WaitForExitAsync(Process process, string[] args)
    {
        using var cancellation = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{string.Join(' ', args)}' did not exit within {Timeout}");
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open: left for the OS's temp clean-up.
        }
    }

    private static bool IsServiceSetting(string name) =>
        name.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Database__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Webhooks__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase);

    /// <summary>The <c>dotnet</c> host that runs the tests (the CLI sets <c>DOTNET_HOST_PATH</c>), else the one on PATH.</summary>
    private static string DotnetHost()
    {
        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
        {
            return hostPath;
        }

        var processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return processPath;
        }

        return "dotnet";
    }
}
