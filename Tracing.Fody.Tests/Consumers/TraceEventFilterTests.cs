using System.Linq;
using NUnit.Framework;

namespace Tracing.Fody.Tests.Consumers;

public class TraceEventFilterTests
{
    static string[] Matching(params string[] globs) =>
        Trace.Events(Woven.Assembly).Where(TraceEventFilter.Parse(globs).Matches).Select(e => e.FullName).ToArray();

    [Test]
    public void AStarMatchesAnyRunOfCharactersDotsIncluded()
    {
        Assert.That(Matching("AssemblyToProcess.Events.TraceP*"), Is.EqualTo(new[] { "AssemblyToProcess.Events.TracePair" }));
        Assert.That(Matching("*.TraceSecret"), Is.EqualTo(new[] { "AssemblyToProcess.ValueEvents.Hidden.TraceSecret" }));
        Assert.That(Matching("AssemblyToProcess.ValueEvents.*"), Has.Length.EqualTo(9));
        Assert.That(Matching("*"), Is.EqualTo(Trace.Events(Woven.Assembly).Select(e => e.FullName)));
    }

    [Test]
    public void AQuestionMarkMatchesOneCharacterAndTheRestMatchesItselfCaseSensitively()
    {
        Assert.That(Matching("AssemblyToProcess.Events.Trace?ext"), Is.EqualTo(new[] { "AssemblyToProcess.Events.TraceText" }));
        Assert.That(Matching("assemblytoprocess.events.tracetext"), Is.Empty);
        Assert.That(Matching("AssemblyToProcess.Events.TraceText"), Is.EqualTo(new[] { "AssemblyToProcess.Events.TraceText" }));
        Assert.That(Matching("AssemblyToProcess.Events.TraceTex"), Is.Empty, "a glob matches the whole name");
    }

    [Test]
    public void AnAssemblyPrefixLimitsTheGlobToThatAssembly()
    {
        Assert.That(Matching("AssemblyToProcess:*.TraceValue"), Is.EqualTo(new[] { "AssemblyToProcess.Events.TraceValue" }));
        Assert.That(Matching("Other:*"), Is.Empty);
    }

    [Test]
    public void AnEventMatchesWhenAnyGlobMatchesAndNoGlobMeansAll()
    {
        Assert.That(Matching("*.TraceValue", "*.TraceText"),
            Is.EqualTo(new[] { "AssemblyToProcess.Events.TraceText", "AssemblyToProcess.Events.TraceValue" }));
        Assert.That(TraceEventFilter.Parse(new string[0]), Is.SameAs(TraceEventFilter.All));
    }

    [TestCase("", "A trace event glob is empty: write a full name such as MyLib.Net.Conn.TraceSent, or MyLib.Net.*.")]
    [TestCase("My Lib.*", "\"My Lib.*\" is not a trace event glob: ' ' at 3 is not allowed (a full name has letters, digits, '_' and '.'; '*' matches any run of characters, '?' one).")]
    [TestCase("MyLib.[ab]", "\"MyLib.[ab]\" is not a trace event glob: '[' at 7 is not allowed (a full name has letters, digits, '_' and '.'; '*' matches any run of characters, '?' one).")]
    [TestCase(":MyLib.*", "\":MyLib.*\" is not a trace event glob: \"Assembly:\" must be followed by a glob and appear once.")]
    [TestCase("A:B:C", "\"A:B:C\" is not a trace event glob: \"Assembly:\" must be followed by a glob and appear once.")]
    [TestCase("Lib:", "\"Lib:\" is not a trace event glob: \"Assembly:\" must be followed by a glob and appear once.")]
    public void AMalformedGlobIsReportedWithWhatIsWrong(string glob, string message)
    {
        Assert.That(TraceEventFilter.TryParse(new[] { "Fine.*", glob }, out var filter, out var error), Is.False);
        Assert.That(filter, Is.Null);
        Assert.That(error, Is.EqualTo(message));
        var thrown = Assert.Throws<System.ArgumentException>(() => TraceEventFilter.Parse(new[] { glob }))!;
        Assert.That(thrown.Message, Does.StartWith(message));
    }
}
