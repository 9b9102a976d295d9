using System.Diagnostics;
using System.Globalization;

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
        using var running = Start(args);
        return await running.WaitForExitAsync(Timeout);
    }

    /// <summary>Starts a command that runs until it is stopped (the <c>worker</c>), as <see cref="RunAsync"/> would run it.</summary>
    public RunningAdmin Start(params string[] args) =>
        new(Process.Start(StartInfo(args)) ?? throw new InvalidOperationException("dotnet did not start"), string.Join(' ', args));

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

    private ProcessStartInfo StartInfo(string[] args)
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
        return start;
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

/// <summary>An admin command running as a child process: its output as it comes, a termination signal, its end.</summary>
public sealed class RunningAdmin : IDisposable
{
    private readonly Lock _lock = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<(StringBuilder Output, string Text, TaskCompletionSource Seen)> _awaited = [];
    private readonly Task _reading;

    private readonly string _command;

    public RunningAdmin(Process process, string command)
    {
        ArgumentNullException.ThrowIfNull(process);
        Process = process;
        _command = command;
        process.StandardInput.Close();
        _reading = Task.WhenAll(ReadAsync(process.StandardOutput, _stdout), ReadAsync(process.StandardError, _stderr));
    }

    public Process Process { get; }

    /// <summary>Completes when standard error has a line containing <paramref name="text"/>; fails after <paramref name="bound"/>.</summary>
    public Task UntilStdErrAsync(string text, TimeSpan bound) => UntilAsync(_stderr, "standard error", text, bound);

    /// <summary>Completes when standard output contains <paramref name="text"/>; fails after <paramref name="bound"/>.</summary>
    public Task UntilStdOutAsync(string text, TimeSpan bound) => UntilAsync(_stdout, "standard output", text, bound);

    /// <summary>Everything written to standard output so far.</summary>
    public string StdOut => Snapshot(_stdout);

    /// <summary>Sends <c>SIGTERM</c>, as a service manager or container runtime stops a process.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", Process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start");
        await kill.WaitForExitAsync();
        Assert.That(kill.ExitCode, Is.Zero, "kill -TERM");
    }

    /// <summary>Waits for the process to end (killing it and failing after <paramref name="bound"/>) and returns what it did.</summary>
    public async Task<AdminResult> WaitForExitAsync(TimeSpan bound)
    {
        using var cancellation = new CancellationTokenSource(bound);
        try
        {
            await Process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            Process.Kill(entireProcessTree: true);
            Assert.Fail($"'{_command}' did not exit within {bound.TotalSeconds} s:\n{Snapshot(_stderr)}");
        }

        await _reading;
        return new AdminResult(Process.ExitCode, Snapshot(_stdout), Snapshot(_stderr));
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        Process.Dispose();
    }

    private async Task UntilAsync(StringBuilder output, string name, string text, TimeSpan bound)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (output.ToString().Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            _awaited.Add((output, text, seen));
        }

        try
        {
            await seen.Task.WaitAsync(bound);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"no '{text}' on {name} within {bound.TotalSeconds} s:\n{Snapshot(output)}\nstderr: {Snapshot(_stderr)}");
        }
    }

    private string Snapshot(StringBuilder output)
    {
        lock (_lock)
        {
            return output.ToString();
        }
    }

    /// <summary>Reads everything as it comes, exactly as written.</summary>
    private async Task ReadAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            List<TaskCompletionSource> seen;
            lock (_lock)
            {
                into.Append(buffer, 0, read);
                var text = into.ToString();
                seen = [.. _awaited.Where(a => ReferenceEquals(a.Output, into) && text.Contains(a.Text, StringComparison.Ordinal)).Select(a => a.Seen)];
                _awaited.RemoveAll(a => seen.Contains(a.Seen));
            }

            foreach (var s in seen)
            {
                s.TrySetResult();
            }
        }
    }
}
