using System;
using System.Collections.Generic;
using System.Diagnostics;
using NUnit.Framework;
using Tracing;
using Tracing.Fody.Tests;

// Deliberately outside the Tracing namespace: inside it (as in namespace Tracing.Fody.Tests) C#
// finds Tracing.Trace through the enclosing namespace before it looks at the usings, and this
// file would compile without the package's alias. Here `Trace` is ambiguous between
// System.Diagnostics.Trace and Tracing.Trace (CS0104) unless the alias is declared.
namespace NameClash.Tests;

/// <summary>
/// This file says both `using System.Diagnostics;` and `using Tracing;`, and names `Trace` as
/// the README does: it compiles only because the package props declare
/// `global using Trace = Tracing.Trace;` (this project imports them as a package user's does).
/// </summary>
public class NameClashTests
{
    [Test]
    public void TraceMeansTracingTraceInAFileThatAlsoUsesSystemDiagnostics()
    {
        var seen = new List<int>();
        var stopwatch = Stopwatch.StartNew(); // System.Diagnostics in use in this file
        using var pg = new ProbeGroup();
        Trace.Lock();
        try
        {
            Trace.Attach(pg, Woven.Event<Action<int>>("Events.TraceValue"), seen.Add);
        }
        finally
        {
            Trace.Unlock();
        }
        Woven.Call("Events.TraceValue", 5);
        pg.Done();
        stopwatch.Stop();

        Assert.That(seen, Is.EqualTo(new[] { 5 }));
        Assert.That(typeof(Trace), Is.EqualTo(typeof(Tracing.Trace)));
    }
}
