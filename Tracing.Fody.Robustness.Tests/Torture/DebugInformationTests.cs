using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NUnit.Framework;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>
/// Debug information survives weaving: every statement keeps its sequence point (breakpoints on
/// trace-call lines still bind), locals keep their names and scopes, and weaving is deterministic.
/// </summary>
[TestFixture]
public sealed class DebugInformationTests
{
    [TestCaseSource(typeof(Variant), nameof(Variant.All))]
    public void EveryTraceCallLineKeepsItsSequencePoint(Variant variant)
    {
        var build = TortureBuild.Of(variant);
        var problems = new List<string>();
        var traceCalls = 0;
        Compare(build, (input, woven) =>
        {
            var before = Points(input);
            var after = Points(woven);
            if (!before.SequenceEqual(after))
                problems.Add($"{input.FullName}: sequence points {string.Join(" ", before.Except(after))} became {string.Join(" ", after.Except(before))}");
            // Each trace call's statement is marked, in the woven body, at the null check that now starts it.
            foreach (var call in TraceCalls(input))
            {
                traceCalls++;
                var line = Diagnostics.PointOf(input, call)!.StartLine;
                var statement = woven.DebugInformation.SequencePoints.Where(p => !p.IsHidden && p.StartLine == line).ToList();
                if (statement.Count == 0) problems.Add($"{input.FullName}: line {line} lost its sequence point");
            }
        });
        Assert.That(problems, Is.Empty);
        Assert.That(traceCalls, Is.GreaterThan(300));
    }

    [TestCaseSource(typeof(Variant), nameof(Variant.All))]
    public void LazyCallSitesStartAtTheirStatementsSequencePoint(Variant variant)
    {
        // A breakpoint on a trace call's line stops before the check, like one on `if (…) Trace(…)`.
        var build = TortureBuild.Of(variant);
        var problems = new List<string>();
        var checks = 0;
        Compare(build, (_, woven) =>
        {
            var map = woven.DebugInformation.GetSequencePointMapping();
            foreach (var check in woven.Body.Instructions.Where(IsCheck))
            {
                checks++;
                // A hidden call's statement has a hidden point: its check carries that one.
                var hiddenOnPurpose = woven.DeclaringType.Name == "LineDirectives" && woven.Name.StartsWith("Hidden");
                if (!map.TryGetValue(check, out var point) || (point.IsHidden && !hiddenOnPurpose))
                    problems.Add($"{woven.FullName}: the check at IL_{check.Offset:x4} does not carry its statement's sequence point");
            }
        });
        Assert.That(problems, Is.Empty);
        Assert.That(checks, Is.GreaterThan(300));
    }

    [TestCaseSource(typeof(Variant), nameof(Variant.All))]
    public void LocalsKeepTheirNamesAndScopes(Variant variant)
    {
        var build = TortureBuild.Of(variant);
        var problems = new List<string>();
        var named = 0;
        Compare(build, (input, woven) =>
        {
            var before = Scopes(input);
            var after = Scopes(woven);
            named += before.Count(s => s.Contains('='));
            if (!before.SequenceEqual(after)) problems.Add($"{input.FullName}: {string.Join(", ", before)} became {string.Join(", ", after)}");
            if (input.Body.Variables.Count != woven.Body.Variables.Count) problems.Add($"{input.FullName}: the number of locals changed");
        });
        Assert.That(problems, Is.Empty);
        Assert.That(named, Is.GreaterThan(100));
    }

    [TestCaseSource(typeof(Variant), nameof(Variant.All))]
    public void WeavingTwiceGivesIdenticalBytes(Variant variant)
    {
        var build = TortureBuild.Of(variant);
        var again = Weaving.Weave(build.InputPe, build.InputPdb, build.Facts.References, Weaving.Lazy);
        Assert.That(again.RequirePe(), Is.EqualTo(build.WovenLazy.RequirePe())); // both woven, without errors
        Assert.That(again.Pdb, Is.Not.Null);
        Assert.That(again.Pdb, Is.EqualTo(build.WovenLazy.Pdb));
    }

