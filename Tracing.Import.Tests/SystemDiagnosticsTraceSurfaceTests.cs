using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NUnit.Framework;

namespace Tracing.Import.Tests;

/// <summary>
/// The Trace alias (<c>global using Trace = Tracing.Trace;</c>, which Tracing.Fody adds) must take
/// nothing away from code written against <c>System.Diagnostics.Trace</c>: Tracing.Trace has each
/// of its public static members, with the same signature, the same <c>[Conditional("TRACE")]</c>
/// and the same annotations, and forwards to it. Checked for each build of the runtime against
/// System.Diagnostics.Trace of that target framework, found by reflection (so a member that .NET
/// adds fails the test), by compiling a file that uses every member with and without the alias
/// and with and without <c>using Tracing;</c> and TRACE, and by running the forwarders.
/// </summary>
[NonParallelizable]
public class SystemDiagnosticsTraceSurfaceTests
{
    public static readonly string[] Frameworks = { "netstandard2.0", "net8.0", "net10.0" };

    [TestCaseSource(nameof(Frameworks))]
    public void TracingTraceHasEveryPublicStaticMemberOfSystemDiagnosticsTrace(string framework)
    {
        var build = RuntimeBuild.Of(framework);
        using var system = build.SystemTrace();
        using var runtime = ModuleDefinition.ReadModule(build.Runtime);
        var tracing = runtime.GetType("Tracing.Trace");

        var expected = Surface(system.Type, exact: true);
        var missing = expected.Except(Surface(tracing, exact: true)).ToList();

        Assert.That(expected, Has.Count.GreaterThan(35), $"System.Diagnostics.Trace of {framework} was read");
        Assert.That(missing, Is.Empty, $"members of System.Diagnostics.Trace ({framework}) that Tracing.Trace ({framework}) lacks or declares differently");
    }

    /// <summary>
    /// A project on a newer .NET than the runtime's newest build compiles against that build: a
    /// member .NET added since must fail here (then add that framework to Tracing.Runtime).
    /// Compared by signature and [Conditional] only: a .NET newer than the newest build may change
    /// attributes that build cannot have without changing its own callers (as .NET 10 gave
    /// <c>Assert(bool, string)</c> a <c>[CallerArgumentExpression]</c> default, which the net8.0
    /// build does not have and the net10.0 build has).
    /// </summary>
    [Test]
    public void TheNewestBuildHasEveryMemberOfSystemDiagnosticsTraceOfThisDotNet()
    {
        using var system = ModuleDefinition.ReadModule(typeof(System.Diagnostics.Trace).Assembly.Location);
        using var runtime = ModuleDefinition.ReadModule(RuntimeBuild.Of(Frameworks[^1]).Runtime);

        var missing = Surface(system.GetType("System.Diagnostics.Trace"), exact: false)
            .Except(Surface(runtime.GetType("Tracing.Trace"), exact: false)).ToList();

        Assert.That(missing, Is.Empty, $"members of System.Diagnostics.Trace on .NET {Environment.Version} that Tracing.Trace ({Frameworks[^1]}) lacks");
    }

