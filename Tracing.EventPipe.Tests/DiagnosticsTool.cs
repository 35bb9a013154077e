using System;
using System.Diagnostics;
using System.Text;
using NUnit.Framework;

namespace Tracing.EventPipe.Tests;

/// <summary>
/// A .NET diagnostics tool (dotnet-trace, dotnet-counters) run as a local tool of the repository
/// (.config/dotnet-tools.json; `dotnet tool restore`, which .ci/run does, installs them).
/// </summary>
sealed class DiagnosticsTool : IDisposable
{
    readonly Process _process;
    readonly StringBuilder _output = new();

    public DiagnosticsTool(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "tool", "run", tool }) start.ArgumentList.Add(a);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _process.StandardInput.Close(); // no keys: the tools stop by --duration or when killed
        Name = tool;
    }

    public string Name { get; }

    public bool HasEnded => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>Waits for the tool to end by itself; fails (with its output) if it does not within <paramref name="limit"/> or fails.</summary>
    public void WaitForSuccess(TimeSpan limit)
    {
        if (!_process.WaitForExit(limit))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"{Name} did not end within {limit.TotalSeconds} s. Its output:\n{Output}");
        }
        _process.WaitForExit(); // the output's end
        Assert.That(_process.ExitCode, Is.Zero, $"{Name} failed (is it installed? `dotnet tool restore` at the repository's root, as .ci/run does). Its output:\n{Output}");
    }

    /// <summary>Kills the tool at once (SIGKILL), as a client that dies would end.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }
}
