using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Tracing.Cli;

/// <summary>
/// The <c>tracing</c> command: <c>tracing list Assembly.dll…</c> prints one line per trace event,
/// sorted, as <c>AssemblyName:Namespace.Type.Event(type name, …)</c>.
/// </summary>
/// <remarks>Exit codes: 0 done, 1 an assembly could not be listed (said on standard error), 2 a usage mistake.</remarks>
public static class TracingCommand
{
    public const string Usage =
        "usage: tracing list <assembly.dll>...\n" +
        "\n" +
        "  list   print the trace events each assembly declares, one per line, sorted:\n" +
        "         AssemblyName:Namespace.Type.Event(type name, ...)\n" +
        "         (read from the metadata Tracing.Fody records when it weaves an assembly;\n" +
        "         the assembly is not loaded or run)";

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count == 0)
        {
            error.WriteLine(Usage);
            return 2;
        }
        switch (args[0])
        {
            case "-h":
            case "--help":
            case "help":
                output.WriteLine(Usage);
                return 0;
            case "list":
                return List(args.Skip(1).ToList(), output, error);
            default:
                error.WriteLine($"tracing: unknown command '{args[0]}'.");
                error.WriteLine(Usage);
                return 2;
        }
    }

    static int List(IReadOnlyList<string> paths, TextWriter output, TextWriter error)
    {
        if (paths.Count == 0)
        {
            error.WriteLine("tracing list: name the assemblies to list.");
            error.WriteLine(Usage);
            return 2;
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
        foreach (var e in events.OrderBy(e => e.AssemblyName, StringComparer.Ordinal).ThenBy(e => e.FullName, StringComparer.Ordinal))
            output.WriteLine(e);
        return failed ? 1 : 0;
    }
}

/// <summary>A file that cannot be listed: the message says which and why.</summary>
public sealed class ListException : Exception
{
    public ListException(string message) : base(message)
    {
    }
}