    /// <summary>
    /// A file that uses every member of System.Diagnostics.Trace compiles with the same diagnostics
    /// and into the same calls whether <c>Trace</c> means System.Diagnostics.Trace (no Tracing) or
    /// Tracing.Trace through the alias, with or without <c>using Tracing;</c>, with or without
    /// TRACE defined; and, for C# before 10 (no global alias), with the file alias the README gives.
    /// </summary>
    [TestCaseSource(nameof(Frameworks))]
    public void CodeUsingSystemDiagnosticsTraceCompilesTheSameWithTheAlias(string framework)
    {
        var build = RuntimeBuild.Of(framework);
        List<string> members;
        using (var system = build.SystemTrace())
            members = UsageLines(system.Type).ToList();

        foreach (var trace in new[] { true, false })
        {
            var plain = Compile(build, trace, LanguageVersion.Latest, withRuntime: false, members, "using System.Diagnostics;");
            Assert.That(plain.Errors, Is.Empty, $"the usage file compiles against System.Diagnostics.Trace ({framework})");
            Assert.That(plain.Calls.Where(c => c.StartsWith("System.Void System.Diagnostics.Trace::WriteLine")), trace ? Is.Not.Empty : Is.Empty,
                "WriteLine is called where TRACE is defined, and only there");

            var variants = new (string Name, LanguageVersion Language, string Header)[]
            {
                ("alias", LanguageVersion.Latest, "global using Trace = Tracing.Trace;\nusing System.Diagnostics;"),
                ("alias and using Tracing", LanguageVersion.Latest, "global using Trace = Tracing.Trace;\nusing System.Diagnostics;\nusing Tracing;"),
                ("C# 7.3, file alias", LanguageVersion.CSharp7_3, "using System.Diagnostics;\nusing Tracing;\nusing Trace = Tracing.Trace;"),
            };
            foreach (var (name, language, header) in variants)
            {
                var reference = language == LanguageVersion.Latest ? plain : Compile(build, trace, language, withRuntime: false, members, "using System.Diagnostics;");
                var traced = Compile(build, trace, language, withRuntime: true, members, header);
                var context = $"{framework}, {name}, TRACE {(trace ? "defined" : "undefined")}";
                Assert.That(traced.Diagnostics, Is.EqualTo(reference.Diagnostics), $"{context}: the same errors and warnings");
                Assert.That(traced.Calls.Select(c => c.Replace("Tracing.Trace::", "System.Diagnostics.Trace::")), Is.EqualTo(reference.Calls),
                    $"{context}: the same calls, of Tracing.Trace");
                Assert.That(traced.Calls, Has.None.Contains("System.Diagnostics.Trace::"), $"{context}: Trace is Tracing.Trace");
            }
        }
    }

    [Test]
    public void TheForwardersActOnSystemDiagnosticsTrace()
    {
        Assert.That(Trace.Listeners, Is.SameAs(System.Diagnostics.Trace.Listeners));
        Assert.That(Trace.CorrelationManager, Is.SameAs(System.Diagnostics.Trace.CorrelationManager));

        var viaSystem = Record(() =>
        {
            System.Diagnostics.Trace.IndentSize = 3;
            System.Diagnostics.Trace.Indent();
            System.Diagnostics.Trace.WriteLine("line", "category");
            System.Diagnostics.Trace.WriteIf(true, 42);
            System.Diagnostics.Trace.WriteLineIf(false, "never");
            System.Diagnostics.Trace.Unindent();
            System.Diagnostics.Trace.TraceWarning("{0} and {1}", 1, 2);
            System.Diagnostics.Trace.Assert(false, "assertion", "detail");
            System.Diagnostics.Trace.Fail("failure");
            System.Diagnostics.Trace.Flush();
        });
        var viaTracing = Record(() =>
        {
            Trace.IndentSize = 3;
            Trace.Indent();
            Trace.WriteLine("line", "category");
            Trace.WriteIf(true, 42);
            Trace.WriteLineIf(false, "never");
            Trace.Unindent();
            Trace.TraceWarning("{0} and {1}", 1, 2);
            Trace.Assert(false, "assertion", "detail");
            Trace.Fail("failure");
            Trace.Flush();
        });

        Assert.That(viaSystem, Does.Contain("   category: line").And.Contain("42").And.Contain("1 and 2").And.Contain("assertion").And.Contain("failure"));
        Assert.That(viaTracing, Is.EqualTo(viaSystem));

        var refreshed = 0;
        EventHandler count = (_, _) => refreshed++;
        Trace.Refreshing += count;
        Trace.Refresh();
        Trace.Refreshing -= count;
        System.Diagnostics.Trace.Refresh();
        Assert.That(refreshed, Is.EqualTo(1), "Trace.Refreshing subscribes to System.Diagnostics.Trace.Refreshing, and -= unsubscribes");
    }

