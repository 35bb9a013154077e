using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Xml.Linq;
using Fody;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Tracing.Fody;

namespace Tracing.Fody.Tests;

/// <summary>A message the weaver reported, with the source position it points at.</summary>
public sealed record WeaverMessage(string Text, SequencePoint? Point)
{
    /// <summary><c>File.cs(line,column): text</c>, the way the build shows it.</summary>
    public override string ToString() =>
        Point is null ? Text : $"{Path.GetFileName(Point.Document.Url)}({Point.StartLine},{Point.StartColumn}): {Text}";
}

/// <summary>What one weaving run produced.</summary>
public sealed class WeavingResult
{
    public List<WeaverMessage> Errors { get; } = new();
    public List<WeaverMessage> Warnings { get; } = new();

    /// <summary>The woven assembly's path; null when errors stopped the weaver from writing it.</summary>
    public string? OutputPath { get; set; }
}

/// <summary>
/// Runs the weaver the way Fody does: reads the module with its symbols, hands the weaver its
/// configuration, type finder and loggers, calls Execute, and writes the module only when no
/// error was reported.
/// </summary>
public static class TestWeaving
{
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");
    public static string Configuration { get; } = Metadata("Configuration");

    /// <summary>The built output of a fixture project of this repository.</summary>
    public static string FixturePath(string project) =>
        Path.Combine(RepositoryRoot, project, "bin", Configuration, "net10.0", project + ".dll");

    public static WeavingResult Weave(string inputPath, string outputPath, string? config = null)
    {
        var (module, result) = WeaveInMemory(inputPath, config);
        using (module)
        {
            if (result.Errors.Count > 0) return result;
            Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
            module.Write(outputPath, new WriterParameters { WriteSymbols = true, DeterministicMvid = true });
        }
        result.OutputPath = outputPath;
        return result;
    }

    /// <summary>Weaves and returns the module as the weaver left it, without writing it (errors included).</summary>
    public static (ModuleDefinition Module, WeavingResult Result) WeaveInMemory(string inputPath, string? config = null)
    {
        var result = new WeavingResult();
        // Resolve against the reference assemblies the real build weaves against, not the
        // runtime's implementation assemblies.
        var resolver = new TolerantResolver();
        foreach (var directory in resolver.GetSearchDirectories()) resolver.RemoveSearchDirectory(directory);
        resolver.AddSearchDirectory(Path.GetDirectoryName(inputPath)!);
        resolver.AddSearchDirectory(ReferenceAssemblies);
        var weaver = new ModuleWeaver
        {
            Config = XElement.Parse(config ?? "<Tracing />"),
            LogDebug = _ => { },
            LogInfo = _ => { },
            LogMessage = (_, _) => { },
            LogWarning = text => result.Warnings.Add(new WeaverMessage(text, null)),
            LogWarningPoint = (text, point) => result.Warnings.Add(new WeaverMessage(text, point)),
            LogError = text => result.Errors.Add(new WeaverMessage(text, null)),
            LogErrorPoint = (text, point) => result.Errors.Add(new WeaverMessage(text, point)),
            AssemblyResolver = resolver,
        };
        var typeCache = new TypeCache(name => resolver.Resolve(AssemblyNameReference.Parse(name)));
        typeCache.BuildAssembliesToScan(weaver);
        weaver.FindType = typeCache.FindType;
        weaver.TryFindType = typeCache.TryFindType;
        var module = ModuleDefinition.ReadModule(inputPath, new ReaderParameters { AssemblyResolver = resolver, ReadSymbols = true, InMemory = true });
        weaver.ModuleDefinition = module;
        weaver.Execute();
        return (module, result);
    }

    /// <summary>The reference assemblies of this runtime's version (the SDK's targeting pack).</summary>
    public static string ReferenceAssemblies { get; } = FindReferenceAssemblies();

    static string FindReferenceAssemblies()
    {
        var dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        var version = Directory.GetDirectories(packs)
            .Select(Path.GetFileName)
            .Where(v => v!.StartsWith(Environment.Version.Major + "."))
            .OrderByDescending(v => Version.TryParse(v!.Split('-')[0], out var parsed) ? parsed : new Version())
            .First();
        return Path.Combine(packs, version!, "ref", $"net{Environment.Version.Major}.0");
    }

    /// <summary>Like Fody's resolver, answers null for an assembly it cannot find (Cecil's throws).</summary>
    sealed class TolerantResolver : DefaultAssemblyResolver
    {
        public override AssemblyDefinition? Resolve(AssemblyNameReference name)
        {
            try
            {
                return base.Resolve(name);
            }
            catch (AssemblyResolutionException)
            {
                return null;
            }
        }
    }

    static string Metadata(string key) =>
        typeof(TestWeaving).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