    /// <summary>Calls <paramref name="compare"/> with each method of the input and its woven self (lazy), except the events.</summary>
    static void Compare(TortureBuild build, System.Action<MethodDefinition, MethodDefinition> compare)
    {
        var input = Weaving.Read(build.InputPe, build.InputPdb, build.Facts.References, out var inputResolver);
        var woven = Weaving.Read(build.WovenLazy.RequirePe(), build.WovenLazy.Pdb, build.Facts.References, out var wovenResolver);
        using (inputResolver)
        using (wovenResolver)
        using (input)
        using (woven)
        {
            var wovenMethods = woven.GetTypes().SelectMany(t => t.Methods).ToDictionary(m => m.FullName);
            foreach (var method in input.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody && !IsEvent(m)))
                compare(method, wovenMethods[method.FullName]);
        }
    }

    static bool IsEvent(MethodDefinition method) => method.CustomAttributes.Any(a => a.AttributeType.Name == "EventAttribute");

    static IEnumerable<Instruction> TraceCalls(MethodDefinition method) =>
        method.Body.Instructions.Where(i => i.OpCode.Code == Code.Call && i.Operand is MethodDefinition callee && IsEvent(callee));

    static List<string> Points(MethodDefinition method) =>
        method.DebugInformation.SequencePoints.Select(p => p.IsHidden ? "hidden" : $"{p.StartLine}:{p.StartColumn}-{p.EndLine}:{p.EndColumn}").ToList();

    /// <summary>Every scope's locals and constants, in order, with the instruction each scope starts at.</summary>
    static List<string> Scopes(MethodDefinition method)
    {
        var result = new List<string>();
        void Visit(ScopeDebugInformation? scope, int depth)
        {
            if (scope is null) return;
            result.Add($"scope{depth}@{Describe(method, scope.Start)}..{Describe(method, scope.End)}");
            foreach (var variable in scope.Variables) result.Add($"{variable.Name}={variable.Index}");
            foreach (var constant in scope.Constants) result.Add($"const {constant.Name}");
            foreach (var inner in scope.Scopes) Visit(inner, depth + 1);
        }
        Visit(method.DebugInformation.Scope, 0);
        return result;
    }

    // A scope boundary, as the index of the first original instruction at or after it (the
    // instructions weaving inserted are not counted).
    static string Describe(MethodDefinition method, InstructionOffset offset)
    {
        if (offset.IsEndOfMethod) return "end";
        var ordinal = 0;
        foreach (var instruction in method.Body.Instructions)
        {
            if (instruction.Offset >= offset.Offset && !IsInserted(instruction)) return "#" + ordinal;
            if (!IsInserted(instruction)) ordinal++;
        }
        return "end";
    }

    static bool IsCheck(Instruction instruction) =>
        instruction.OpCode.Code == Code.Ldsfld && instruction.Operand is FieldReference { Name: var name } && name.EndsWith(">probes");

    static bool IsInserted(Instruction instruction) =>
        IsCheck(instruction) ||
        (instruction.OpCode.FlowControl == FlowControl.Cond_Branch && instruction.Previous is { OpCode.Code: Code.Ldsfld } previous && IsInserted(previous)) ||
        (instruction.OpCode.Code is Code.Pop or Code.Br or Code.Br_S && IsAfterCheck(instruction));

    static bool IsAfterCheck(Instruction instruction)
    {
        for (var i = instruction.Previous; i is not null; i = i.Previous)
        {
            if (i.OpCode.Code is Code.Pop) continue;
            return i.OpCode.FlowControl == FlowControl.Cond_Branch && i.Previous is { OpCode.Code: Code.Ldsfld } check && IsInserted(check);
        }
        return false;
    }
}
