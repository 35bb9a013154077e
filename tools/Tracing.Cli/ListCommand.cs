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
            Arity = ArgumentArity.OneOrMore,
            Description = "The woven assemblies to list.",
        };
        var command = new Command("list",
            "Print the trace events each assembly declares, one per line, sorted: AssemblyName:Namespace.Type.Event(type name, ...). " +
            "Read from the metadata Tracing.Fody records when it weaves an assembly; the assembly is not loaded or run.")
        {
            assemblies,
        };
        command.SetAction(result => List(result.GetValue(assemblies)!, output, error));
        return command;
    }

    static int List(IReadOnlyList<string> paths, TextWriter output, TextWriter error)
    {
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
        foreach (var e in events.OrderBy(e => e.AssemblyName, StringComparer.Ordinal).ThenBy(e => e.FullName, StringComparer.Ordinal))
            output.WriteLine(e);
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
