using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using System.Runtime.CompilerServices;
using Exporter;
using Importer;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NUnit.Framework;

namespace Tracing.Import.Tests;

/// <summary>ImportImporter, woven in-solution, attaches to ImportExporter's private events by name.</summary>
public class WovenImporterTests
{
    [Test]
    public void ProbesAttachedByNameFireOnTheExportersPrivateEvents()
    {
        var log = new List<string>();
        var pg = new ProbeGroup();
        ExporterProbes.AttachAll(pg, log);
        try
        {
            Greeter.SayHello("JP");
            Greeter.RunSecret(1, 2);
            Orders.Place(new Guid("00000000-0000-0000-0000-000000000001"), 9.5m, "a", "b");
        }
        finally
        {
            pg.Done();
        }
        Greeter.SayHello("after Done");

        Assert.That(log, Is.EqualTo(new[]
        {
            "hello JP",
            "count 2 letters",
            "tick",
            "secret 1,2",
            "placed 00000000-0000-0000-0000-000000000001 9.5 a+b",
        }));
    }

    [Test]
    public void AttachByNameIsCompiledIntoDirectCallsOfImportAccessors()
    {
        using var importer = ModuleDefinition.ReadModule(Fixtures.TestOutput("ImportImporter"));
        var probes = importer.GetType("Importer.ExporterProbes");

        Assert.That(CalledMethods(probes.Methods.Single(m => m.Name == "AttachAll")), Is.EqualTo(new[]
        {
            "Tracing.Trace::Lock",
            "<TracingImports>::ImportExporter_Greeter_TraceHello_Attach",
            "<TracingImports>::ImportExporter_Greeter_TraceCount_Attach",
            "<TracingImports>::ImportExporter_Greeter_TraceTick_Attach",
            "<TracingImports>::ImportExporter_Secret_TraceSecret_Attach",
            "<TracingImports>::ImportExporter_Orders_TracePlaced_Attach",
            "Tracing.Trace::Unlock",
        }));
        Assert.That(CalledMethods(probes.Methods.Single(m => m.Name == "AttachOwn")), Is.EqualTo(new[] { "Importer.Relay::TraceRelayed_Attach" }));
        Assert.That(CalledMethods(probes.Methods.Single(m => m.Name == "AttachByName")), Is.EqualTo(new[] { "Tracing.Trace::Attach" }),
            "a name that is not a constant is left to the runtime");
        Assert.That(probes.Methods.SelectMany(m => m.Body.Instructions).Where(i => i.OpCode == OpCodes.Ldstr).Select(i => (string)i.Operand),
            Has.None.StartsWith("Exporter.").And.None.StartsWith("ImportExporter:"), "the names are no longer loaded");
    }

    [Test]
    public void TheImporterHasOneImportAccessorPerImportedEvent()
    {
        using var importer = ModuleDefinition.ReadModule(Fixtures.TestOutput("ImportImporter"));
        var imports = importer.GetType("<TracingImports>");

        Assert.That(imports.IsPublic, Is.False);
        Assert.That(imports.Methods.Where(m => m.IsAssembly).Select(m => $"{m.Name}({string.Join(", ", m.Parameters.Select(p => p.ParameterType.FullName))})"), Is.EqualTo(new[]
        {
            "ImportExporter_Secret_TraceSecret_Attach(Tracing.ProbeGroup, System.Action`1<System.Collections.Generic.List`1<System.Int32>>)",
            "ImportExporter_Greeter_TraceCount_Attach(Tracing.ProbeGroup, System.Action`2<System.Int32,System.String>)",
            "ImportExporter_Greeter_TraceHello_Attach(Tracing.ProbeGroup, System.Action`1<System.String>)",
            "ImportExporter_Greeter_TraceTick_Attach(Tracing.ProbeGroup, System.Action)",
            "ImportExporter_Greeter_TraceToken_Attach(Tracing.ProbeGroup, System.Action`1<Exporter.Greeter/Token>)",
            "ImportExporter_Orders_TracePlaced_Attach(Tracing.ProbeGroup, System.Action`3<System.Guid,System.Nullable`1<System.Decimal>,System.String[]>)",
        }));
    }

