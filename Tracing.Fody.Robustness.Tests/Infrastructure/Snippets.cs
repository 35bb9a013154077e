using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>Small programs compiled in memory against the modern framework and Tracing.Runtime, with three events.</summary>
public static class Snippets
{
    const string Events = """
        namespace Snippet;
        public static class E
        {
            [Trace.Event] public static void T1(int a) { }
            [Trace.Event] public static void T2(string s, int a) { }
            [Trace.Event] public static void T3(int a) { }
        }
        """;

    static readonly Lazy<IReadOnlyList<string>> s_references = new(() =>
        BuildFacts.Read(Path.Combine(Repository.TortureOutput("Debug", "net10.0"), "Torture.dll")).References);

    public static IReadOnlyList<string> References => s_references.Value;

    public static (byte[] Pe, byte[] Pdb) Compile(string source, bool optimize, string assemblyName = "Snippet", IReadOnlyList<string>? moreReferences = null)
    {
        var parse = ReferenceBuild.ParseOptions(Array.Empty<string>());
        var trees = new[]
        {
            CSharpSyntaxTree.ParseText("global using Trace = Tracing.Trace;", parse, "/snippet/GlobalUsings.cs", Encoding.UTF8),
            CSharpSyntaxTree.ParseText(Events, parse, "/snippet/Events.cs", Encoding.UTF8),
            CSharpSyntaxTree.ParseText(source, parse, "/snippet/Snippet.cs", Encoding.UTF8),
        };
        var compilation = CSharpCompilation.Create(assemblyName, trees,
            References.Concat(moreReferences ?? Array.Empty<string>()).Select(ReferenceBuild.Reference), ReferenceBuild.CompilationOptions(optimize));
        return ReferenceBuild.Emit(compilation);
    }

    public static WovenAssembly Weave(string source, bool optimize, bool symbols = true, string config = Weaving.Lazy)
    {
        var (pe, pdb) = Compile(source, optimize);
        return Weaving.Weave(pe, symbols ? pdb : null, References, config);
    }

    /// <summary>
    /// Loads a woven snippet into a load context of its own (with its own Tracing.Runtime),
    /// JIT-compiles every method (invalid IL throws), runs <paramref name="use"/> and unloads it.
    /// </summary>
    public static T Run<T>(WovenAssembly woven, Func<Assembly, T> use) =>
        FixtureLoadContext.With("snippet", Repository.TortureOutput("Debug", "net10.0"), woven.RequirePe(), woven.Pdb, assembly =>
        {
            Fuzz.FuzzRunner.PrepareEveryMethod(assembly);
            return use(assembly);
        });

    /// <summary>Calls a public static method of <c>Snippet.C</c>; an exception it throws is rethrown as is.</summary>
    public static object? Call(Assembly assembly, string method, params object?[] arguments)
    {
        try
        {
            return assembly.GetType("Snippet.C", throwOnError: true)!.GetMethod(method)!.Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
