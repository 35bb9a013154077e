using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>
/// A collectible load context for one woven or reference assembly. Assemblies the framework
/// does not provide (Tracing.Runtime, Microsoft.Bcl.AsyncInterfaces…) are loaded into it from
/// <paramref name="privateDirectory"/>, so every context has its own runtime state; with no
/// directory they come from the default context (the test's own Tracing.Runtime).
/// </summary>
public sealed class FixtureLoadContext : AssemblyLoadContext
{
    static readonly HashSet<string> s_framework = new(
        Directory.GetFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*.dll").Select(Path.GetFileNameWithoutExtension)!,
        StringComparer.OrdinalIgnoreCase);

    readonly string? _privateDirectory;

    public FixtureLoadContext(string name, string? privateDirectory) : base(name, isCollectible: true) =>
        _privateDirectory = privateDirectory;

    public Assembly Load(byte[] pe, byte[]? pdb = null) =>
        LoadFromStream(new MemoryStream(pe), pdb is null ? null : new MemoryStream(pdb));

    protected override Assembly? Load(AssemblyName name)
    {
        if (_privateDirectory is null || name.Name is null) return null;
        var path = Path.Combine(_privateDirectory, name.Name + ".dll");
        // Framework assemblies (System.Memory, System.Runtime.CompilerServices.Unsafe… that a
        // netstandard2.0 build copies) resolve to the framework's own.
        if (s_framework.Contains(name.Name)) return null;
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    /// <summary>Runs <paramref name="use"/> with an assembly loaded into a new context, then unloads it.</summary>
    public static T With<T>(string name, string? privateDirectory, byte[] pe, byte[]? pdb, Func<Assembly, T> use)
    {
        var context = new FixtureLoadContext(name, privateDirectory);
        try
        {
            return use(context.Load(pe, pdb));
        }
        finally
        {
            context.Unload();
        }
    }
}
