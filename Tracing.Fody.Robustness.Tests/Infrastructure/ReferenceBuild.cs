using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>
/// Compiles C# in this process with Roslyn: the reference builds of the corpus (its sources with
/// the hand-written events, call sites guarded when arguments are lazy) and the fuzz programs.
/// </summary>
public static class ReferenceBuild
{
    static readonly ConcurrentDictionary<string, MetadataReference> s_references = new();

    public static MetadataReference Reference(string path) =>
        s_references.GetOrAdd(path, p => MetadataReference.CreateFromFile(p));

    public static CSharpParseOptions ParseOptions(IEnumerable<string> defines) =>
        new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: defines);

    public static CSharpCompilationOptions CompilationOptions(bool optimize) =>
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: optimize ? OptimizationLevel.Release : OptimizationLevel.Debug,
            allowUnsafe: true,
            nullableContextOptions: NullableContextOptions.Enable,
            deterministic: true,
            concurrentBuild: false);

    /// <summary>
    /// The reference build of a fixture: its sources, with <paramref name="replace"/> swapped in
    /// for the file of the same name's role (Events.cs → Reference/ReferenceEvents.cs), and every
    /// trace call guarded when <paramref name="lazy"/>.
    /// </summary>
    public static byte[] CompileReference(BuildFacts facts, string assemblyName, string eventsFile, string referenceEventsFile, bool lazy)
    {
        var parse = ParseOptions(facts.Defines);
        var trees = facts.Sources
            .Select(path => Path.GetFullPath(path) == Path.GetFullPath(eventsFile) ? referenceEventsFile : path)
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), parse, path, Encoding.UTF8))
            .ToList();
        var compilation = CSharpCompilation.Create(assemblyName, trees, facts.References.Select(Reference), CompilationOptions(facts.Optimize));
        if (lazy) compilation = GuardCallSites(compilation);
        return Emit(compilation).Pe;
    }

    /// <summary>Rewrites every trace call of a compilation with <see cref="LazyCallSites"/>.</summary>
    public static CSharpCompilation GuardCallSites(CSharpCompilation compilation)
    {
        var rewritten = compilation;
        foreach (var tree in compilation.SyntaxTrees)
        {
            var (guarded, calls) = LazyCallSites.Rewrite(tree, compilation);
            if (calls > 0) rewritten = rewritten.ReplaceSyntaxTree(tree, guarded);
        }
        return rewritten;
    }

    /// <summary>Emits an assembly and its portable PDB; throws with the compiler's errors.</summary>
    public static (byte[] Pe, byte[] Pdb) Emit(Compilation compilation)
    {
        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        var result = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        if (!result.Success)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20);
            throw new InvalidOperationException($"{compilation.AssemblyName} does not compile:\n" + string.Join("\n", errors));
        }
        return (pe.ToArray(), pdb.ToArray());
    }
}
