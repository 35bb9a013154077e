using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Fody;
using Mistakes;
using Mono.Cecil;
using NUnit.Framework;
using Tracing.Fody;

namespace Tracing.Import.Tests;

/// <summary>
/// Each mistake of by-name attaching is a build error at its call, with file and line, naming
/// the event's real signature; an importer that is not woven gets the same words at run time.
/// </summary>
public class BuildErrorTests
{
    const string Suggestion = " `tracing list <assembly>` prints the events of an assembly.";

    /// <summary>ImportErrors/ByName.cs: method, line of its call, message.</summary>
    static readonly (string Method, int Line, string Message)[] Mistakes =
    {
        (nameof(ByName.Typo), 12,
            "Trace.Attach: there is no trace event \"Exporter.Greeter.TraceHelo\" in ImportErrors or the assemblies it imports (ImportExporter). " +
            "Did you mean ImportExporter:Exporter.Greeter.TraceHello(string who)?" + Suggestion),
        (nameof(ByName.WrongProbeType), 17,
            "Trace.Attach: the probes of ImportExporter:Exporter.Greeter.TraceCount(int n, string what) are Action<int, string>, " +
            "not Action<string, string>. Pass a lambda or method group of type Action<int, string>."),
        (nameof(ByName.WrongType), 22,
            "Trace.Attach: there is no trace event \"Exporter.Orders.TraceHello\" in ImportErrors or the assemblies it imports (ImportExporter). " +
            "Did you mean ImportExporter:Exporter.Greeter.TraceHello(string who)?" + Suggestion),
        (nameof(ByName.AssemblyNotImported), 27,
            "Trace.Attach: \"Tracing.Runtime:Tracing.Trace.Lock\" looks in Tracing.Runtime, which ImportErrors does not import: " +
            "add [assembly: Trace.Import(\"Tracing.Runtime\")]."),
        (nameof(ByName.NoSuchEvent), 32,
            "Trace.Attach: there is no trace event \"Exporter.Greeter.TraceGoodbye\" in ImportExporter." + Suggestion),
    };

    [Test]
    public void EachMistakeIsABuildErrorAtItsCall()
    {
        var result = Weave();

        Assert.That(result.Errors.Select(e => (e.Text, File: Path.GetFileName(e.SequencePoint?.Document.Url), Line: e.SequencePoint?.StartLine)),
            Is.EqualTo(Mistakes.Select(m => (m.Message, (string?)"ByName.cs", (int?)m.Line))));
    }

    [TestCaseSource(nameof(MistakeNames))]
    public void AnImporterThatIsNotWovenGetsTheSameMessageWhenTheCallRuns(string method)
    {
        var expected = Mistakes.Single(m => m.Method == method).Message;
        var attach = typeof(ByName).GetMethod(method)!.CreateDelegate<Func<ProbeGroup?, Probe>>();

        var error = CallUnderLock(attach);

        Assert.That(error, Is.InstanceOf(method == nameof(ByName.WrongProbeType) ? typeof(InvalidOperationException) : typeof(ArgumentException)));
        Assert.That(error.Message, Is.EqualTo(expected));
    }

    static IEnumerable<string> MistakeNames() => Mistakes.Select(m => m.Method);

    [Test]
    public void ImportingAnAssemblyThatIsNotReferencedIsABuildError()
    {
        var result = Weave(module => ReplaceImport(module, "NoSuchAssembly"));

        Assert.That(result.Errors[0].Text, Is.EqualTo(
            "ImportErrors imports NoSuchAssembly ([assembly: Trace.Import(\"NoSuchAssembly\")]), but references no assembly of that name. " +
            "Add a reference to the project or package that builds NoSuchAssembly."));
        Assert.That(result.Errors[0].SequencePoint, Is.Null, "an assembly attribute has no source position");
    }

    [Test]
    public void ImportingAnAssemblyThatIsNotWovenIsABuildError()
    {
        var result = Weave(module => ReplaceImport(module, "Tracing.Runtime"));

        Assert.That(result.Errors[0].Text, Is.EqualTo(
            "ImportErrors imports Tracing.Runtime ([assembly: Trace.Import(\"Tracing.Runtime\")]), but Tracing.Runtime was not woven by Tracing.Fody, " +
            "so it records no trace events. Reference the Tracing.Fody package in Tracing.Runtime and list <Tracing /> in its FodyWeavers.xml."));
    }

    [Test]
    public void AnAssemblyThatImportsItselfIsABuildError()
    {
        var result = Weave(module => ReplaceImport(module, "ImportErrors"));

        Assert.That(result.Errors[0].Text, Is.EqualTo(
            "ImportErrors imports itself ([assembly: Trace.Import(\"ImportErrors\")]): its own events are attached by name without it. Remove the attribute."));
    }

    [Test]
    public void AnImporterThatIsNotWovenIsToldWhenAnImportIsNotWoven()
    {
        var result = Weave(module => ReplaceImport(module, "Tracing.Runtime"));
        var attach = result.Assembly.GetType("Mistakes.ByName")!.GetMethod(nameof(ByName.Typo))!.CreateDelegate<Func<ProbeGroup?, Probe>>();

        var error = CallUnderLock(attach);

        Assert.That(error, Is.InstanceOf<InvalidOperationException>());
        Assert.That(error.Message, Is.EqualTo("Trace.Attach: " + result.Errors[0].Text));
    }

