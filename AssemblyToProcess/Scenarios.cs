using System;
using System.Collections.Generic;
using Tracing;

namespace AssemblyToProcess;

/// <summary>
/// Code that attaches probes from inside the woven assembly, so it goes through the compiled
/// Trace.Attach → Event_Attach rewrite (the tests themselves are not woven).
/// </summary>
public static class Scenarios
{
    /// <summary>Attaches probes to both hello events with Trace.Attach and returns the group.</summary>
    public static ProbeGroup AttachHelloProbes(List<string> seen)
    {
        var pg = new ProbeGroup();
        Trace.Lock();
        Trace.Attach(pg, Hello.TraceHelloPre, who => seen.Add("pre " + who));
        Trace.Attach(pg, Hello.TraceHello, who => seen.Add("post " + who));
        Trace.Unlock();
        return pg;
    }

    /// <summary>The C# 10 shape of a method group argument, without the compiler's cache.</summary>
    public static Probe AttachWithExplicitDelegate(List<string> seen)
    {
        Probe p = null!;
        Trace.Setup(() => p = Trace.Attach(null, new Action<string>(Hello.TraceHello), who => seen.Add("explicit " + who)));
        return p;
    }

    /// <summary>An event delegate kept in a local first: not rewritten, resolved by the runtime.</summary>
    public static Probe AttachThroughLocal(List<string> seen)
    {
        Action<string> traceEvent = Hello.TraceHello;
        Probe p = null!;
        Trace.Setup(() => p = Trace.Attach(null, traceEvent, who => seen.Add("local " + who)));
        return p;
    }

    /// <summary>Calls the generated attach method directly.</summary>
    public static Probe AttachGenerated(List<string> seen)
    {
        Probe p = null!;
        Trace.Setup(() => p = AttachHelloViaGenerated(who => seen.Add("generated " + who)));
        return p;
    }

    // The generated Hello.TraceHello_Attach exists only after weaving; code compiled before
    // weaving reaches it the way the weaver compiles Trace.Attach.
    static Probe AttachHelloViaGenerated(Action<string> probe) => Trace.Attach(null, Hello.TraceHello, probe);
}
