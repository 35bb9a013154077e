namespace Torture;

/// <summary>
/// Trace calls under <c>#line</c> directives, as code generators emit them: mapped onto other
/// lines and files, and hidden. The statements around each call must run whatever its mapping.
/// A hidden call has no visible sequence point, so the weaver warns that it cannot prove where its
/// statement starts (CorpusTests allows those warnings in this file only); the region it skips
/// is the call's own statement all the same.
/// </summary>
public static class LineDirectives
{
    public static object? MappedToAnotherFile()
    {
        Fx.Note("before");
#line 100 "Generated.cs"
        Events.Trace1(A.I(1));
#line default
        Fx.Note("after");
        return 1;
    }

    public static object? MappedOntoOneLine()
    {
#line 7 "Generated.cs"
        Fx.Note("first");
#line 7 "Generated.cs"
        Events.TracePair(A.S("second"), A.I(2));
#line 7 "Generated.cs"
        Fx.Note("third");
#line default
        return 2;
    }

    public static object? MappedWithSwitchExpression()
    {
        var x = Fx.I(2);
#line 9 "Generated.cs"
        Fx.Note("before the switch expression");
#line 9 "Generated.cs"
        Events.Trace1(x switch { 1 => A.I(10), 2 => A.I(20), _ => A.I(0) });
#line default
        return x;
    }

    public static object? MappedUnderALongerStatement()
    {
        // The earlier statement's mapped span contains the call's: spans alone would take it
        // for the call's statement and skip it.
#line 30 "Generated.cs"
        Fx.Note("a statement longer than the trace call after it");
#line 30 "Generated.cs"
        Events.Trace1(A.I(6));
#line default
        return 6;
    }

    public static object? MappedAssignmentOfTheTracedValue()
    {
        // The earlier statement computes the traced value; an optimized build keeps it on the
        // stack instead of in `work`. Its work must run whatever the spans say.
#line 40 "Generated.cs"
        var work = Fx.I(7) + Fx.I(0);
#line 40 "Generated.cs"
        Events.Trace1(work);
#line 41 "Generated.cs"
        var pattern = (Fx.I(8) is int n ? n : Fx.I(-1)) + 0;
#line 41 "Generated.cs"
        Events.Trace1(pattern);
#line default
        return work + pattern;
    }

    public static object? MappedBySpanDirective()
    {
#line (20,1)-(20,80) 5 "Generated.cs"
        Fx.Note("before"); Events.TraceText(A.S("spanned"));
#line default
        return 3;
    }

    public static object? HiddenCall()
    {
        Fx.Note("before");
#line hidden
        Events.Trace1(A.I(4));
#line default
        Fx.Note("after");
        return 4;
    }

    public static object? HiddenCallInIfElse()
    {
        var log = "";
        for (var i = 0; i < 2; i++)
        {
            if (Fx.B(i == 0))
            {
#line hidden
                Events.Trace1(A.I(i));
#line default
            }
            else
            {
                log += "else;";
            }
        }
        return log;
    }

    public static object? HiddenStatementsAroundAVisibleCall()
    {
#line hidden
        Fx.Note("hidden before");
#line default
        Events.TraceText(A.S("visible"));
#line hidden
        Fx.Note("hidden after");
#line default
        return 5;
    }
}
