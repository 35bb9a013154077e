using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>
/// A variable that an argument assigns and the code after the call reads is a build error at the
/// call. Regression: the weaver skipped the assignment while no probe was attached, silently, so
/// <c>TraceParsed(int.TryParse(s, out var port)); return port;</c> returned 0 (or stack garbage
/// under SkipLocalsInit) and <c>(text = "hello").Length</c> left <c>text</c> null.
/// </summary>
[TestFixture]
public sealed class SkippedAssignmentTests
{
    // Each line marked `// error: v` must be an error naming variable v; no other line may be.
    // `// error (Debug): v` marks the shapes where an optimized build keeps the variable on the
    // stack under the argument: the call is eager there, with a warning (see below).
    const string Source = """
        using System;
        using System.Threading.Tasks;
        namespace Snippet;
        public static class C
        {
            static int Bump(ref int value) => ++value;
            static int Compute() => 7;

            public static int OutVar(string s)
            {
                E.T1(int.TryParse(s, out var port) ? 1 : 0); // error: port
                return port;
            }

            public static int OutExisting(string s)
            {
                var port = -1;
                E.T1(int.TryParse(s, out port) ? 1 : 0); // error: port
                return port;
            }

            public static int Assignment()
            {
                string text;
                E.T1((text = "hello").Length); // error (Debug): text
                return text.Length;
            }

            public static int IsVar()
            {
                E.T1(Compute() is var x ? 1 : 0); // error (Debug): x
                return x;
            }

            public static int IsType(object o)
            {
                E.T1(o is int n ? n : throw new ArgumentException()); // error: n
                return n;
            }

            public static int RefArgument()
            {
                var count = 0;
                E.T1(Bump(ref count)); // error: count
                return count;
            }

            public static int CompoundAssignment()
            {
                var total = 1;
                E.T1(total += 2); // error (Debug): total
                return total;
            }

            public static int Increment(int x)
            {
                E.T1(x++); // error: x
                return x;
            }

            public static int InALoop(string[] inputs)
            {
                var sum = 0;
                foreach (var s in inputs)
                {
                    E.T1(int.TryParse(s, out var value) ? 1 : 0); // error: value
                    sum += value;
                }
                return sum;
            }

            public static async Task<int> AcrossAnAwait(string s)
            {
                await Task.Yield();
                E.T1(int.TryParse(s, out var port) ? 1 : 0); // error: port
                await Task.Yield();
                return port;
            }

            public static int CapturedByALambda(string s)
            {
                int port;
                E.T1(int.TryParse(s, out port) ? 1 : 0); // error: port
                Func<int> read = () => port;
                return read();
            }

            // Not errors: the variable is not read after the call, or assigned again first.
            public static int ReadOnlyInTheArguments(string s, object o)
            {
                E.T1(int.TryParse(s, out var port) ? port : 0);
                E.T1(o is int n ? n : 0);
                E.T1(Compute() is var x ? x : 0);
                return 0;
            }

            public static int AssignedAgainBeforeTheRead(int x)
            {
                E.T1(x++);
                x = 5;
                return x;
            }

            public static int OnlyReadInTheArguments(int count)
            {
                var total = 0;
                for (var i = 0; i < count; i++) E.T1(total++);
                E.T2($"{count} {DateTime.MinValue.Ticks}", count.GetHashCode());
                E.T2($"{count}", count);
                return count;
            }
        }
        """;

    [Test]
    public void AVariableAssignedInAnArgumentAndReadAfterTheCallIsAnErrorAtTheCall([Values] bool optimize)
    {
        var woven = Snippets.Weave(Source, optimize);
        Assert.That(woven.Pe, Is.Null, "nothing is woven when there is an error");
        var expected = Marked(optimize ? "// error: " : "// error").Select(m => ("Snippet.cs", m.Line, Message(m.Variable))).ToList();
        Assert.That(expected, Has.Count.EqualTo(optimize ? 8 : 11));
        Assert.That(woven.Errors.Select(e => (Path.GetFileName(e.File), e.Line, e.Text)), Is.EquivalentTo(expected));
    }

    const string KeptOnTheStack = """
        namespace Snippet;
        public static class C
        {
            static int Compute() => 7;

            public static int Assignment()
            {
                string text;
                E.T1((text = "hello").Length); // eager: text
                return text.Length;
            }

            public static int IsVar()
            {
                E.T1(Compute() is var x ? 1 : 0); // eager: x
                return x;
            }

            public static int CompoundAssignment()
            {
                var total = 1;
                E.T1(total += 2); // partly: total
                return total;
            }
        }
        """;

    [Test]
    public void WhereAnOptimizedBuildKeepsTheVariableOnTheStackTheCallIsEagerWithAWarning()
    {
        // The value assigned stays on the stack under the argument, so no lazy region can start
        // before it: the arguments are evaluated, and the variable assigned.
        var woven = Snippets.Weave(KeptOnTheStack, optimize: true);
        Assert.That(woven.Errors, Is.Empty);
        const string Delimit = "the weaver could not delimit them safely. Compute them into locals before the call to silence this.";
        Assert.That(woven.Warnings.Select(w => (Path.GetFileName(w.File), w.Line, w.Text)), Is.EquivalentTo(
            Marked("// eager: ", KeptOnTheStack).Select(m => ("Snippet.cs", m.Line,
                "The arguments of this call of trace event Snippet.E.T1 are evaluated even when no probe is attached: " + Delimit))
            .Concat(Marked("// partly: ", KeptOnTheStack).Select(m => ("Snippet.cs", m.Line,
                "The arguments of this call of trace event Snippet.E.T1 are partly evaluated even when no probe is attached: " + Delimit)))));
        var results = Snippets.Run(woven, assembly => new[]
        {
            Snippets.Call(assembly, "Assignment"), Snippets.Call(assembly, "IsVar"), Snippets.Call(assembly, "CompoundAssignment"),
        });
        Assert.That(results, Is.EqualTo(new object[] { 5, 7, 3 }));
    }

    static IEnumerable<(int Line, string Variable)> Marked(string marker, string source = Source) =>
        source.Split('\n')
            .Select((line, index) => (Line: index + 1, At: line.IndexOf(marker, StringComparison.Ordinal), Text: line))
            .Where(l => l.At >= 0)
            .Select(l => (l.Line, l.Text.Substring(l.Text.IndexOf(':', l.At) + 1).Trim()));

    [Test]
    public void WithLazyArgumentsOffNothingIsSkippedSoNothingIsAnError([Values] bool optimize)
    {
        var woven = Snippets.Weave(Source, optimize, config: Weaving.Eager);
        Assert.That(woven.Errors, Is.Empty);
        var ports = Snippets.Run(woven, assembly => new[]
        {
            Snippets.Call(assembly, "OutVar", "8080"), Snippets.Call(assembly, "Assignment"), Snippets.Call(assembly, "CompoundAssignment"),
        });
        Assert.That(ports, Is.EqualTo(new object[] { 8080, 5, 3 }));
    }

    static string Message(string variable) =>
        $"An argument of this call of trace event Snippet.E.T1 assigns '{variable}', which the code after the call reads; " +
        $"while no probe is attached the arguments are not evaluated and '{variable}' would not be assigned. " +
        $"Assign '{variable}' in a statement before the call and pass the result to T1.";
}
