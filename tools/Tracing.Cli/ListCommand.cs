using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;

namespace Tracing.Cli;

/// <summary>
/// <c>tracing list Assembly.dll…</c>: one line per trace event, sorted, as
/// <c>AssemblyName:Namespace.Type.Event(type name, …)</c>, read from the metadata Tracing.Fody
/// records in a woven assembly, without loading it.
/// </summary>
public static class ListCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var assemblies = new Argument<string[]>("assembly.dll")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "The woven assemblies to list.",
        };
        var pid = new Option<int?>("--process-id", "-p")
        {
            Description = "List the events of every woven assembly a running .NET process has loaded (found through its diagnostics port) instead.",
        };
        var command = new Command("list",
            "Print the trace events each assembly declares, one per line, sorted: AssemblyName:Namespace.Type.Event(type name, ...). " +
            "Read from the metadata Tracing.Fody records when it weaves an assembly; the assembly is not loaded or run.")
        {
            assemblies, pid,
        };
        command.SetAction(result => result.GetValue(pid) is { } id
            ? ListProcess(id, result.GetValue(assemblies) ?? Array.Empty<string>(), output, error)
            : List(result.GetValue(assemblies) ?? Array.Empty<string>(), output, error));
        return command;
    }

    static int ListProcess(int pid, IReadOnlyList<string> paths, TextWriter output, TextWriter error)
    {
        if (paths.Count > 0)
        {
            error.WriteLine("tracing list: give either -p PID or assembly files, not both.");
            return TracingCommand.UsageError;
        }
        IReadOnlyList<string> loaded;
        try
        {
            loaded = ProcessAssemblies.Read(pid);
        }
        catch (ListException e)
        {
            error.WriteLine($"tracing list: {e.Message}");
            return TracingCommand.Failed;
        }
        if (loaded.Count == 0)
        {
            // A Native AOT program: its code was compiled from assemblies it does not have at run time.
            error.WriteLine($"tracing list: process {pid} has loaded no assembly file (a Native AOT program has none); " +
                            "list the assemblies it was published from instead (tracing list App.dll Library.dll).");
            return TracingCommand.Failed;
        }
        var events = new List<ListedEvent>();
        foreach (var path in loaded)
        {
            try
            {
                events.AddRange(EventMetadataReader.Read(path));
            }
            catch (ListException)
            {
                // Not woven (the framework, most libraries): nothing to list.
            }
        }
        Print(events, output);
        return 0;
    }

    static void Print(List<ListedEvent> events, TextWriter output)
    {
        foreach (var e in events.OrderBy(e => e.AssemblyName, StringComparer.Ordinal).ThenBy(e => e.FullName, StringComparer.Ordinal))
            output.WriteLine(e);
    }

    static int List(IReadOnlyList<string> paths, TextWriter output, TextWriter error)
    {
        if (paths.Count == 0)
        {
            error.WriteLine("tracing list: give the assemblies to list, or -p PID.");
            error.WriteLine();
            TracingCommand.PrintHelp(error, "list");
            return TracingCommand.UsageError;
        }
        var events = new List<ListedEvent>();
        var failed = false;
        foreach (var path in paths)
        {
            try
            {
                events.AddRange(EventMetadataReader.Read(path));
            }
            catch (ListException e)
            {
                error.WriteLine($"tracing list: {e.Message}");
                failed = true;
            }
        }
        Print(events, output);
        return failed ? TracingCommand.Failed : 0;
    }
}

/// <summary>A file that cannot be listed: the message says which and why.</summary>
public sealed class ListException : Exception
{
    public ListException(string message) : base(message)
    {
    }
}
