using System.Diagnostics;
using Tracing;

namespace AssemblyToProcess;

/// <summary>
/// A file that says both `using System.Diagnostics;` and `using Tracing;`, as files that trace
/// often do. It compiles because the package's props declare `global using Trace = Tracing.Trace;`.
/// </summary>
public static class NameClash
{
    [Trace.Event] internal static void TraceClash(string what) { }

    public static long Run(System.Collections.Generic.List<string> seen)
    {
        var stopwatch = Stopwatch.StartNew(); // System.Diagnostics is in use in this file
        var pg = new ProbeGroup();
        Trace.Lock();
        Trace.Attach(pg, TraceClash, what => seen.Add(what));
        Trace.Unlock();
        TraceClash("both usings");
        pg.Done();
        return stopwatch.ElapsedTicks;
    }
}
