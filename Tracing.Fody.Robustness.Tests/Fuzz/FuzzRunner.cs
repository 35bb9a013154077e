using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Tracing.Fody.Robustness.Tests.Fuzz;

/// <summary>How a program is compiled: optimized or not, with a portable PDB or without debug information.</summary>
public sealed record FuzzOptions(bool Optimize, bool Symbols)
{
    public override string ToString() => $"{(Optimize ? "Release" : "Debug")}, {(Symbols ? "portable PDB" : "no debug information")}";
}

/// <summary>A program whose woven build did not do what its reference did.</summary>
public sealed record FuzzFailure(FuzzProgram Program, FuzzOptions Options, string What, IReadOnlyList<WeaverMessage> Warnings)
{
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"Fuzz program {Program.Seed} ({Options}) failed. Reproduce it alone with:");
        text.AppendLine($"    TRACING_FUZZ_PROGRAM={Program.Seed} dotnet test Tracing.Fody.Robustness.Tests --filter Name=GeneratedProgramsBehaveAsTheirReference");
        text.AppendLine(What);
        if (Warnings.Count > 0) text.AppendLine("Weaver warnings:\n    " + string.Join("\n    ", Warnings));
        text.AppendLine("The program:");
        text.AppendLine(Program.Source);
        return text.ToString();
    }
}

sealed class StopwatchScope : IDisposable
{
    readonly System.Diagnostics.Stopwatch _watch;
    public StopwatchScope(System.Diagnostics.Stopwatch watch) => (_watch = watch).Start();
    public void Dispose() => _watch.Stop();
}

/// <summary>Totals of a fuzz run.</summary>
public sealed class FuzzStatistics
{
    public int Programs;
    public int TraceCalls;
    public int Batches;
    public int Optimized;
    public int WithoutSymbols;
    public int Async;
    public int EagerFallbacks;
    public readonly System.Diagnostics.Stopwatch Compiling = new(), Weaving = new(), Running = new();
}

/// <summary>
/// Compiles generated programs in this process (Roslyn, portable PDB), weaves them (lazy and
/// eager), compiles their references, runs every build in a collectible load context with and
/// without probes, and compares what each program did.
/// </summary>
public sealed class FuzzRunner
{
    const int BatchSize = 12;

    static readonly CSharpParseOptions s_parse = ReferenceBuild.ParseOptions(Array.Empty<string>());
    static readonly SyntaxTree s_globalUsings = Parse(FuzzPrelude.GlobalUsings, "GlobalUsings.cs");
    static readonly SyntaxTree s_declaredEvents = Parse(FuzzPrelude.DeclaredEvents, "Events.cs");
    static readonly SyntaxTree s_referenceEvents = Parse(FuzzPrelude.ReferenceEvents, "ReferenceEvents.cs");
    static readonly SyntaxTree s_harness = Parse(FuzzPrelude.Harness, "Harness.cs");
    static readonly SyntaxTree s_guardedHarness = Parse(FuzzSource.Guarded(FuzzPrelude.Harness), "Harness.cs");

    readonly IReadOnlyList<string> _references;
    readonly List<MetadataReference> _metadata;

    public FuzzRunner()
    {
        // The references of the modern build of the corpus: the framework's reference assemblies and Tracing.Runtime.
        // Only those the programs use: binding is faster with fewer references.
        var used = new[] { "System.Runtime", "System.Collections", "System.Linq", "System.Threading", "System.Console", "Tracing.Runtime" };
        _references = BuildFacts.Read(System.IO.Path.Combine(Repository.TortureOutput("Debug", "net10.0"), "Torture.dll")).References
            .Where(path => used.Contains(System.IO.Path.GetFileNameWithoutExtension(path))).ToList();
        _metadata = _references.Select(ReferenceBuild.Reference).ToList();
    }

    public FuzzStatistics Statistics { get; } = new();

