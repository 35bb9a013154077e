using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using Fody;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Tracing.Fody;

namespace Tracing.Benchmarks;

/// <summary>
/// The weaver's time on a generated library with 1,000 trace events and 10,000 call sites, run
/// as Fody runs it: read the module with its symbols, resolve the weaver's BCL types, Execute,
/// write the module and symbols.
/// </summary>
/// <remarks>
/// <c>ReadWrite</c> is what Fody costs with no weaver at all; <c>Weave</c> is the Tracing
/// weaver alone (type cache and Execute); <c>ReadWeaveWrite</c> is the whole step of a build.
/// </remarks>
[Config(typeof(WeavingConfig))]
[MemoryDiagnoser]
public class WeavingBenchmarks
{
    public const int Events = 1_000, CallSites = 10_000;

    GeneratedAssembly _assembly = null!;
    string[] _searchDirectories = Array.Empty<string>();
    ModuleDefinition? _module;
    bool _checked;

    /// <summary>Compiles the library (Roslyn, not timed); nothing of the weaver or Cecil runs yet.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _assembly = GeneratedAssembly.Compile(Events, CallSites, typeof(Trace).Assembly.Location);
        _searchDirectories = SearchDirectories;
    }

    /// <summary>Where the weave resolves references: the framework's reference assemblies and Tracing.Runtime.</summary>
    internal static string[] SearchDirectories =>
        new[] { GeneratedAssembly.FrameworkReferenceDirectory, Path.GetDirectoryName(typeof(Trace).Assembly.Location)! };

    [Benchmark]
    public long ReadWrite()
    {
        _module = Read();
        return Write(_module);
    }

    [IterationSetup(Target = nameof(Weave))]
    public void ReadForWeave() => _module = Read();

    [Benchmark]
    public void Weave() => Execute(_module!);

    [Benchmark]
    public long ReadWeaveWrite()
    {
        _module = Read();
        Execute(_module);
        return Write(_module);
    }

    [IterationCleanup(Targets = new[] { nameof(Weave), nameof(ReadWeaveWrite) })]
    public void CheckWoven()
    {
        if (!_checked) Check(_module!);
        _checked = true;
        _module!.Dispose();
    }

    [IterationCleanup(Target = nameof(ReadWrite))]
    public void DisposeModule() => _module!.Dispose();

    ModuleDefinition Read() => Read(_assembly, _searchDirectories);

    internal static ModuleDefinition Read(GeneratedAssembly assembly, string[] searchDirectories)
    {
        // A new resolver per build, as Fody has: the framework's metadata is read again each time.
        var resolver = new BuildAssemblyResolver(searchDirectories);
        return ModuleDefinition.ReadModule(new MemoryStream(assembly.Image), new ReaderParameters
        {
            AssemblyResolver = resolver,
            ReadSymbols = true,
            SymbolStream = new MemoryStream(assembly.Pdb),
            SymbolReaderProvider = new PortablePdbReaderProvider(),
        });
    }

    internal static void Execute(ModuleDefinition module)
    {
        var errors = new List<string>();
        var weaver = new ModuleWeaver
        {
            ModuleDefinition = module,
            Config = new XElement("Tracing"),
            AssemblyFilePath = GeneratedAssembly.Name + ".dll",
            LogDebug = _ => { },
            LogInfo = _ => { },
            LogMessage = (_, _) => { },
            LogWarning = _ => { },
            LogWarningPoint = (_, _) => { },
            LogError = errors.Add,
            LogErrorPoint = (message, _) => errors.Add(message),
        };
        var typeCache = new TypeCache(name => Resolve(module.AssemblyResolver, name)!);
        typeCache.BuildAssembliesToScan(weaver);
        weaver.FindType = typeCache.FindType;
        weaver.TryFindType = typeCache.TryFindType;
        weaver.ResolveAssembly = name => Resolve(module.AssemblyResolver, name)!;
        weaver.TypeSystem = new global::Fody.TypeSystem(typeCache.FindType, module);
        weaver.Execute();
        if (errors.Count > 0) throw new InvalidOperationException("Weaving failed: " + string.Join(Environment.NewLine, errors));
    }

    static AssemblyDefinition? Resolve(IAssemblyResolver resolver, string name) => resolver.Resolve(AssemblyNameReference.Parse(name));

    /// <summary>
    /// Resolves from the given directories and, like Fody's resolver in a build, answers null for
    /// an assembly that is not among them (the framework's facades forward types to assemblies
    /// that only packages provide) instead of throwing.
    /// </summary>
    sealed class BuildAssemblyResolver : DefaultAssemblyResolver
    {
        readonly HashSet<string> _names;

        public BuildAssemblyResolver(IEnumerable<string> directories)
        {
            foreach (var directory in GetSearchDirectories()) RemoveSearchDirectory(directory);
            foreach (var directory in directories) AddSearchDirectory(directory);
            _names = new HashSet<string>(GetSearchDirectories().SelectMany(d => Directory.GetFiles(d, "*.dll")).Select(Path.GetFileNameWithoutExtension)!, StringComparer.OrdinalIgnoreCase);
        }

        public override AssemblyDefinition Resolve(AssemblyNameReference name) => _names.Contains(name.Name) ? base.Resolve(name) : null!;
    }

    internal static long Write(ModuleDefinition module)
    {
        using var image = new MemoryStream();
        using var pdb = new MemoryStream();
        module.Write(image, new WriterParameters { WriteSymbols = true, SymbolStream = pdb, SymbolWriterProvider = new PortablePdbWriterProvider() });
        return image.Length + pdb.Length;
    }

    /// <summary>Refuses a weave that did not do the whole job (checked after the first, untimed).</summary>
    static void Check(ModuleDefinition module)
    {
        var heads = module.Types.SelectMany(t => t.Fields).Count(f => f.Name.EndsWith(">probes", StringComparison.Ordinal));
        var checks = module.Types.Where(t => t.Name.StartsWith("Sites", StringComparison.Ordinal))
            .SelectMany(t => t.Methods).Where(m => m.HasBody).SelectMany(m => m.Body.Instructions)
            .Count(i => i.OpCode == OpCodes.Ldsfld && i.Operand is FieldReference f && f.Name.EndsWith(">probes", StringComparison.Ordinal));
        if (heads != Events || checks != CallSites)
            throw new InvalidOperationException($"The weave produced {heads} probe lists and {checks} call-site checks; expected {Events} and {CallSites}.");
    }
}
