using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using ICSharpCode.Decompiler;
using ICSharpCode.Decompiler.CSharp;
using ICSharpCode.Decompiler.Metadata;
using ICSharpCode.Decompiler.TypeSystem;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NUnit.Framework;

namespace Tracing.Fody.Tests;

/// <summary>The woven code itself: valid IL, the shape it was meant to have, debug information, determinism.</summary>
public class WovenCodeTests
{
    [Test]
    public void EveryMethodOfTheWovenFixtureCompilesToMachineCode()
    {
        const BindingFlags All = BindingFlags.DeclaredOnly | BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var prepared = 0;
        foreach (var type in Woven.Assembly.GetTypes().Where(t => !t.ContainsGenericParameters))
        {
            foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
            {
                if (method.IsAbstract || method.ContainsGenericParameters || method.GetMethodBody() is null) continue;
                Assert.DoesNotThrow(() => RuntimeHelpers.PrepareMethod(method.MethodHandle), $"{type.FullName}.{method.Name}");
                prepared++;
            }
        }
        Assert.That(prepared, Is.GreaterThan(50));
    }

    [TestCase("Hello", "SayHello", TestName = "ACallSiteChecksTheHeadAndSkipsItsArguments")]
    [TestCase("Hello", "TraceHello", TestName = "TheEventBodyBecomesTheDispatch")]
    [TestCase("Hello", "TraceHello_Attach", TestName = "TheAttachMethodIsGeneratedBesideTheEvent")]
    [TestCase("CallShapes", "Conditional", TestName = "ConditionalArgumentsAreSkippedWhole")]
    [TestCase("CallShapes", "Switches", TestName = "SwitchExpressionArgumentsAreSkippedWhole")]
    [TestCase("Scenarios", "AttachHelloProbes", TestName = "TraceAttachBecomesADirectCallOfTheAttachMethod")]
    public void DecompiledWovenCodeMatchesItsSnapshot(string type, string method) =>
        Snapshot.Verify($"{type}.{method}", Decompile(type, method));

    [Test]
    public void TraceAttachOfALocalDelegateIsLeftToTheRuntime()
    {
        var code = Decompile("Scenarios", "AttachThroughLocal");
        Assert.That(code, Does.Contain("Trace.Attach(null, traceEvent, "));
    }

    [Test]
    public void WeavingTheSameInputInTwoProcessesGivesTheSameBytes()
    {
        // Same output path both times: the assembly records its PDB's path.
        var input = TestWeaving.FixturePath("AssemblyToProcess");
        var output = Path.Combine(AppContext.BaseDirectory, "determinism", "AssemblyToProcess.dll");
        var pdb = Path.ChangeExtension(output, "pdb");

        // Once in this process, which has woven and loaded other assemblies before...
        DeleteFiles(output, pdb);
        var result = TestWeaving.Weave(input, output);
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.OutputPath, Is.EqualTo(output));
        var (firstAssembly, firstSymbols) = (File.ReadAllBytes(output), File.ReadAllBytes(pdb));

        // ...and once in a new process, with nothing loaded and other hash seeds.
        DeleteFiles(output, pdb);
        var self = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { self, "weave", input, output }) start.ArgumentList.Add(arg);
        using (var process = Process.Start(start)!)
        {
            var errors = process.StandardError.ReadToEndAsync();
            Assert.That(process.WaitForExit(120_000), Is.True, "the weaving process did not finish");
            Assert.That(process.ExitCode, Is.Zero, errors.Result);
        }

        Assert.That(File.ReadAllBytes(output), Is.EqualTo(firstAssembly));
        Assert.That(File.ReadAllBytes(pdb), Is.EqualTo(firstSymbols));
    }

    static void DeleteFiles(params string[] paths)
    {
        foreach (var path in paths.Where(File.Exists)) File.Delete(path);
    }

    [Test]
    public void EachTraceCallLineKeepsItsSequencePointOnTheCheck()
    {
        var source = File.ReadAllLines(Path.Combine(TestWeaving.RepositoryRoot, "AssemblyToProcess", "CallShapes.cs"));
        using var module = ModuleDefinition.ReadModule(Woven.Assembly.Location, new ReaderParameters { ReadSymbols = true });
        var method = module.GetType("AssemblyToProcess.CallShapes").Methods.Single(m => m.Name == "Straight");
        var points = method.DebugInformation.GetSequencePointMapping();
        var checks = method.Body.Instructions.Where(i => i.OpCode == OpCodes.Ldsfld && ((FieldReference)i.Operand).Name.EndsWith(">probes")).ToList();

        Assert.That(checks, Has.Count.EqualTo(3));
        var lines = checks.Select(check => points.TryGetValue(check, out var point) ? source[point.StartLine - 1].Trim() : "(no sequence point)");
        Assert.That(lines, Is.EqualTo(new[]
        {
            "Events.TraceText(Effects.Text(\"straight\"));",
            "Events.TracePair(Effects.Text(\"pair\"), Effects.Next());",
            "Events.TraceNothing();",
        }));
        Assert.That(method.DebugInformation.Scope.Variables.Select(v => v.Name), Does.Contain("y"), "locals keep their names");
    }

    [Test]
    public void WeavingAddsNoAssemblyReference()
    {
        static string[] References(string path)
        {
            using var module = ModuleDefinition.ReadModule(path);
            return module.AssemblyReferences.Select(r => r.FullName).OrderBy(n => n).ToArray();
        }
        Assert.That(References(Woven.Assembly.Location), Is.EqualTo(References(TestWeaving.FixturePath("AssemblyToProcess"))));
    }

    static string Decompile(string type, string method)
    {
        var settings = new DecompilerSettings { ThrowOnAssemblyResolveErrors = true, ShowXmlDocumentation = false };
        var resolver = new UniversalAssemblyResolver(Woven.Assembly.Location, true, ".NETCoreApp,Version=v10.0");
        resolver.AddSearchDirectory(AppContext.BaseDirectory);
        var decompiler = new CSharpDecompiler(Woven.Assembly.Location, resolver, settings);
        var definition = decompiler.TypeSystem.MainModule.GetTypeDefinition(new FullTypeName("AssemblyToProcess." + type))!;
        var member = definition.Methods.Single(m => m.Name == method);
        return decompiler.DecompileAsString(member.MetadataToken);
    }
}
