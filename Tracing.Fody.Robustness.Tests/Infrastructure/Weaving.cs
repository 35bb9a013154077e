using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Fody;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>A message of the weaver, with the source line it points at (0 when none).</summary>
public sealed record WeaverMessage(string Text, string? File, int Line)
{
    public override string ToString() => File is null ? Text : $"{System.IO.Path.GetFileName(File)}({Line}): {Text}";
}

/// <summary>What weaving produced: the woven assembly and its portable PDB, or the errors.</summary>
public sealed class WovenAssembly
{
    public byte[]? Pe { get; init; }
    public byte[]? Pdb { get; init; }
    public List<WeaverMessage> Errors { get; } = new();
    public List<WeaverMessage> Warnings { get; } = new();

    /// <summary>The woven bytes; throws with the weaver's errors when there are none.</summary>
    public byte[] RequirePe() =>
        Pe ?? throw new InvalidOperationException("Weaving failed:\n" + string.Join("\n", Errors));
}

/// <summary>
/// Runs Tracing.Fody's ModuleWeaver in this process the way Fody does in a build: the module is
/// read with its symbols, references resolve to exactly the files the compiler used, BCL types are
/// found through FodyHelpers' TypeCache, and the module is written with its symbols only when no
/// error was reported.
/// </summary>
public static class Weaving
{
    public const string Lazy = "<Tracing />";
    public const string Eager = "<Tracing LazyArguments=\"false\" />";

    public static WovenAssembly Weave(byte[] pe, byte[]? pdb, IReadOnlyList<string> references, string config = Lazy)
    {
        using var resolver = new ReferenceResolver(references);
        var result = new WovenAssembly();
        var weaver = new ModuleWeaver
        {
            Config = XElement.Parse(config),
            LogDebug = _ => { },
            LogInfo = _ => { },
            LogMessage = (_, _) => { },
            LogWarning = text => result.Warnings.Add(new WeaverMessage(text, null, 0)),
            LogWarningPoint = (text, point) => result.Warnings.Add(Message(text, point)),
            LogError = text => result.Errors.Add(new WeaverMessage(text, null, 0)),
            LogErrorPoint = (text, point) => result.Errors.Add(Message(text, point)),
            AssemblyResolver = resolver,
            ResolveAssembly = name => resolver.Resolve(AssemblyNameReference.Parse(name))!,
        };
        var typeCache = new TypeCache(name => resolver.Resolve(AssemblyNameReference.Parse(name))!);
        typeCache.BuildAssembliesToScan(weaver);
        weaver.FindType = typeCache.FindType;
        weaver.TryFindType = typeCache.TryFindType;

        var readerParameters = new ReaderParameters
        {
            AssemblyResolver = resolver,
            ReadSymbols = pdb is not null,
            SymbolStream = pdb is null ? null : new MemoryStream(pdb),
            SymbolReaderProvider = pdb is null ? null : new PortablePdbReaderProvider(),
        };
        using var module = ModuleDefinition.ReadModule(new MemoryStream(pe), readerParameters);
        weaver.ModuleDefinition = module;
        weaver.Execute();
        if (result.Errors.Count > 0) return result;

        var (wovenPe, wovenPdb) = Write(module, pdb is not null);
        var woven = new WovenAssembly { Pe = wovenPe, Pdb = wovenPdb };
        woven.Warnings.AddRange(result.Warnings);
        return woven;
    }

    /// <summary>Writes a module as Fody does: deterministic MVID, portable PDB when it has symbols.</summary>
    public static (byte[] Pe, byte[]? Pdb) Write(ModuleDefinition module, bool withSymbols)
    {
        var peStream = new MemoryStream();
        var pdbStream = withSymbols ? new MemoryStream() : null;
        module.Write(peStream, new WriterParameters
        {
            WriteSymbols = withSymbols,
            SymbolStream = pdbStream,
            SymbolWriterProvider = withSymbols ? new PortablePdbWriterProvider() : null,
            DeterministicMvid = true,
        });
        return (peStream.ToArray(), pdbStream?.ToArray());
    }

    /// <summary>Reads an assembly from bytes, with its symbols when given.</summary>
    public static ModuleDefinition Read(byte[] pe, byte[]? pdb, IReadOnlyList<string> references, out IDisposable resolver)
    {
        var r = new ReferenceResolver(references);
        resolver = r;
        return ModuleDefinition.ReadModule(new MemoryStream(pe), new ReaderParameters
        {
            AssemblyResolver = r,
            ReadSymbols = pdb is not null,
            SymbolStream = pdb is null ? null : new MemoryStream(pdb),
            SymbolReaderProvider = pdb is null ? null : new PortablePdbReaderProvider(),
        });
    }

    static WeaverMessage Message(string text, SequencePoint? point) =>
        point is null ? new WeaverMessage(text, null, 0) : new WeaverMessage(text, point.Document.Url, point.StartLine);

    /// <summary>Resolves assembly names to the given files only, like Fody's resolver in a build; null when unknown.</summary>
    sealed class ReferenceResolver : IAssemblyResolver
    {
        readonly Dictionary<string, string> _paths = new(StringComparer.OrdinalIgnoreCase);
        readonly Dictionary<string, AssemblyDefinition?> _loaded = new(StringComparer.OrdinalIgnoreCase);

        public ReferenceResolver(IEnumerable<string> references)
        {
            foreach (var path in references) _paths[Path.GetFileNameWithoutExtension(path)] = path;
        }

        public AssemblyDefinition? Resolve(AssemblyNameReference name) => Resolve(name, new ReaderParameters());

        public AssemblyDefinition? Resolve(AssemblyNameReference name, ReaderParameters parameters)
        {
            if (_loaded.TryGetValue(name.Name, out var known)) return known;
            AssemblyDefinition? assembly = null;
            if (_paths.TryGetValue(name.Name, out var path))
                assembly = AssemblyDefinition.ReadAssembly(path, new ReaderParameters { AssemblyResolver = this, InMemory = true });
            _loaded[name.Name] = assembly;
            return assembly;
        }

        public void Dispose()
        {
            foreach (var assembly in _loaded.Values) assembly?.Dispose();
        }
    }
}
