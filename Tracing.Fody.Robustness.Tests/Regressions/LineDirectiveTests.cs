using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>
/// Trace calls under <c>#line</c> directives, as code generators (Razor, T4, source generators)
/// emit them. Regression: the weaver took an earlier statement's sequence point for the call's
/// (the call's own was hidden, or a mapping gave the earlier statement a span containing the
/// call's), and skipped that statement too while no probe was attached, silently.
/// </summary>
[TestFixture]
public sealed class LineDirectiveTests
{
    const string Source = """
        using System.Collections.Generic;
        using Tracing;
        namespace Snippet;
        public static class C
        {
            static readonly List<string> s_log = new();
            static int Note(string what) { s_log.Add(what); return 0; }
            static string Log() { var log = string.Join(",", s_log); s_log.Clear(); return log; }

            public static string HiddenCall(int x)
            {
                Note("before");
        #line hidden
                E.T1(x + Note("argument"));
        #line default
                Note("after");
                return Log();
            }

            public static string HiddenCallInIf(bool c, int x)
            {
                if (Note("condition") == 0 && c)
                {
        #line hidden
                    E.T1(x + Note("argument"));
        #line default
                }
                else
                {
                    Note("else");
                }
                return Log();
            }

            public static string HiddenSwitchExpression(int x)
            {
                Note("before");
        #line hidden
                E.T1(x switch { 1 => Note("argument one"), _ => Note("argument other") });
        #line default
                return Log();
            }

            public static string MappedOntoTheSameLine(int x)
            {
        #line 5 "Generated.cs"
                Note("before, in a statement longer than the call");
        #line 5 "Generated.cs"
                E.T1(x + Note("argument"));
        #line default
                return Log();
            }

            public static string MappedByASpanDirective(int x)
            {
        #line (1,1)-(1,200) "Generated.cs"
                Note("before"); E.T1(x switch { 1 => Note("argument one"), _ => Note("argument other") });
        #line default
                return Log();
            }

            public static string MappedSwitchExpression(int x)
            {
        #line 9 "Generated.cs"
                Note("before, in a statement longer than the call, which has a switch expression");
        #line 9 "Generated.cs"
                E.T1(x switch { 1 => Note("argument one"), _ => Note("argument other") });
        #line default
                return Log();
            }

            public static string MappedAssignmentOfTheTracedValue(int x)
            {
        #line 7 "Generated.cs"
                var work = Note("work, in a statement longer than the call") + x;
        #line 7 "Generated.cs"
                E.T1(work);
        #line default
                return Log();
            }

            public static string MappedPatternAssignmentOfTheTracedValue(object o)
            {
        #line 8 "Generated.cs"
                var work = (o is int n ? n : Note("work, in a statement longer than the call")) + 1;
        #line 8 "Generated.cs"
                E.T1(work);
        #line default
                return Log();
            }

            // No directive: a pattern variable stored in a later argument, after the first was
            // spilled to a temporary, is the call's own (no warning in either build).
            public static string PatternVariableInALaterArgument(object o, string s)
            {
                Note("before");
                E.T2(s + Note("first"), (o is int n ? n : Note("not an int")) + (s.Length switch { 0 => 1, _ => Note("arm") }));
                return Log();
            }

            public static object Attach()
            {
                var pg = new ProbeGroup();
                Trace.Lock();
                Trace.Attach(pg, E.T1, a => s_log.Add("probe"));
                Trace.Attach(pg, E.T2, (s, a) => s_log.Add("probe two"));
                Trace.Unlock();
                return pg;
            }

            public static void Detach(object pg) => ((ProbeGroup)pg).Done();
        }
        """;

    static readonly (string Method, object[] Arguments, string Detached, string Attached)[] s_cases =
    {
        ("HiddenCall", new object[] { 1 }, "before,after", "before,argument,probe,after"),
        ("HiddenCallInIf", new object[] { true, 1 }, "condition", "condition,argument,probe"),
        ("HiddenCallInIf", new object[] { false, 1 }, "condition,else", "condition,else"),
        // Hidden, with no point the weaver can prove to start the statement: narrowed, with a warning.
        ("HiddenSwitchExpression", new object[] { 1 }, "before,argument one", "before,argument one,probe"),
        ("MappedOntoTheSameLine", new object[] { 1 }, "before, in a statement longer than the call", "before, in a statement longer than the call,argument,probe"),
        ("MappedByASpanDirective", new object[] { 2 }, "before", "before,argument other,probe"),
        ("MappedSwitchExpression", new object[] { 2 }, "before, in a statement longer than the call, which has a switch expression",
            "before, in a statement longer than the call, which has a switch expression,argument other,probe"),
        ("MappedAssignmentOfTheTracedValue", new object[] { 1 }, "work, in a statement longer than the call", "work, in a statement longer than the call,probe"),
        ("MappedPatternAssignmentOfTheTracedValue", new object[] { "text" }, "work, in a statement longer than the call", "work, in a statement longer than the call,probe"),
        ("PatternVariableInALaterArgument", new object[] { "text", "s" }, "before", "before,first,not an int,arm,probe two"),
    };

    [Test]
    public void NoStatementBeforeTheCallIsSkipped([Values] bool optimize)
    {
        var woven = Snippets.Weave(Source, optimize);
        Assert.That(woven.Errors, Is.Empty);
        var (detached, attached) = Snippets.Run(woven, assembly =>
        {
            var withoutProbes = s_cases.Select(c => (string)Snippets.Call(assembly, c.Method, c.Arguments)!).ToArray();
            var pg = Snippets.Call(assembly, "Attach");
            var withProbes = s_cases.Select(c => (string)Snippets.Call(assembly, c.Method, c.Arguments)!).ToArray();
            Snippets.Call(assembly, "Detach", pg);
            return (withoutProbes, withProbes);
        });
        Assert.That(detached, Is.EqualTo(s_cases.Select(c => c.Detached)));
        Assert.That(attached, Is.EqualTo(s_cases.Select(c => c.Attached)));
    }

    [Test]
    public void ACallWhoseStatementCannotBeProvenSaysSo([Values] bool optimize)
    {
        var woven = Snippets.Weave(Source, optimize);
        const string Partly = "The arguments of this call of trace event Snippet.E.T1 are partly evaluated even when no probe is attached: " +
            "the weaver could not delimit them safely. Compute them into locals before the call to silence this.";
        // A hidden call is reported at the nearest visible line before it. In a Debug build the
        // hidden call in the if block has the block's `{` as its proven start: no warning. An
        // optimized build keeps `work` on the stack, which proves where the call's statement
        // starts (it is entered with that value on the stack, falling through): no warning either.
        var expected = new[] { ("Snippet.cs", 12), ("Snippet.cs", 37), ("Generated.cs", 5), ("Generated.cs", 9) };
        expected = optimize
            ? expected.Append(("Snippet.cs", 22)).ToArray()
            : expected.Append(("Generated.cs", 7)).Append(("Generated.cs", 8)).ToArray();
        Assert.That(woven.Warnings.Select(w => w.Text), Is.All.EqualTo(Partly));
        Assert.That(woven.Warnings.Select(w => (Path.GetFileName(w.File), w.Line)), Is.EquivalentTo(expected));
    }
}
