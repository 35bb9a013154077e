using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>Small programs compiled in memory against the modern framework and Tracing.Runtime, with two events.</summary>
public static class Snippets
{
    const string Events = """
        namespace Snippet;
        public static class E
        {
            [Trace.Event] public static void T1(int a) { }
            [Trace.Event] public static void T2(string s, int a) { }
        }
        """;

    static readonly Lazy<IReadOnlyList<string>> s_references = new(() =>
        BuildFacts.Read(Path.Combine(Repository.TortureOutput("Debug", "net10.0"), "Torture.dll")).References);

    public static IReadOnlyList<string> References => s_references.Value;

    public static (byte[] Pe, byte[] Pdb) Compile(string source, bool optimize)
    {
        var parse = ReferenceBuild.ParseOptions(Array.Empty<string>());
        var trees = new[]
        {
            CSharpSyntaxTree.ParseText("global using Trace = Tracing.Trace;", parse, "/snippet/GlobalUsings.cs", Encoding.UTF8),
            CSharpSyntaxTree.ParseText(Events, parse, "/snippet/Events.cs", Encoding.UTF8),
            CSharpSyntaxTree.ParseText(source, parse, "/snippet/Snippet.cs", Encoding.UTF8),
        };
        var compilation = CSharpCompilation.Create("Snippet", trees,
            References.Select(ReferenceBuild.Reference), ReferenceBuild.CompilationOptions(optimize));
        return ReferenceBuild.Emit(compilation);
    }

    public static WovenAssembly Weave(string source, bool optimize, bool symbols = true, string config = Weaving.Lazy)
    {
        var (pe, pdb) = Compile(source, optimize);
        return Weaving.Weave(pe, symbols ? pdb : null, References, config);
    }
}
