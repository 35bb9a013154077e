using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>The corpus as a whole: complete, woven without fallbacks, and the shapes that are errors by design.</summary>
[TestFixture]
public sealed class CorpusTests
{
    [TestCaseSource(typeof(Variant), nameof(Variant.All))]
    public void EveryCaseMethodIsInTheRegistry(Variant variant)
    {
        var path = Path.Combine(Repository.TortureOutput(variant.Configuration, variant.TargetFramework), "Torture.dll");
        var (registered, methods) = FixtureLoadContext.With("registry", Path.GetDirectoryName(path), File.ReadAllBytes(path), null, assembly =>
        {
            var names = (string[])assembly.GetType("Torture.Runner")!.GetMethod("Names")!.Invoke(null, null)!;
            var cases = assembly.GetTypes()
                .Where(t => t.IsAbstract && t.IsSealed && t.Namespace == "Torture" && t.Name is not ("Runner" or "Registry"))
                .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
                .Where(m => m.GetParameters().Length == 0 && (m.ReturnType == typeof(object) || m.ReturnType == typeof(Task<object>)))
                .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
                .ToList();
            return (names, cases);
        });
        Assert.That(registered, Is.Unique);
        Assert.That(registered, Is.EquivalentTo(methods), "Harness/Registry.cs must list every case method, and only those.");
        Assert.That(registered.Length, Is.GreaterThanOrEqualTo(100));
    }

    /// <summary>
    /// With debug information, no shape of the corpus makes the weaver evaluate arguments eagerly,
    /// but for the calls whose statement start cannot be proven (<c>Cases/LineDirectives.cs</c>):
    /// a hidden call (at the nearest visible line before it; in a Debug build the hidden call in
    /// an if block has the block's <c>{</c> for its start) and a call under a mapped statement
    /// whose span contains its own. The weaver skips the call's own statement there all the same
    /// (<c>TortureTests</c> compares their behaviour), and says it could not prove it.
    /// </summary>
    [TestCaseSource(typeof(Variant), nameof(Variant.All))]
    public void NoShapeOfTheCorpusFallsBackToEagerArguments(Variant variant)
    {
        var build = TortureBuild.Of(variant);
        Assert.That(build.WovenLazy.Errors, Is.Empty);
        var expected = new List<string> { "Generated.cs(30)", "Generated.cs(41)", "LineDirectives.cs(83)" };
        // An optimized build keeps `work` on the stack, which proves where its call starts.
        expected.Add(variant.Configuration == "Release" ? "LineDirectives.cs(96)" : "Generated.cs(40)");
        Assert.That(build.WovenLazy.Warnings.Select(w => w.ToString()),
            Is.EquivalentTo(expected.Select(at => $"{at}: The arguments of this call of trace event Torture.Events.Trace1 are partly evaluated even when no probe is attached: " +
                "the weaver could not delimit them safely. Compute them into locals before the call to silence this.")));
        Assert.That(build.WovenEager.Warnings.Select(w => w.ToString()), Is.Empty);
    }

    [Test]
    public void AnAwaitInsideAnArgumentIsAnErrorAtTheCall([Values] bool optimize)
    {
        var woven = Snippets.Weave("""
            using System.Threading.Tasks;
            namespace Snippet;
            public static class C
            {
                public static async Task<int> M(Task<int> t)
                {
                    await Task.Yield();
                    E.T2("first", await t);
                    E.T1(1);
                    E.T1(await t + 1);
                    return 0;
                }
            }
            """, optimize);
        Assert.That(woven.Pe, Is.Null, "nothing is woven when there is an error");
        Assert.That(woven.Errors.Select(e => (Path.GetFileName(e.File), e.Line)), Is.EqualTo(new[] { ("Snippet.cs", 8), ("Snippet.cs", 10) }));
        Assert.That(woven.Errors[0].Text, Is.EqualTo(
            "An argument of trace event Snippet.E.T2 contains 'await', which cannot be skipped while no probe is attached. " +
            "Await into a local first: `var value = await …; T2(value);`."));
    }

    [Test]
    public void GetResultWrittenByTheUserIsNoAwait([Values] bool optimize)
    {
        // Regression: the weaver took an awaiter's GetResult() in an argument for an await.
        var woven = Snippets.Weave("""
            using System.Threading.Tasks;
            namespace Snippet;
            public static class C
            {
                public static async Task<int> M(Task<int> t)
                {
                    await Task.Yield();
                    E.T1(t.GetAwaiter().GetResult());
                    E.T1(t.ConfigureAwait(false).GetAwaiter().GetResult());
                    return 0;
                }
            }
            """, optimize);
        Assert.That(woven.Errors, Is.Empty);
        Assert.That(woven.Warnings, Is.Empty);
    }

    /// <summary>
    /// The one shape found where the weaver cannot find the statement: in an optimized build, a
    /// switch expression on a constant first in the arguments leaves the statement without a
    /// sequence point of its own (its first arm's takes its place). The weaver says so, and
    /// evaluates the switch even when nothing is attached.
    /// </summary>
    [Test]
    public void AConstantSwitchExpressionInAnOptimizedBuildIsPartlyEvaluatedWithAWarning()
    {
        var woven = Snippets.Weave("""
            namespace Snippet;
            public static class C
            {
                public static void M(int v)
                {
                    try { v++; }
                    finally { E.T1((0 switch { 0 => 0, _ => v }) switch { 0 => 1, _ => v }); }
                }
            }
            """, optimize: true);
        Assert.That(woven.Errors, Is.Empty);
        Assert.That(woven.Warnings.Select(w => (Path.GetFileName(w.File), w.Line, w.Text)), Is.EqualTo(new[]
        {
            ("Snippet.cs", 7, "The arguments of this call of trace event Snippet.E.T1 are partly evaluated even when no probe is attached: " +
                "the weaver could not delimit them safely. Compute them into locals before the call to silence this."),
        }));
    }

    [Test]
    public void WithoutDebugInformationArgumentsAreEagerWithAWarning()
    {
        var woven = Snippets.Weave("""
            namespace Snippet;
            public static class C
            {
                public static void M(string s) => E.T1(s.Length);
            }
            """, optimize: true, symbols: false);
        Assert.That(woven.Errors, Is.Empty);
        Assert.That(woven.Warnings.Select(w => w.Text), Has.Some.StartsWith("System.Void Snippet.C::M(System.String) has no debug information"));
    }
}
