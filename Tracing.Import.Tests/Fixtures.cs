using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

[assembly: Tracing.Trace.Import("ImportExporter")] // this test assembly is an importer that is not woven

namespace Tracing.Import.Tests;

/// <summary>Where the fixtures are, and how to load other builds of them.</summary>
static class Fixtures
{
    static string Metadata(string key) =>
        typeof(Fixtures).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string RepositoryRoot => Metadata("RepositoryRoot");

    public static string Configuration => Metadata("Configuration");

    /// <summary>The output of a fixture project: fixtures/{project}/bin/{Configuration}/net10.0/{assembly}.dll.</summary>
    public static string Output(string project, string assembly) =>
        Path.Combine(RepositoryRoot, "fixtures", project, "bin", Configuration, "net10.0", assembly + ".dll");

    public static string TestOutput(string assembly) => Path.Combine(AppContext.BaseDirectory, assembly + ".dll");

    /// <summary>Forces the JIT to compile every method with a body: invalid IL throws InvalidProgramException.</summary>
    public static void CompileEveryMethod(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes().Where(t => !t.ContainsGenericParameters))
        {
            const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
            foreach (var method in type.GetMethods(All).Where(m => !m.IsAbstract && !m.ContainsGenericParameters))
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
        }
    }
}

/// <summary>
/// Loads the woven importer with another build of ImportExporter in place of the one it was
/// built against; Tracing.Runtime and the BCL come from the test's own context, so the probe
/// types and the trace lock are shared.
/// </summary>
sealed class SwappedExporterContext : AssemblyLoadContext
{
    readonly Dictionary<string, string> _paths;

    public SwappedExporterContext(string exporterPath) : base("swapped ImportExporter", isCollectible: true)
    {
        _paths = new Dictionary<string, string>
        {
            ["ImportImporter"] = Fixtures.TestOutput("ImportImporter"),
            ["ImportExporter"] = exporterPath,
        };
    }

    protected override Assembly? Load(AssemblyName name) =>
        name.Name is not null && _paths.TryGetValue(name.Name, out var path) ? LoadFromAssemblyPath(path) : null;

    /// <summary>The importer's <c>ExporterProbes.AttachHello</c>, woven into an import accessor call.</summary>
    public Func<ProbeGroup?, Action<string>, Probe> AttachHello()
    {
        var importer = LoadFromAssemblyName(new AssemblyName("ImportImporter"));
        var method = importer.GetType("Importer.ExporterProbes", throwOnError: true)!.GetMethod("AttachHello")!;
        return method.CreateDelegate<Func<ProbeGroup?, Action<string>, Probe>>();
    }
}