    /// <summary>Runs <paramref name="write"/> with one listener that records (and no DefaultTraceListener, whose Fail would end the process).</summary>
    static string Record(Action write)
    {
        var saved = System.Diagnostics.Trace.Listeners.Cast<TraceListener>().ToArray();
        var (indentSize, indentLevel) = (System.Diagnostics.Trace.IndentSize, System.Diagnostics.Trace.IndentLevel);
        var text = new StringWriter();
        System.Diagnostics.Trace.Listeners.Clear();
        System.Diagnostics.Trace.Listeners.Add(new TextWriterTraceListener(text));
        try
        {
            write();
        }
        finally
        {
            System.Diagnostics.Trace.Listeners.Clear();
            System.Diagnostics.Trace.Listeners.AddRange(saved);
            (System.Diagnostics.Trace.IndentSize, System.Diagnostics.Trace.IndentLevel) = (indentSize, indentLevel);
        }
        return text.ToString();
    }

    /// <summary>
    /// The public static members of a type, one text each: kind, types, names, and the attributes
    /// that change how a call compiles or is analysed (with <paramref name="exact"/>) or only the
    /// signature and [Conditional] (without).
    /// </summary>
    static HashSet<string> Surface(TypeDefinition type, bool exact)
    {
        string Attributes(ICustomAttributeProvider provider) => string.Concat(provider.CustomAttributes
            .Where(a => a.AttributeType.Name == "ConditionalAttribute" || exact && MeaningfulAttributes.Contains(a.AttributeType.Name))
            .Select(a => $"[{a.AttributeType.Name}({string.Join(",", a.ConstructorArguments.Select(c => c.Value))})]")
            .OrderBy(a => a, StringComparer.Ordinal));
        string Parameter(ParameterDefinition p) =>
            $"{(exact ? Attributes(p) : "")}{p.ParameterType.FullName} {p.Name}{(exact && p.HasDefault ? $" = {p.Constant ?? "null"}" : "")}";

        var members = new HashSet<string>();
        foreach (var method in type.Methods.Where(m => m.IsPublic && m.IsStatic && !m.IsSpecialName))
            members.Add($"{Attributes(method)}{method.ReturnType.FullName} {method.Name}({string.Join(", ", method.Parameters.Select(Parameter))})");
        foreach (var property in type.Properties.Where(p => (p.GetMethod ?? p.SetMethod) is { IsPublic: true, IsStatic: true }))
            members.Add($"{property.PropertyType.FullName} {property.Name} {{{(property.GetMethod?.IsPublic == true ? " get;" : "")}{(property.SetMethod?.IsPublic == true ? " set;" : "")} }}");
        foreach (var e in type.Events.Where(e => e.AddMethod is { IsPublic: true, IsStatic: true }))
            members.Add($"event {e.EventType.FullName} {e.Name}");
        return members;
    }

    static readonly HashSet<string> MeaningfulAttributes = new()
    {
        "ConditionalAttribute", "DoesNotReturnAttribute", "DoesNotReturnIfAttribute", "CallerArgumentExpressionAttribute",
        "ParamArrayAttribute", "OverloadResolutionPriorityAttribute", "ObsoleteAttribute", "StringSyntaxAttribute",
    };

    /// <summary>One statement for each public static member of System.Diagnostics.Trace, with typed default arguments.</summary>
    static IEnumerable<string> UsageLines(TypeDefinition trace)
    {
        foreach (var method in trace.Methods.Where(m => m.IsPublic && m.IsStatic && !m.IsSpecialName))
            yield return $"Trace.{method.Name}({string.Join(", ", method.Parameters.Select(p => $"default({CSharpName(p.ParameterType)})"))});";
        foreach (var property in trace.Properties.Where(p => p.GetMethod is { IsPublic: true, IsStatic: true }))
            yield return property.SetMethod?.IsPublic == true ? $"Trace.{property.Name} = Trace.{property.Name};" : $"Use(Trace.{property.Name});";
        foreach (var e in trace.Events.Where(e => e.AddMethod is { IsPublic: true, IsStatic: true }))
        {
            yield return $"Trace.{e.Name} += default({CSharpName(e.EventType)});";
            yield return $"Trace.{e.Name} -= default({CSharpName(e.EventType)});";
        }
    }