    [Test]
    public void TheExportEntryPointIsPublicButNotPartOfTheUsableApi()
    {
        using var exporter = ModuleDefinition.ReadModule(Fixtures.TestOutput("ImportExporter"));
        var exports = exporter.GetType("<TracingExports>");

        Assert.That(exports.IsPublic, Is.True, "importers call it without an access-check bypass");
        Assert.That(exports.Name, Does.StartWith("<"), "C# cannot name it");
        Assert.That(exports.CustomAttributes.Select(a => a.AttributeType.FullName), Does.Contain(typeof(CompilerGeneratedAttribute).FullName));
        Assert.That(exports.CustomAttributes.Where(a => a.AttributeType.Name == nameof(EditorBrowsableAttribute)).Select(a => a.ConstructorArguments[0].Value),
            Is.EqualTo(new object[] { (int)EditorBrowsableState.Never }));
        Assert.That(typeof(Greeter).Assembly.GetType("<TracingExports>")!.GetCustomAttributes(false).OfType<EditorBrowsableAttribute>().Single().State,
            Is.EqualTo(EditorBrowsableState.Never));
        Assert.That(exports.Methods.Where(m => m.IsPublic).Select(m => m.FullName), Is.EqualTo(new[]
        {
            "Tracing.Probe <TracingExports>::Attach(System.Int64,System.String,System.Int32,Tracing.ProbeGroup,System.Delegate)",
        }));
        // The tap factory for sinks (docs/design-decisions.md) is internal: the module initializer registers it.
        Assert.That(exports.Methods.Where(m => !m.IsPublic).Select(m => (m.FullName, m.IsAssembly)), Is.EqualTo(new[]
        {
            ("Tracing.Probe <TracingExports>::Tap(System.Int32,Tracing.ProbeGroup,Tracing.TraceEventSink,Tracing.TraceEventInfo)", true),
        }));
        var publicMembersElsewhere = exporter.Types.Where(t => t != exports && t.IsPublic)
            .SelectMany(t => t.Methods).Where(m => m.IsPublic).Select(m => m.FullName);
        Assert.That(publicMembersElsewhere, Is.EquivalentTo(new[]
        {
            "System.Void Exporter.Greeter::SayHello(System.String)",
            "System.Void Exporter.Greeter::RunSecret(System.Int32[])",
            "System.Void Exporter.Orders::Place(System.Guid,System.Nullable`1<System.Decimal>,System.String[])",
            "System.Void Exporter.Orders::.ctor()",
        }), "the weaver adds no public member to the exporter's own types");
    }

    [Test]
    public void AnEventOfAPrivateNestedClassIsReachedThroughInternalForwarders()
    {
        using var exporter = ModuleDefinition.ReadModule(Fixtures.TestOutput("ImportExporter"));
        var greeter = exporter.GetType("Exporter.Greeter");
        var secret = greeter.NestedTypes.Single(t => t.Name == "Secret");

        Assert.That(secret.IsNestedPrivate, Is.True);
        Assert.That(secret.Methods.Single(m => m.Name == "<TraceSecret>export").IsAssembly, Is.True);
        Assert.That(greeter.Methods.Single(m => m.Name == "<Secret><TraceSecret>export").IsAssembly, Is.True);
        Assert.That(CalledMethods(exporter.GetType("<TracingExports>").Methods.Single(m => m.Name == "Attach")), Does.Contain("Exporter.Greeter::<Secret><TraceSecret>export"));
        // The tap factory reaches it the same way.
        Assert.That(secret.Methods.Single(m => m.Name == "<TraceSecret>tap").IsAssembly, Is.True);
        Assert.That(greeter.Methods.Single(m => m.Name == "<Secret><TraceSecret>tap").IsAssembly, Is.True);
        Assert.That(CalledMethods(exporter.GetType("<TracingExports>").Methods.Single(m => m.Name == "Tap")), Does.Contain("Exporter.Greeter::<Secret><TraceSecret>tap"));
    }

    [Test]
    public void ANameKnownOnlyAtRunTimeIsResolvedByTheRuntime()
    {
        var heard = new List<string>();
        var pg = new ProbeGroup();
        Trace.Setup(() => ExporterProbes.AttachByName(pg, "ImportExporter:Exporter.Greeter.TraceHello", heard.Add));
        Greeter.SayHello("Kirr");
        pg.Done();

        Assert.That(heard, Is.EqualTo(new[] { "Kirr" }));
    }

    [Test]
    public void AnAssemblyAttachesToItsOwnEventByName()
    {
        var heard = new List<string>();
        var pg = new ProbeGroup();
        Trace.Setup(() => ExporterProbes.AttachOwn(pg, heard.Add));
        Relay.Greet("Varya");
        pg.Done();

        Assert.That(heard, Is.EqualTo(new[] { "Varya" }));
    }

    [Test]
    public void AnImportAccessorAttachesOnlyUnderTheLock()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ExporterProbes.AttachHello(null, _ => { }));

        Assert.That(error!.Message, Does.StartWith("Attaching a probe to Exporter.Greeter.TraceHello must be called under the trace lock"));
    }

    [Test]
    public void EveryWovenMethodCompiles()
    {
        Assert.DoesNotThrow(() => Fixtures.CompileEveryMethod(typeof(Greeter).Assembly));
        Assert.DoesNotThrow(() => Fixtures.CompileEveryMethod(typeof(ExporterProbes).Assembly));
    }

    static List<string> CalledMethods(MethodDefinition method) =>
        method.Body.Instructions
            .Where(i => i.OpCode == OpCodes.Call && i.Operand is MethodReference)
            .Select(i => (MethodReference)i.Operand)
            .Where(m => m.DeclaringType.Namespace is "Tracing" or "Importer" or "Exporter" or "")
            .Select(m => $"{m.DeclaringType.FullName}::{m.Name}")
            .ToList();
}