    [Test]
    public void AnImporterThatIsNotWovenIsToldWhenAnImportCannotBeLoaded()
    {
        var result = Weave(module => ReplaceImport(module, "NoSuchAssembly"));
        var attach = result.Assembly.GetType("Mistakes.ByName")!.GetMethod(nameof(ByName.Typo))!.CreateDelegate<Func<ProbeGroup?, Probe>>();

        var error = CallUnderLock(attach);

        Assert.That(error, Is.InstanceOf<InvalidOperationException>());
        Assert.That(error.Message, Does.StartWith(
            "Trace.Attach: ImportErrors imports NoSuchAssembly ([assembly: Trace.Import(\"NoSuchAssembly\")]), but NoSuchAssembly cannot be loaded: "));
        Assert.That(error.InnerException, Is.InstanceOf<FileNotFoundException>());
    }

    [Test]
    public void NothingIsWovenWhenThereIsAnError()
    {
        var result = Weave();

        Assert.That(result.Assembly.GetType("<TracingImports>"), Is.Null);
        Assert.That(Trace.IsWoven(result.Assembly), Is.False);
    }

    [Test]
    public void ANameThatTwoAssembliesDeclareIsABuildErrorThatSaysHowToChoose()
    {
        var result = Weave(module =>
        {
            // ImportErrors gets an event of its own that ImportExporter's Exporter.Greeter.TraceHello also names.
            var greeter = new TypeDefinition("Exporter", "Greeter", StaticClass | Mono.Cecil.TypeAttributes.NotPublic, module.TypeSystem.Object);
            module.Types.Add(greeter);
            AddEvent(module, greeter, "TraceHello", module.TypeSystem.String);
            var typo = module.GetType("Mistakes.ByName").Methods.Single(m => m.Name == nameof(ByName.Typo));
            typo.Body.Instructions.Single(i => i.Operand as string == "Exporter.Greeter.TraceHelo").Operand = "Exporter.Greeter.TraceHello";
        });

        Assert.That(result.Errors[0].Text, Is.EqualTo(
            "Trace.Attach: \"Exporter.Greeter.TraceHello\" names trace events of ImportErrors and ImportExporter: " +
            "write \"ImportErrors:Exporter.Greeter.TraceHello\" or \"ImportExporter:Exporter.Greeter.TraceHello\"."));
        Assert.That(result.Errors[0].SequencePoint?.StartLine, Is.EqualTo(12));
    }

    [Test]
    public void TwoEventsThatOneFullNameSpellsAreABuildErrorAtBoth()
    {
        // Not writable in C# (a namespace and a type of one name); possible in IL: Same.Outer+Inner and Same.Outer.Inner.
        var result = Weave(module =>
        {
            var outer = new TypeDefinition("Same", "Outer", StaticClass | Mono.Cecil.TypeAttributes.Public, module.TypeSystem.Object);
            var nested = new TypeDefinition("", "Inner", StaticClass | Mono.Cecil.TypeAttributes.NestedPublic, module.TypeSystem.Object);
            var flat = new TypeDefinition("Same.Outer", "Inner", StaticClass | Mono.Cecil.TypeAttributes.Public, module.TypeSystem.Object);
            outer.NestedTypes.Add(nested);
            module.Types.Add(outer);
            module.Types.Add(flat);
            AddEvent(module, nested, "TraceSame");
            AddEvent(module, flat, "TraceSame");
        });

        const string Message = "Trace event Same.Outer.Inner.TraceSame has the same full name as another trace event of this assembly " +
            "(a nested type and a namespace spell it alike), so it cannot be attached by name. Rename one of them.";
        Assert.That(result.Errors.Select(e => e.Text).Where(t => t.StartsWith("Trace event Same.")), Is.EqualTo(new[] { Message, Message }));
    }

    const Mono.Cecil.TypeAttributes StaticClass = Mono.Cecil.TypeAttributes.Abstract | Mono.Cecil.TypeAttributes.Sealed | Mono.Cecil.TypeAttributes.Class;

    /// <summary>Adds <c>[Trace.Event] static void name(parameters) { }</c> to <paramref name="type"/>.</summary>
    static void AddEvent(ModuleDefinition module, TypeDefinition type, string name, params TypeReference[] parameters)
    {
        var method = new MethodDefinition(name, Mono.Cecil.MethodAttributes.Static | Mono.Cecil.MethodAttributes.Assembly, module.TypeSystem.Void);
        for (var i = 0; i < parameters.Length; i++) method.Parameters.Add(new ParameterDefinition("p" + i, Mono.Cecil.ParameterAttributes.None, parameters[i]));
        method.Body.GetILProcessor().Emit(Mono.Cecil.Cil.OpCodes.Ret);
        method.CustomAttributes.Add(new CustomAttribute(module.ImportReference(typeof(Trace.EventAttribute).GetConstructor(Type.EmptyTypes))));
        type.Methods.Add(method);
    }

    static TestResult Weave(Action<ModuleDefinition>? before = null) =>
        new ModuleWeaver().ExecuteTestRun(Fixtures.TestOutput("ImportErrors"), runPeVerify: false, beforeExecuteCallback: before);

    static void ReplaceImport(ModuleDefinition module, string assemblyName)
    {
        var import = module.Assembly.CustomAttributes.Single(a => a.AttributeType.Name == "ImportAttribute");
        import.ConstructorArguments[0] = new CustomAttributeArgument(module.TypeSystem.String, assemblyName);
    }

    static Exception CallUnderLock(Func<ProbeGroup?, Probe> attach)
    {
        Trace.Lock();
        try
        {
            return Assert.Catch(() => attach(null))!;
        }
        finally
        {
            Trace.Unlock();
        }
    }
}
