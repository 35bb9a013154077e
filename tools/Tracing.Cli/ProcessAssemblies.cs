using System;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.IO;
using System.Threading;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Tracing.Cli;

/// <summary>
/// The files of the assemblies a running .NET process has loaded, from the runtime's rundown
/// (the module list every EventPipe session can ask for when it stops), for <c>tracing list -p</c>.
/// </summary>
static class ProcessAssemblies
{
    const int Loader = 0x8; // the runtime's Loader keyword: module loads, in the rundown too

    /// <summary>The loaded assemblies' paths, sorted; in-memory assemblies (no file) are left out.</summary>
    /// <exception cref="ListException">The process cannot be reached.</exception>
    public static IReadOnlyList<string> Read(int pid)
    {
        EventPipeSession session;
        try
        {
            session = new DiagnosticsClient(pid).StartEventPipeSession(
                new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, Loader), requestRundown: true);
        }
        catch (Exception e) when (e is ServerNotAvailableException or DiagnosticsClientException or UnauthorizedAccessException or IOException)
        {
            throw new ListException($"cannot open a session with process {pid}: {e.Message} " +
                                    "(is it a .NET process of this user, with DOTNET_EnableDiagnostics not 0? `tracing ps` lists them)");
        }
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        using (session)
        using (var source = new EventPipeEventSource(session.EventStream))
        {
            var rundown = new ClrRundownTraceEventParser(source);
            rundown.LoaderModuleDCStop += module =>
            {
                if (!string.IsNullOrEmpty(module.ModuleILPath) && File.Exists(module.ModuleILPath)) paths.Add(module.ModuleILPath);
            };
            var reader = new Thread(() => source.Process()) { IsBackground = true, Name = "EventPipe reader" };
            reader.Start();
            session.Stop(); // the runtime writes the rundown, then ends the stream
            if (!reader.Join(TimeSpan.FromSeconds(60))) throw new ListException($"process {pid} did not send its module list within 60 s.");
        }
        return new List<string>(paths);
    }
}
