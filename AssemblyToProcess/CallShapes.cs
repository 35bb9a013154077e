using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Tracing;

namespace AssemblyToProcess;

/// <summary>
/// Trace calls in the shapes of code that fire events. Each method fires TraceText with
/// Effects.Text(...) arguments and returns something that shows the surrounding code still ran.
/// </summary>
public static class CallShapes
{
    public static int Straight(int x)
    {
        var y = x + 1;
        Events.TraceText(Effects.Text("straight"));
        Events.TracePair(Effects.Text("pair"), Effects.Next());
        Events.TraceNothing();
        return y * 2;
    }

    public static int Conditional(int x)
    {
        if (x > 0) Events.TraceValue(Effects.Next());
        else Events.TraceText(Effects.Text("negative"));
        Events.TraceText(x > 10 ? Effects.Text("big") : Effects.Text("small"));
        Events.TraceText(Effects.Text("a") ?? Effects.Text("b"));
        string? maybe = x > 5 ? null : "short";
        Events.TraceValue(maybe?.Length ?? Effects.Next());
        return x;
    }

    public static string Switches(int x)
    {
        Events.TraceText(x switch { 1 => Effects.Text("one"), 2 => Effects.Text("two"), _ => Effects.Text("many") });
        switch (x)
        {
            case 1:
                Events.TraceValue(Effects.Next());
                return "one";
            default:
                Events.TraceText(Effects.Text("default"));
                return "other";
        }
    }

    public static int Loops(int n)
    {
        var sum = 0;
        for (var i = 0; i < n; i++)
        {
            Events.TraceValue(i + Effects.Next() * 0);
            sum += i;
        }
        foreach (var s in new[] { "x", "y" }) Events.TraceText(Effects.Text(s));
        var k = 0;
        while (k < 2)
        {
            Events.TracePair(Effects.Text("while"), k);
            k++;
        }
        s_count = k;
        // A side effect in an argument: skipped while nothing is attached. (On a local that the
        // code after the call reads, it would be a build error.)
        Events.TraceValue(s_count++);
        return sum + s_count;
    }

    static int s_count;

    public static string Exceptions(bool fail)
    {
        var log = "";
        try
        {
            Events.TraceText(Effects.Text("try"));
            if (fail) throw new InvalidOperationException("fail");
            log += "t";
        }
        catch (InvalidOperationException e) when (e.Message == "fail")
        {
            Events.TraceText(Effects.Text("catch"));
            log += "c";
        }
        finally
        {
            Events.TraceText(Effects.Text("finally"));
            log += "f";
        }
        return log;
    }

    public static async Task<int> Async(int x)
    {
        Events.TraceValue(Effects.Next());
        await Task.Yield();
        var awaited = await Task.FromResult(x);
        Events.TracePair(Effects.Text("after await"), awaited);
        for (var i = 0; i < 2; i++)
        {
            await Task.Delay(1);
            Events.TraceValue(i);
        }
        try
        {
            await Task.Yield();
            Events.TraceText(Effects.Text("async try"));
        }
        finally
        {
            Events.TraceText(Effects.Text("async finally"));
        }
        return awaited + 1;
    }

    public static IEnumerable<int> Iterator(int n)
    {
        for (var i = 0; i < n; i++)
        {
            Events.TraceValue(Effects.Next());
            yield return i;
        }
        Events.TraceText(Effects.Text("iterator end"));
    }

    public static int Lambdas(int x)
    {
        var captured = x;
        Action fire = () => Events.TracePair(Effects.Text("lambda"), captured);
        fire();
        Func<int, int> twice = v =>
        {
            Events.TraceValue(v + Effects.Next() * 0);
            return v * 2;
        };
        return Local(twice(captured)) + StaticLocal(1);

        int Local(int v)
        {
            Events.TracePair(Effects.Text("local"), v + captured);
            return v;
        }

        static int StaticLocal(int v)
        {
            Events.TraceValue(v);
            return v;
        }
    }

    public static void Throwing() => Events.TraceText(Effects.Throw("argument threw"));

    public static void Many() =>
        Events.TraceMixed(Effects.Next(), 1.5, true, DayOfWeek.Friday, null, Guid.Empty, (7, "seven"), new List<int> { 1, 2 });

    public static void Sixteen() =>
        Events.TraceSixteen(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, Effects.Next());

    public static void Span(string text) => Events.TraceSpan(text.AsSpan(1));

    public static void Boxing(int value) => Events.TraceObject(value + Effects.Next() * 0);

    public static void Interpolated(int value) => Events.TraceText($"value={value} next={Effects.Next()}");
}

/// <summary>A type whose static constructor fires an event.</summary>
public static class StaticInit
{
    public static readonly int Value;

    static StaticInit()
    {
        Events.TraceText(Effects.Text("cctor"));
        Value = 42;
    }
}

/// <summary>A struct that fires events from its members.</summary>
public struct Point
{
    public int X, Y;

    public Point(int x, int y)
    {
        X = x;
        Y = y;
        Events.TracePair(Effects.Text("point"), x + y);
    }

    public readonly int Sum
    {
        get
        {
            Events.TraceValue(X + Y);
            return X + Y;
        }
    }
}

/// <summary>Fires events in a loop, from woven call sites, for the concurrency tests.</summary>
public static class Stress
{
    public static void Fire(int count)
    {
        for (var i = 0; i < count; i++) Events.TraceValue(i);
    }
}