    /// <summary>The seed of the <paramref name="index"/>th program of a run (SplitMix64 of both).</summary>
    public static int ProgramSeed(int runSeed, int index)
    {
        var z = unchecked((ulong)(uint)runSeed * 0x9E3779B97F4A7C15UL + (ulong)index * 0xBF58476D1CE4E5B9UL + 0x94D049BB133111EBUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }

    /// <summary>How the program of a seed is compiled: half optimized, one in eight without debug information.</summary>
    public static FuzzOptions OptionsOf(int programSeed) =>
        new(Optimize: ((programSeed >> 3) & 1) == 1, Symbols: ((programSeed >> 4) & 7) != 0);

    /// <summary>Runs the given programs; returns the failures.</summary>
    public List<FuzzFailure> Run(IEnumerable<int> programSeeds)
    {
        var failures = new List<FuzzFailure>();
        foreach (var group in programSeeds.GroupBy(OptionsOf))
        {
            foreach (var batch in group.Select((seed, i) => (seed, i)).GroupBy(p => p.i / BatchSize, p => p.seed))
            {
                var programs = batch.Select((seed, i) => ProgramGenerator.Generate(seed, "P" + i)).ToList();
                failures.AddRange(RunBatch(programs, group.Key));
            }
        }
        return failures;
    }

    List<FuzzFailure> RunBatch(IReadOnlyList<FuzzProgram> programs, FuzzOptions options)
    {
        Statistics.Batches++;
        Statistics.Programs += programs.Count;
        Statistics.Async += programs.Count(p => p.IsAsync);
        if (options.Optimize) Statistics.Optimized += programs.Count;
        if (!options.Symbols) Statistics.WithoutSymbols += programs.Count;
        Statistics.TraceCalls += programs.Sum(p => CountCalls(p.Source));

        var failures = new List<FuzzFailure>();
        var programTrees = programs.Select(p => Parse(Wrap(p.Source), p.ClassName + ".cs")).ToList();
        var guardedTrees = programs.Select(p => Parse(Wrap(FuzzSource.Guarded(p.Source)), p.ClassName + ".cs")).ToList();

        byte[] inputPe, inputPdb, referenceLazy, referenceEager;
        Statistics.Compiling.Start();
        try
        {
            (inputPe, inputPdb) = ReferenceBuild.Emit(Compile(options, s_declaredEvents, s_harness, programTrees));
            referenceLazy = ReferenceBuild.Emit(Compile(options, s_referenceEvents, s_guardedHarness, guardedTrees)).Pe;
            referenceEager = ReferenceBuild.Emit(Compile(options, s_referenceEvents, s_harness, programTrees)).Pe;
        }
        catch (InvalidOperationException e)
        {
            // A generator bug: a program is not valid C#.
            var guilty = programs.Where(p => e.Message.Contains("/fuzz/" + p.ClassName + ".cs(")).DefaultIfEmpty(programs[0]);
            return guilty.Select(p => new FuzzFailure(p, options, "It does not compile: " + e.Message, Array.Empty<WeaverMessage>())).ToList();
        }
        finally
        {
            Statistics.Compiling.Stop();
        }

        Statistics.Weaving.Start();
        var wovenLazy = Weaving.Weave(inputPe, options.Symbols ? inputPdb : null, _references, Weaving.Lazy);
        var wovenEager = Weaving.Weave(inputPe, inputPdb, _references, Weaving.Eager);
        Statistics.Weaving.Stop();
        var warnings = wovenLazy.Warnings.Where(w => w.File is not null || w.Text.Contains("no debug information")).ToList();
        Statistics.EagerFallbacks += wovenLazy.Warnings.Count(w => w.File is not null && w.Text.Contains("evaluated even when no probe is attached"));
        if (wovenLazy.Pe is null || wovenEager.Pe is null)
        {
            var errors = string.Join("\n", wovenLazy.Errors.Concat(wovenEager.Errors));
            return programs.Select(p => new FuzzFailure(p, options, "The weaver reported errors:\n" + errors, warnings)).ToList();
        }
        if (options.Symbols && warnings.Count > 0)
        {
            // With debug information, every generated shape must be lazy: a fallback is a finding.
            failures.AddRange(programs.Where(p => warnings.Any(w => w.File == "/fuzz/" + p.ClassName + ".cs" || w.File == "/fuzz/Harness.cs"))
                .Select(p => new FuzzFailure(p, options, "The weaver fell back to eager arguments.", warnings)));
        }

        var names = programs.Select(p => p.ClassName).ToArray();
        using var running = new StopwatchScope(Statistics.Running);
        var results = new Dictionary<(string Build, bool Attach), Dictionary<string, string[]>>();
        foreach (var (build, pe, pdb) in new[]
                 {
                     ("WovenLazy", wovenLazy.Pe, wovenLazy.Pdb),
                     ("WovenEager", wovenEager.Pe, wovenEager.Pdb),
                     ("ReferenceLazy", referenceLazy, null),
                     ("ReferenceEager", referenceEager, null),
                 })
        {
            try
            {
                var pair = RunAll(build, pe!, pdb, names, jit: build.StartsWith("Woven"));
                results[(build, false)] = pair.Detached;
                results[(build, true)] = pair.Attached;
            }
            catch (Exception e) when (e is InvalidProgramException or TimeoutException or InvalidOperationException)
            {
                return programs.Select(p => new FuzzFailure(p, options, $"The {build} build failed: {e}", warnings)).ToList();
            }
        }

        // Without debug information the weaver cannot delimit arguments: lazy weaving is eager then.
        var lazyReference = options.Symbols ? "ReferenceLazy" : "ReferenceEager";
        foreach (var program in programs)
        {
            foreach (var attach in new[] { false, true })
            {
                var setting = attach ? "probes attached" : "nothing attached";
                Compare(program, options, warnings, results, lazyReference, "WovenLazy", attach, $"lazy arguments, {setting}", failures);
                Compare(program, options, warnings, results, "ReferenceEager", "WovenEager", attach, $"eager arguments, {setting}", failures);
            }
            if (options.Symbols)
            {
                var detached = results[("WovenLazy", false)][program.ClassName];
                if (detached.Any(line => line.StartsWith("arg:")))
                    failures.Add(new FuzzFailure(program, options, "An argument was evaluated while nothing was attached:\n    " + string.Join("\n    ", detached), warnings));
            }
        }
        return failures;
    }

    static void Compare(FuzzProgram program, FuzzOptions options, IReadOnlyList<WeaverMessage> warnings,
        Dictionary<(string, bool), Dictionary<string, string[]>> results, string expected, string actual, bool attach, string what, List<FuzzFailure> failures)
    {
        var difference = Transcripts.Difference(results[(expected, attach)][program.ClassName], results[(actual, attach)][program.ClassName], expected, actual);
        if (difference is not null) failures.Add(new FuzzFailure(program, options, $"{what}: {difference}", warnings));
    }

    /// <summary>Loads a build into a collectible context, forces the JIT on every method of woven builds, and runs every program with and without probes.</summary>
    static (Dictionary<string, string[]> Detached, Dictionary<string, string[]> Attached) RunAll(string build, byte[] pe, byte[]? pdb, string[] names, bool jit)
    {
        return FixtureLoadContext.With("fuzz " + build, null, pe, pdb, assembly =>
        {
            if (jit) PrepareEveryMethod(assembly);
            var runAll = assembly.GetType("Fuzz.Harness", throwOnError: true)!.GetMethod("RunAll")!;
            (Dictionary<string, string[]>, Dictionary<string, string[]>)? result = null;
            Exception? failure = null;
            var thread = new Thread(() =>
            {
                try
                {
                    var detached = Transcripts.ByCase((string[])runAll.Invoke(null, new object[] { names, false })!);
                    var attached = Transcripts.ByCase((string[])runAll.Invoke(null, new object[] { names, true })!);
                    result = (detached, attached);
                }
                catch (TargetInvocationException e)
                {
                    failure = e.InnerException;
                }
            }, 16 * 1024 * 1024);
            thread.Start();
            if (!thread.Join(TimeSpan.FromMinutes(1))) throw new TimeoutException($"The {build} build did not finish.");
            if (failure is not null) throw new InvalidOperationException($"The {build} build failed outside its programs.", failure);
            return result!.Value;
        });
    }

    /// <summary>JIT-compiles every method body of an assembly: invalid IL throws InvalidProgramException.</summary>
    public static void PrepareEveryMethod(Assembly assembly)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
            {
                if (method.IsAbstract || method.GetMethodBody() is null) continue;
                if (type.ContainsGenericParameters || method.ContainsGenericParameters)
                {
                    var typeArguments = type.IsGenericTypeDefinition ? type.GetGenericArguments().Select(_ => typeof(object).TypeHandle).ToArray() : null;
                    var methodArguments = method.IsGenericMethodDefinition ? method.GetGenericArguments().Select(_ => typeof(object).TypeHandle).ToArray() : null;
                    try
                    {
                        RuntimeHelpers.PrepareMethod(method.MethodHandle, typeArguments is null ? methodArguments : typeArguments.Concat(methodArguments ?? Array.Empty<RuntimeTypeHandle>()).ToArray());
                    }
                    catch (ArgumentException)
                    {
                        // a constraint object does not meet: the method is prepared through its callers
                    }
                    continue;
                }
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
            }
        }
    }

    CSharpCompilation Compile(FuzzOptions options, SyntaxTree events, SyntaxTree harness, IEnumerable<SyntaxTree> programs) =>
        CSharpCompilation.Create("FuzzBatch", new[] { s_globalUsings, events, harness }.Concat(programs), _metadata, ReferenceBuild.CompilationOptions(options.Optimize));

    static string Wrap(string program) => "using System;\nnamespace Fuzz;\n\n" + program;

    static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, s_parse, "/fuzz/" + path, Encoding.UTF8);

    static int CountCalls(string source)
    {
        var count = 0;
        for (var i = source.IndexOf("/*>*/", StringComparison.Ordinal); i >= 0; i = source.IndexOf("/*>*/", i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
