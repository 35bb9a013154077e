using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;

namespace Tracing.Cli;

/// <summary>
/// The <c>tracing</c> command: one subcommand per file (<see cref="ListCommand"/>,
/// <see cref="RecordCommand"/>, <see cref="ProfileCommand"/>), parsed with System.CommandLine.
/// </summary>
/// <remarks>
/// <para>Exit codes, for every command:</para>
/// <list type="bullet">
/// <item>0: done.</item>
/// <item>1: the command could not do its work (said on standard error): an assembly that cannot
/// be listed, an app that cannot be recorded.</item>
/// <item>2: a usage mistake (said on standard error, with the command's help).</item>
/// <item><c>tracing record</c>, <c>tracing profile</c>: otherwise the app's own exit code.</item>
/// </list>
/// <para>To add a command: a file with a static <c>Create(TextWriter output, TextWriter error)</c>
/// that returns its <see cref="Command"/> with its action, and one line in <see cref="Commands"/>.</para>
/// </remarks>
public static class TracingCommand
{
    /// <summary>Exit code: a usage mistake.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code: the command could not do its work.</summary>
    public const int Failed = 1;

    static IEnumerable<Command> Commands(TextWriter output, TextWriter error) => new[]
    {
        ListCommand.Create(output, error),
        RecordCommand.Create(output, error),
        PsCommand.Create(output, error),
        ProfileCommand.Create(output, error),
    };

    public static Command Create(TextWriter output, TextWriter error)
    {
        // Named "tracing" whatever the executable is called (Tracing.Cli.dll when run with dotnet).
        var root = new Command("tracing",
            "The command-line tool of Tracing.Fody: lists the trace events woven assemblies declare, " +
            "records them from a running app into a trace that opens in Perfetto UI and Chrome DevTools, " +
            "and profiles them into pprof profiles of the call paths that fire them.")
        {
            Options = { new System.CommandLine.Help.HelpOption(), new VersionOption() },
        };
        foreach (var command in Commands(output, error)) root.Subcommands.Add(command);
        return root;
    }

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var root = Create(output, error);
        var result = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        if (result.Errors.Count > 0)
        {
            foreach (var e in result.Errors) error.WriteLine($"tracing: {e.Message}");
            error.WriteLine();
            // The help of the command the mistake was made in.
            var path = new List<string>();
            for (var c = result.CommandResult; c is not null && c.Command != root; c = c.Parent as System.CommandLine.Parsing.CommandResult)
                path.Insert(0, c.Command.Name);
            PrintHelp(error, path.ToArray());
            return UsageError;
        }
        return result.Invoke(configuration);
    }

    /// <summary>Writes the help of the command named by <paramref name="path"/> (the root's for none): what a usage mistake shows.</summary>
    internal static void PrintHelp(TextWriter to, params string[] path) =>
        Create(to, to).Parse(path.Append("--help").ToList()).Invoke(new InvocationConfiguration { Output = to, Error = to });
}
