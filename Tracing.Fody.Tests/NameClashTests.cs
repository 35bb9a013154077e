using System;
using System.Collections.Generic;
using System.Diagnostics;
using NUnit.Framework;
using Tracing;

namespace Tracing.Fody.Tests;

/// <summary>
/// This file says both `using System.Diagnostics;` and `using Tracing;`, and names `Trace` as
/// the README does: it compiles because the package props declare
/// `global using Trace = Tracing.Trace;` (this project imports them as a package user's does).
/// </summary>
public class NameClashTests
{
    [Test]
    public void TraceMeansTracingTraceInAFileThatAlsoUsesSystemDiagnostics()
    {
        var seen = new List<int>();
        var stopwatch = Stopwatch.StartNew(); // System.Diagnostics in use in this file
        Trace.Lock();
        var p = Trace.Attach(null, Woven.Event<Action<int>>("Events.TraceValue"), seen.Add);
        Trace.Unlock();
        Woven.Call("Events.TraceValue", 5);
        Trace.Lock();
        p.Detach();
        Trace.Unlock();
        stopwatch.Stop();

        Assert.That(seen, Is.EqualTo(new[] { 5 }));
    }
}