    static string CSharpName(TypeReference type) => type.FullName.Replace('/', '.');

    sealed record Compilation(List<string> Diagnostics, List<string> Errors, List<string> Calls);

    static Compilation Compile(RuntimeBuild build, bool trace, LanguageVersion language, bool withRuntime, List<string> members, string header)
    {
        var nullable = language >= LanguageVersion.CSharp8;
        var source = new StringBuilder();
        source.Append(header).Append('\n');
        source.Append("static class UsesTrace\n{\n");
        source.Append("    static void Use(object o) { }\n");
        source.Append("    static void EveryMember()\n    {\n");
        foreach (var line in members) source.Append("        ").Append(line).Append('\n');
        source.Append("    }\n");
        if (nullable)
        {
            // The flow-analysis annotations: [DoesNotReturnIf(false)] on Assert, [DoesNotReturn] on Fail.
            source.Append("""
                    static string? Maybe() => null;
                    static int AfterAssert() { string? s = Maybe(); Trace.Assert(s != null); return s.Length; }
                    static int AfterFail() { string? s = Maybe(); if (s == null) Trace.Fail("none"); return s.Length; }

                """);
        }
        source.Append("}\n");

        var options = new CSharpParseOptions(language, preprocessorSymbols: trace ? new[] { "TRACE" } : Array.Empty<string>());
        var references = build.References.Concat(withRuntime ? new[] { build.Runtime } : Array.Empty<string>())
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("UsesTrace", new[] { CSharpSyntaxTree.ParseText(source.ToString(), options, "UsesTrace.cs") }, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: nullable ? NullableContextOptions.Enable : NullableContextOptions.Disable));

        using var output = new MemoryStream();
        var result = compilation.Emit(output);
        var diagnostics = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => $"{d.Id} line {d.Location.GetLineSpan().StartLinePosition.Line - header.Count(c => c == '\n')}").OrderBy(d => d, StringComparer.Ordinal).ToList();
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        var calls = new List<string>();
        if (result.Success)
        {
            output.Position = 0;
            using var module = ModuleDefinition.ReadModule(output);
            calls = module.GetType("UsesTrace").Methods.Where(m => m.HasBody).SelectMany(m => m.Body.Instructions)
                .Where(i => i.OpCode == OpCodes.Call && i.Operand is MethodReference { DeclaringType.Name: "Trace" })
                .Select(i => ((MethodReference)i.Operand).FullName).ToList();
        }
        return new Compilation(diagnostics, errors, calls);
    }

    /// <summary>A build of Tracing.Runtime and the reference assemblies it was compiled against (written by the test project's build).</summary>
    sealed record RuntimeBuild(string Runtime, string[] References)
    {
        public static RuntimeBuild Of(string framework)
        {
            var list = Path.Combine(AppContext.BaseDirectory, "runtime-builds", framework + ".txt");
            Assert.That(File.Exists(list), Is.True, $"{list} is written by the test project's WriteRuntimeBuildLists target");
            var lines = File.ReadAllLines(list).Where(l => l.Length > 0).ToArray();
            var runtime = lines.Single(l => Path.GetFileName(l) == "Tracing.Runtime.dll");
            Assert.That(File.Exists(runtime), Is.True, $"{runtime} was built");
            return new RuntimeBuild(runtime, lines.Where(l => l != runtime).ToArray());
        }

        /// <summary>The reference assembly that defines System.Diagnostics.Trace.</summary>
        public SystemTraceModule SystemTrace()
        {
            foreach (var path in References)
            {
                var module = ModuleDefinition.ReadModule(path);
                if (module.GetType("System.Diagnostics.Trace") is { } type) return new SystemTraceModule(module, type);
                module.Dispose();
            }
            throw new AssertionException($"no reference of {Runtime} defines System.Diagnostics.Trace");
        }
    }

    sealed class SystemTraceModule(ModuleDefinition module, TypeDefinition type) : IDisposable
    {
        public TypeDefinition Type { get; } = type;

        public void Dispose() => module.Dispose();
    }
}
