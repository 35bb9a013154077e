using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Tracing.Benchmarks;

/// <summary>
/// A library with many trace events and call sites, generated as C# and compiled in memory with
/// Roslyn, with a portable PDB as a build has (lazy arguments need the sequence points).
/// </summary>
sealed class GeneratedAssembly
{
    public const string Name = "Generated";

    GeneratedAssembly(byte[] image, byte[] pdb, int events, int callSites)
    {
        Image = image;
        Pdb = pdb;
        Events = events;
        CallSites = callSites;
    }

    public byte[] Image { get; }
    public byte[] Pdb { get; }
    public int Events { get; }
    public int CallSites { get; }

    /// <summary>
    /// <paramref name="events"/> events, <paramref name="eventsPerClass"/> per class, and
    /// <paramref name="callSites"/> calls of them, 10 per method, 100 methods per class, with
    /// arguments of several shapes.
    /// </summary>
    public static GeneratedAssembly Compile(int events, int callSites, string runtimeAssemblyPath, int eventsPerClass = 100)
    {
        const int CallsPerMethod = 10, MethodsPerClass = 100;
        var source = new StringBuilder();
        source.AppendLine("#nullable enable");
        source.AppendLine("using Tracing;");
        source.AppendLine("namespace Generated;");
        for (var e = 0; e < events; e++)
        {
            if (e % eventsPerClass == 0) source.AppendLine($"static class Events{e / eventsPerClass}").AppendLine("{");
            source.AppendLine($"    [Trace.Event] internal static void TraceE{e}(string name, int n) {{ }}");
            if (e % eventsPerClass == eventsPerClass - 1 || e == events - 1) source.AppendLine("}");
        }
        var methods = (callSites + CallsPerMethod - 1) / CallsPerMethod;
        var call = 0;
        for (var m = 0; m < methods; m++)
        {
            if (m % MethodsPerClass == 0) source.AppendLine($"public static class Sites{m / MethodsPerClass}").AppendLine("{");
            source.AppendLine($"    public static int M{m}(string name, int n)").AppendLine("    {");
            for (var c = 0; c < CallsPerMethod && call < callSites; c++, call++)
            {
                var e = (int)((call * 7919L) % events); // spread the calls over the events
                var target = $"Events{e / eventsPerClass}.TraceE{e}";
                source.AppendLine((call % 4) switch
                {
                    0 => $"        {target}(name, n);",
                    1 => $"        {target}($\"{{name}} #{{n}}\", n + {c});",
                    2 => $"        if (n > {c}) {target}(name.ToUpperInvariant(), n * 2);",
                    _ => $"        n += name.Length; {target}(name, n);",
                });
            }
            source.AppendLine("        return n;").AppendLine("    }");
            if (m % MethodsPerClass == MethodsPerClass - 1 || m == methods - 1) source.AppendLine("}");
        }

        var tree = CSharpSyntaxTree.ParseText(SourceText.From(source.ToString(), Encoding.UTF8), path: "Generated.cs");
        var compilation = CSharpCompilation.Create(Name, new[] { tree }, References(runtimeAssemblyPath),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Enable, deterministic: true));
        using var image = new MemoryStream();
        using var pdb = new MemoryStream();
        var result = compilation.Emit(image, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        if (!result.Success)
        {
            var errors = string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10));
            throw new InvalidOperationException("The generated assembly does not compile:" + Environment.NewLine + errors);
        }
        return new GeneratedAssembly(image.ToArray(), pdb.ToArray(), events, callSites);
    }

    /// <summary>
    /// The directory of the framework's reference assemblies that this project was built against
    /// (recorded by Tracing.Benchmarks.csproj): what a build compiles and Fody weaves against.
    /// </summary>
    public static string FrameworkReferenceDirectory
    {
        get
        {
            var directory = typeof(GeneratedAssembly).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == nameof(FrameworkReferenceDirectory)).Value!;
            if (!Directory.Exists(directory))
                throw new DirectoryNotFoundException($"The framework's reference assemblies are not at {directory}: rebuild Tracing.Benchmarks with this SDK.");
            return directory;
        }
    }

    /// <summary>The framework's reference assemblies, and Tracing.Runtime.</summary>
    static MetadataReference[] References(string runtimeAssemblyPath)
    {
        return Directory.GetFiles(FrameworkReferenceDirectory, "*.dll")
            .Where(IsManaged)
            .Append(runtimeAssemblyPath)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
    }

    static bool IsManaged(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
        return reader.HasMetadata;
    }
}
