using System;
using System.Collections.Generic;
using Exporter;
using NUnit.Framework;

namespace Tracing.Import.Tests;

/// <summary>
/// This test assembly is a plain importer, not woven ([assembly: Trace.Import("ImportExporter")]
/// in Fixtures.cs): its by-name attaches are resolved by the runtime, through the metadata the
/// weaver recorded in ImportExporter.
/// </summary>
public class UnwovenImporterTests
{
    [Test]
    public void APlainAssemblyAttachesToImportedPrivateEventsByName()
    {
        var log = new List<string>();
        var pg = new ProbeGroup();
        Trace.Setup(() =>
        {
            Trace.Attach(pg, "Exporter.Greeter.TraceHello", (string who) => log.Add($"hello {who}"));
            Trace.Attach(pg, "ImportExporter:Exporter.Greeter.TraceCount", (int n, string what) => log.Add($"count {n} {what}"));
            Trace.Attach<Action>(pg, "Exporter.Greeter.TraceTick", () => log.Add("tick"));
            Trace.Attach(pg, "Exporter.Greeter.Secret.TraceSecret", (List<int> values) => log.Add($"secret {values.Count}"));
        });
        try
        {
            Greeter.SayHello("JP");
            Greeter.RunSecret(7, 8, 9);
        }
        finally
        {
            pg.Done();
        }
        Greeter.SayHello("after Done");

        Assert.That(log, Is.EqualTo(new[] { "hello JP", "count 2 letters", "tick", "secret 3" }));
    }

    [Test]
    public void TheProbeIsTheEventsOwnAndDetaches()
    {
        var heard = new List<string>();
        Probe? probe = null;
        Trace.Setup(() => probe = Trace.Attach<Action<string>>(null, "Exporter.Greeter.TraceHello", who => heard.Add(who)));
        Greeter.SayHello("once");
        Trace.Setup(() => probe!.Detach());
        Greeter.SayHello("twice");

        Assert.That(probe!.EventName, Is.EqualTo("Exporter.Greeter.TraceHello"));
        Assert.That(heard, Is.EqualTo(new[] { "once" }));
    }

    [Test]
    public void AnUnknownNameSaysWhereItLookedAndWhatIsClose()
    {
        var error = AttachUnderLock(() => Trace.Attach(null, "Exporter.Greeter.TraceHallo", (string who) => { }));

        Assert.That(error, Is.InstanceOf<ArgumentException>());
        Assert.That(error.Message, Is.EqualTo(
            "Trace.Attach: there is no trace event \"Exporter.Greeter.TraceHallo\" in Tracing.Import.Tests or the assemblies it imports (ImportExporter). " +
            "Did you mean ImportExporter:Exporter.Greeter.TraceHello(string who)? `tracing list <assembly>` prints the events of an assembly."));
    }

    [Test]
    public void AProbeOfTheWrongTypeNamesTheEventsSignature()
    {
        var error = AttachUnderLock(() => Trace.Attach(null, "Exporter.Orders.TracePlaced", (Guid id, decimal total, string[] tags) => { }));

        Assert.That(error, Is.InstanceOf<InvalidOperationException>());
        Assert.That(error.Message, Is.EqualTo(
            "Trace.Attach: the probes of ImportExporter:Exporter.Orders.TracePlaced(System.Guid id, decimal? total, string[] tags) are " +
            "Action<System.Guid, decimal?, string[]>, not Action<System.Guid, decimal, string[]>. " +
            "Pass a lambda or method group of type Action<System.Guid, decimal?, string[]>."));
    }

    [Test]
    public void AnAssemblyThatIsNotImportedIsNotSearched()
    {
        var error = AttachUnderLock(() => Trace.Attach(null, "ImportImporter:Importer.Relay.TraceRelayed", (string who) => { }));

        Assert.That(error.Message, Is.EqualTo(
            "Trace.Attach: \"ImportImporter:Importer.Relay.TraceRelayed\" looks in ImportImporter, which Tracing.Import.Tests does not import: " +
            "add [assembly: Trace.Import(\"ImportImporter\")]."));
    }

    [Test]
    public void AProbeThatIsAMethodGroupOfTheBclIsToldToBeALambda()
    {
        var heard = new List<string>();

        var error = AttachUnderLock(() => Trace.Attach<Action<string>>(null, "Exporter.Greeter.TraceHello", heard.Add));

        Assert.That(error, Is.InstanceOf<ArgumentException>());
        Assert.That(error.Message, Does.StartWith(
            "Trace.Attach: a probe attached by name must be code of the attaching assembly (a lambda, a local function or one of its " +
            "methods): \"Exporter.Greeter.TraceHello\" is looked up in the events of the assembly that declares the probe and of the " +
            "assemblies it imports, and the probe, System.Collections.Generic.List<string>.Add, is code of System.Private.CoreLib, " +
            "which imports no trace events. Pass a lambda that calls it: (string a1) => ….Add(a1)."));
    }

    [Test]
    public void AStaticMethodGroupOfTheBclGetsALambdaToWrite()
    {
        var error = AttachUnderLock(() => Trace.Attach<Action<string>>(null, "Exporter.Greeter.TraceHello", Console.WriteLine));

        Assert.That(error.Message, Does.Contain("Pass a lambda that calls it: (string a1) => System.Console.WriteLine(a1)."));
    }

    [Test]
    public void AMethodGroupOfThisAssemblyIsThisAssemblysCode()
    {
        Trace.Lock();
        try
        {
            var probe = Trace.Attach<Action<string>>(null, "Exporter.Greeter.TraceHello", Ignore);
            probe.Detach();
        }
        finally
        {
            Trace.Unlock();
        }

        var error = AttachUnderLock(() => Trace.Attach<Action<string>>(null, "Exporter.Greeter.TraceHallo", Ignore));
        Assert.That(error.Message, Does.EndWith(
            "(A probe attached by name is code of the assembly that declares it, whose imports count: " +
            "Tracing.Import.Tests.UnwovenImporterTests.Ignore is declared in Tracing.Import.Tests.)"));
    }

    static void Ignore(string who) { }

    [Test]
    public void AttachingByNameOutsideTheLockThrows()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Trace.Attach(null, "Exporter.Greeter.TraceHello", (string who) => { }));

        Assert.That(error!.Message, Does.StartWith("Attaching a probe to Exporter.Greeter.TraceHello must be called under the trace lock"));
    }

    static Exception AttachUnderLock(Func<Probe> attach)
    {
        Trace.Lock();
        try
        {
            return Assert.Catch(() => attach())!;
        }
        finally
        {
            Trace.Unlock();
        }
    }
}
