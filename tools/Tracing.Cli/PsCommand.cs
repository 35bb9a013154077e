using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.Diagnostics.NETCore.Client;

namespace Tracing.Cli;

/// <summary>
/// <c>tracing ps</c>: the .NET processes of this user that have a diagnostics port, as
/// <c>dotnet-trace ps</c> lists them: the candidates for <c>tracing record -p</c> and
/// <c>tracing list -p</c>.
/// </summary>
public static class PsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("ps",
            "List the .NET processes that tracing record -p and tracing list -p can reach (this user's, with the diagnostics port on): " +
            "PID, name and command line, one per line. Whether one has woven code: tracing list -p PID.");
        command.SetAction(_ => List(output));
        return command;
    }

    static int List(TextWriter output)
    {
        foreach (var pid in DiagnosticsClient.GetPublishedProcesses().Where(p => p != Environment.ProcessId).OrderBy(p => p))
        {
            string name, commandLine;
            try
            {
                using var process = Process.GetProcessById(pid);
                name = process.ProcessName;
                commandLine = File.Exists($"/proc/{pid}/cmdline") ? File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim() : "";
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                continue; // ended since it was listed
            }
            output.WriteLine($"{pid,8}  {name,-24}  {commandLine}");
        }
        return 0;
    }
}
