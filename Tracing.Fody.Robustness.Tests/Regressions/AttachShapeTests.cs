using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NUnit.Framework;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>
/// <c>Trace.Attach</c> whose event argument is not one method group on every path to the call.
/// Regression: the weaver removed the delegate creation on one branch only, and the method
/// failed to JIT (InvalidProgramException), with or without probes.
/// </summary>
[TestFixture]
public sealed class AttachShapeTests
{
    const string Source = """
        using System;
        using System.Collections.Generic;
        using Tracing;
        namespace Snippet;
        public static class C
        {
            static Action<int>? Chosen(bool some) => some ? E.T3 : null;

            public static string Conditional(bool useT1) =>
                Fire(pg => Trace.Attach<Action<int>>(pg, useT1 ? E.T1 : E.T3, a => s_seen.Add("probe " + a)));

            public static string Coalescing(bool some) =>
                Fire(pg => Trace.Attach(pg, Chosen(some) ?? E.T1, a => s_seen.Add("probe " + a)));

            public static string NameByConditional(bool useT1) =>
                Fire(pg => Trace.Attach(pg, useT1 ? "Snippet.E.T1" : "Snippet.E.T3", (int a) => s_seen.Add("probe " + a)));

            public static string Plain() =>
                Fire(pg => Trace.Attach(pg, E.T3, a => s_seen.Add("probe " + a)));

            public static string PlainByName() =>
                Fire(pg => Trace.Attach(pg, "Snippet.E.T3", (int a) => s_seen.Add("probe " + a)));

            static readonly List<string> s_seen = new();

            static string Fire(Action<ProbeGroup> attach)
            {
                s_seen.Clear();
                var pg = new ProbeGroup();
                Trace.Lock();
                try { attach(pg); }
                finally { Trace.Unlock(); }
                E.T1(1);
                E.T3(3);
                pg.Done();
                return string.Join(",", s_seen);
            }
        }
        """;

    [Test]
    public void AnEventChosenAtRunTimeIsAttachedByTheRuntime([Values] bool optimize, [Values(Weaving.Lazy, Weaving.Eager)] string config)
    {
        var woven = Snippets.Weave(Source, optimize, config: config);
        Assert.That(woven.Errors, Is.Empty);
        Assert.That(woven.Warnings, Is.Empty);
        var results = Snippets.Run(woven, assembly => new[]
        {
            Snippets.Call(assembly, "Conditional", true), Snippets.Call(assembly, "Conditional", false),
            Snippets.Call(assembly, "Coalescing", true), Snippets.Call(assembly, "Coalescing", false),
            Snippets.Call(assembly, "NameByConditional", true), Snippets.Call(assembly, "NameByConditional", false),
            Snippets.Call(assembly, "Plain"), Snippets.Call(assembly, "PlainByName"),
        });
        Assert.That(results, Is.EqualTo(new[] { "probe 1", "probe 3", "probe 3", "probe 1", "probe 1", "probe 3", "probe 3", "probe 3" }));
    }

    [Test]
    public void OnlyTheAttachesWhoseEventIsKnownAreCompiledIntoAttachMethods([Values] bool optimize)
    {
        var woven = Snippets.Weave(Source, optimize);
        var module = Weaving.Read(woven.RequirePe(), null, Snippets.References, out var resolver);
        using (resolver)
        using (module)
        {
            string Calls(string lambdaOf) =>
                string.Join(",", module.GetTypes().SelectMany(t => t.Methods)
                    .Where(m => m.HasBody && m.Name.StartsWith("<" + lambdaOf + ">"))
                    .SelectMany(m => m.Body.Instructions)
                    .Where(i => i.OpCode.Code == Code.Call && i.Operand is MethodReference { Name: "Attach" or "T1_Attach" or "T3_Attach" })
                    .Select(i => ((MethodReference)i.Operand).Name));
            Assert.That(Calls("Conditional"), Is.EqualTo("Attach"));
            Assert.That(Calls("Coalescing"), Is.EqualTo("Attach"));
            Assert.That(Calls("NameByConditional"), Is.EqualTo("Attach"));
            Assert.That(Calls("Plain"), Is.EqualTo("T3_Attach"));
            Assert.That(Calls("PlainByName"), Is.EqualTo("T3_Attach"));
        }
    }
}
