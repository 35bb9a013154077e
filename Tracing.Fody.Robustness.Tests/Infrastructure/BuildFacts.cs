using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>
/// One build of a fixture project, as its build wrote it down beside the assembly
/// (robustness/Torture/Torture.csproj, target WriteTortureBuildFacts): the references it was
/// compiled against, its sources and its compiler options.
/// </summary>
public sealed class BuildFacts
{
    BuildFacts(string assemblyPath, IReadOnlyList<string> references, IReadOnlyList<string> sources,
        IReadOnlyList<string> defines, bool optimize)
    {
        AssemblyPath = assemblyPath;
        References = references;
        Sources = sources;
        Defines = defines;
        Optimize = optimize;
    }

    public string AssemblyPath { get; }
    public string Directory => Path.GetDirectoryName(AssemblyPath)!;
    public string SymbolsPath => Path.ChangeExtension(AssemblyPath, ".pdb");
    public IReadOnlyList<string> References { get; }
    public IReadOnlyList<string> Sources { get; }
    public IReadOnlyList<string> Defines { get; }
    public bool Optimize { get; }

    public static BuildFacts Read(string assemblyPath)
    {
        var factsPath = Path.Combine(Path.GetDirectoryName(assemblyPath)!, Path.GetFileNameWithoutExtension(assemblyPath) + ".build.txt");
        if (!File.Exists(factsPath))
            throw new InvalidOperationException($"{factsPath} is missing: build the fixture project (the test project's build does).");
        var facts = File.ReadAllLines(factsPath)
            .Where(line => line.Contains('='))
            .Select(line => (Key: line.Substring(0, line.IndexOf('=')), Value: line.Substring(line.IndexOf('=') + 1)))
            .ToLookup(p => p.Key, p => p.Value);
        return new BuildFacts(
            assemblyPath,
            facts["reference"].ToList(),
            facts["source"].ToList(),
            facts["define"].SelectMany(d => d.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
            string.Equals(facts["optimize"].SingleOrDefault(), "true", StringComparison.OrdinalIgnoreCase));
    }
}
