using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>One build of the torture corpus: a target framework and a configuration.</summary>
public sealed record Variant(string TargetFramework, string Configuration)
{
    public static IReadOnlyList<Variant> All { get; } = new[]
    {
        new Variant("net10.0", "Debug"),
        new Variant("net10.0", "Release"),
        new Variant("netstandard2.0", "Debug"),
        new Variant("netstandard2.0", "Release"),
    };

    public override string ToString() => $"{TargetFramework} {Configuration}";
}

/// <summary>The four builds of the corpus that the tests compare for one variant.</summary>
public enum Flavor
{
    /// <summary>The fixture woven with the default configuration.</summary>
    WovenLazy,
    /// <summary>The same sources with the hand-written events and every call site guarded.</summary>
    ReferenceLazy,
    /// <summary>The fixture woven with <c>LazyArguments="false"</c>.</summary>
    WovenEager,
    /// <summary>The same sources with the hand-written events: plain C#.</summary>
    ReferenceEager,
}

/// <summary>
/// One variant of the torture corpus, woven and compiled in its four flavors, and what every
/// case did in each flavor with and without probes. Built once per test run, on first use.
/// </summary>
public sealed class TortureBuild
{
    static readonly ConcurrentDictionary<Variant, Lazy<TortureBuild>> s_builds = new();
    readonly ConcurrentDictionary<(Flavor, bool), Lazy<Dictionary<string, string[]>>> _transcripts = new();

    TortureBuild(Variant variant)
    {
        Variant = variant;
        Facts = BuildFacts.Read(System.IO.Path.Combine(Repository.TortureOutput(variant.Configuration, variant.TargetFramework), "Torture.dll"));
        InputPe = System.IO.File.ReadAllBytes(Facts.AssemblyPath);
        InputPdb = System.IO.File.ReadAllBytes(Facts.SymbolsPath);
        WovenLazy = Weaving.Weave(InputPe, InputPdb, Facts.References, Weaving.Lazy);
        WovenEager = Weaving.Weave(InputPe, InputPdb, Facts.References, Weaving.Eager);
        var events = Repository.Path("robustness", "Torture", "Events.cs");
        var referenceEvents = Repository.Path("robustness", "Torture", "Reference", "ReferenceEvents.cs");
        ReferenceLazy = ReferenceBuild.CompileReference(Facts, "Torture", events, referenceEvents, lazy: true);
        ReferenceEager = ReferenceBuild.CompileReference(Facts, "Torture", events, referenceEvents, lazy: false);
    }

    public static TortureBuild Of(Variant variant) => s_builds.GetOrAdd(variant, v => new Lazy<TortureBuild>(() => new TortureBuild(v))).Value;

    public Variant Variant { get; }
    public BuildFacts Facts { get; }
    public byte[] InputPe { get; }
    public byte[] InputPdb { get; }
    public WovenAssembly WovenLazy { get; }
    public WovenAssembly WovenEager { get; }
    public byte[] ReferenceLazy { get; }
    public byte[] ReferenceEager { get; }

    public byte[] Pe(Flavor flavor) => flavor switch
    {
        Flavor.WovenLazy => WovenLazy.RequirePe(),
        Flavor.WovenEager => WovenEager.RequirePe(),
        Flavor.ReferenceLazy => ReferenceLazy,
        _ => ReferenceEager,
    };

    /// <summary>The case names, from the unwoven build.</summary>
    public static IReadOnlyList<string> CaseNames(Variant variant)
    {
        var path = System.IO.Path.Combine(Repository.TortureOutput(variant.Configuration, variant.TargetFramework), "Torture.dll");
        return FixtureLoadContext.With("names", System.IO.Path.GetDirectoryName(path), System.IO.File.ReadAllBytes(path), null,
            assembly => (string[])Runner(assembly).GetMethod("Names")!.Invoke(null, null)!);
    }

    /// <summary>Every case's transcript in one flavor, each flavor and probe setting in a context of its own.</summary>
    public IReadOnlyDictionary<string, string[]> TranscriptsOf(Flavor flavor, bool attach) =>
        _transcripts.GetOrAdd((flavor, attach), key => new Lazy<Dictionary<string, string[]>>(() => RunAll(key.Item1, key.Item2))).Value;

    Dictionary<string, string[]> RunAll(Flavor flavor, bool attach)
    {
        var pdb = flavor switch { Flavor.WovenLazy => WovenLazy.Pdb, Flavor.WovenEager => WovenEager.Pdb, _ => null };
        var lines = FixtureLoadContext.With($"{Variant} {flavor} {attach}", Facts.Directory, Pe(flavor), pdb, assembly =>
        {
            var runAll = Runner(assembly).GetMethod("RunAll")!;
            string[]? result = null;
            Exception? failure = null;
            // A hang in woven code must fail the test run, not stall it.
            var thread = new Thread(() =>
            {
                try
                {
                    result = (string[])runAll.Invoke(null, new object[] { attach })!;
                }
                catch (TargetInvocationException e)
                {
                    failure = e.InnerException;
                }
            }, 16 * 1024 * 1024);
            thread.Start();
            if (!thread.Join(TimeSpan.FromMinutes(3)))
                throw new TimeoutException($"The {flavor} build of the corpus ({Variant}) did not finish its cases.");
            if (failure is not null) throw new InvalidOperationException($"The {flavor} build of the corpus ({Variant}) failed outside a case.", failure);
            return result!;
        });
        return Transcripts.ByCase(lines);
    }

    static Type Runner(Assembly assembly) => assembly.GetType("Torture.Runner", throwOnError: true)!;
}
