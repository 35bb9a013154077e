using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NUnit.Framework;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>
/// Stronger checks of the woven IL than running it: every method is JIT-compiled, every body has
/// a consistent evaluation stack, and the woven assembly survives a Cecil write/read unchanged.
/// </summary>
[TestFixture]
public sealed class IlCheckTests
{
    public static IEnumerable<TestCaseData> Builds() =>
        Variant.All.SelectMany(v => new[] { Flavor.WovenLazy, Flavor.WovenEager }.Select(f => new TestCaseData(v, f).SetArgDisplayNames(v.ToString(), f.ToString())));

    [TestCaseSource(nameof(Builds))]
    public void EveryWovenMethodIsJitCompiled(Variant variant, Flavor flavor)
    {
        var build = TortureBuild.Of(variant);
        var prepared = FixtureLoadContext.With("jit", build.Facts.Directory, build.Pe(flavor), null, assembly =>
        {
            Fuzz.FuzzRunner.PrepareEveryMethod(assembly);
            return assembly.GetTypes().Length;
        });
        Assert.That(prepared, Is.GreaterThan(50));
    }

    [TestCaseSource(nameof(Builds))]
    public void EveryWovenBodyHasAConsistentStack(Variant variant, Flavor flavor)
    {
        var build = TortureBuild.Of(variant);
        var woven = build.Pe(flavor);
        var module = Weaving.Read(woven, null, build.Facts.References, out var resolver);
        using (resolver)
        using (module)
        {
            var problems = new List<string>();
            var checkedBodies = 0;
            foreach (var method in module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
            {
                checkedBodies++;
                var problem = StackProblem(method);
                if (problem is not null) problems.Add($"{method.FullName}: {problem}");
            }
            Assert.That(problems, Is.Empty);
            Assert.That(checkedBodies, Is.GreaterThan(500));
        }
    }

    /// <summary>
    /// The weaver's own stack analysis (it throws on a join with two depths), plus what the JIT
    /// does not check everywhere: nothing but the return value is left at <c>ret</c>, and the
    /// stack is empty at <c>leave</c> targets, <c>endfinally</c> and every exception block start.
    /// </summary>
    static string? StackProblem(MethodDefinition method)
    {
        StackDepths depths;
        try
        {
            depths = new StackDepths(method.Body);
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
        foreach (var instruction in method.Body.Instructions)
        {
            var depth = depths.DepthBefore(instruction);
            if (depth < 0) continue; // unreachable
            switch (instruction.OpCode.Code)
            {
                case Code.Ret when depth != (StackDepths.IsVoid(method.ReturnType) ? 0 : 1):
                    return $"IL_{instruction.Offset:x4}: ret with {depth} values on the stack";
                case Code.Endfinally when depth != 0:
                    return $"IL_{instruction.Offset:x4}: endfinally with {depth} values on the stack";
            }
            if (Pops(instruction, method) > depth) return $"IL_{instruction.Offset:x4}: {instruction.OpCode} pops more than the {depth} values on the stack";
        }
        foreach (var handler in method.Body.ExceptionHandlers)
        {
            if (depths.DepthBefore(handler.TryStart) > 0) return $"a try block starts at IL_{handler.TryStart.Offset:x4} with values on the stack";
        }
        return null;
    }

    static int Pops(Instruction instruction, MethodDefinition method) =>
        instruction.OpCode.Code is Code.Leave or Code.Leave_S ? 0 : StackDepths.Pops(instruction, method);

    /// <remarks>
    /// Cecil's first write of an assembly lays out again the method bodies that Roslyn shared
    /// between methods, so the woven bytes and those of their first round trip differ in layout;
    /// their content must not, and from then on the bytes are a fixed point.
    /// </remarks>
    [TestCaseSource(nameof(Builds))]
    public void WovenAssembliesRoundTripThroughCecilUnchanged(Variant variant, Flavor flavor)
    {
        var build = TortureBuild.Of(variant);
        var woven = flavor == Flavor.WovenLazy ? build.WovenLazy : build.WovenEager;
        var (once, oncePdb, wovenText, onceText) = RoundTrip(woven.RequirePe(), woven.Pdb, build);
        Assert.That(onceText, Is.EqualTo(wovenText), "a Cecil write/read changed the woven assembly");
        var (twice, twicePdb, _, _) = RoundTrip(once, oncePdb, build);
        Assert.That(twice, Is.EqualTo(once));
        Assert.That(twicePdb, Is.EqualTo(oncePdb));
    }

    static (byte[] Pe, byte[]? Pdb, string Before, string After) RoundTrip(byte[] pe, byte[]? pdb, TortureBuild build)
    {
        var module = Weaving.Read(pe, pdb, build.Facts.References, out var resolver);
        using (resolver)
        using (module)
        {
            var before = ModuleDump.Text(module);
            var (written, writtenPdb) = Weaving.Write(module, withSymbols: true);
            var again = Weaving.Read(written, writtenPdb, build.Facts.References, out var againResolver);
            using (againResolver)
            using (again)
                return (written, writtenPdb, before, ModuleDump.Text(again));
        }
    }
}
