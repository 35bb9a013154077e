using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>
/// Every case of the torture corpus, in every build of it: the woven code does what the
/// reference build of the same sources does (hand-written events, call sites guarded when
/// arguments are lazy), with and without probes, with lazy and with eager arguments.
/// </summary>
[TestFixture]
public sealed class TortureTests
{
    public static IEnumerable<TestCaseData> Cases() =>
        Variant.All.SelectMany(variant => TortureBuild.CaseNames(variant).Select(name =>
            new TestCaseData(variant, name).SetArgDisplayNames(name, variant.ToString())));

    [TestCaseSource(nameof(Cases))]
    public void CaseBehavesAsItsReference(Variant variant, string name)
    {
        var build = TortureBuild.Of(variant);
        var differences = new List<string>();
        foreach (var attach in new[] { false, true })
        {
            var setting = attach ? "probes attached" : "nothing attached";
            Compare(build, Flavor.ReferenceLazy, Flavor.WovenLazy, attach, name, $"lazy arguments, {setting}", differences);
            Compare(build, Flavor.ReferenceEager, Flavor.WovenEager, attach, name, $"eager arguments, {setting}", differences);
        }
        Assert.That(differences, Is.Empty, string.Join("\n", differences));
    }

    [TestCaseSource(nameof(Cases))]
    public void NoArgumentIsEvaluatedWhileNothingIsAttached(Variant variant, string name)
    {
        var build = TortureBuild.Of(variant);
        var woven = build.TranscriptsOf(Flavor.WovenLazy, attach: false)[name];
        Assert.That(woven.Where(line => line.StartsWith("arg:")), Is.Empty, string.Join("\n", woven));
        // The case is not vacuous: with probes attached, it evaluates arguments or fires events.
        var attached = build.TranscriptsOf(Flavor.WovenLazy, attach: true)[name];
        Assert.That(attached.Any(line => line.StartsWith("ev[") || line.StartsWith("arg:")), Is.True,
            "no argument evaluated and no event fired:\n" + string.Join("\n", attached));
    }

    static void Compare(TortureBuild build, Flavor expected, Flavor actual, bool attach, string name, string what, List<string> differences)
    {
        var difference = Transcripts.Difference(build.TranscriptsOf(expected, attach)[name], build.TranscriptsOf(actual, attach)[name], expected.ToString(), actual.ToString());
        if (difference is not null) differences.Add($"{what}: {difference}");
    }
}
